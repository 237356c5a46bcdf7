import Foundation

/// One concrete Discord API request target: method, path and query, plus what the limiter and error messages
/// need (template, major parameter, a human name for the object).
public struct Route: Sendable, CustomStringConvertible {
    /// HTTP methods the client uses.
    public enum Method: String, Sendable, Hashable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
        case patch = "PATCH"
        case delete = "DELETE"
    }

    /// The top-level resource Discord counts separately.
    public enum Major: Sendable, Hashable {
        case channel(UInt64)
        case guild(UInt64)
        /// A webhook id and its token (only a hash of the token is kept).
        case webhook(UInt64, tokenHash: String)

        var key: String {
            switch self {
            case .channel(let id): "channel:\(id)"
            case .guild(let id): "guild:\(id)"
            case .webhook(let id, let hash): "webhook:\(id):\(hash)"
            }
        }
    }

    /// The method.
    public let method: Method
    /// The path below the API base, percent-encoded (`/channels/1/messages`). May hold a webhook token: never log it.
    let path: String
    /// The path with placeholders (`/channels/{channel_id}/messages/{message_id}`).
    public let template: String
    /// The major parameter, if the route has one.
    public let major: Major?
    /// Query items in order (values unencoded).
    public var query: [(name: String, value: String)]
    /// The object concerned, for messages (`channel 123`).
    public let object: String?
    /// Whether to send `Authorization` (webhook execution authenticates by its URL token).
    public var authenticated: Bool = true

    /// Creates a route.
    public init(
        _ method: Method, _ path: String, template: String, major: Major? = nil,
        query: [(name: String, value: String)] = [], object: String? = nil
    ) {
        self.method = method
        self.path = path
        self.template = template
        self.major = major
        self.query = query
        self.object = object
    }

    /// The limiter's key.
    public var key: RouteKey { RouteKey(method: method.rawValue, template: template, major: major?.key ?? "") }

    /// `GET /channels/{channel_id}/messages`: what error messages and logs show.
    public var description: String { "\(method.rawValue) \(template)" }

    /// Adds a query item when `value` is not `nil`.
    mutating func add(_ name: String, _ value: CustomStringConvertible?) {
        if let value { query.append((name, value.description)) }
    }

    /// The full URL below `apiBase`.
    func url(apiBase: String) -> String {
        var base = apiBase
        while base.hasSuffix("/") { base.removeLast() }
        var url = base + path
        if !query.isEmpty {
            url +=
                "?" + query.map { "\(Self.encodeQuery($0.name))=\(Self.encodeQuery($0.value))" }.joined(separator: "&")
        }
        return url
    }

    // MARK: - Encoding

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Percent-encodes a query name or value (`+` and `:` included, so ISO timestamps survive).
    static func encodeQuery(_ text: String) -> String {
        // Names, ids and limits (every request of an archive) need no encoding: no trip through Foundation.
        if isUnreserved(text) { return text }
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// Percent-encodes one path segment; `:` stays (reaction emoji `name:id`).
    static func encodeSegment(_ text: String) -> String {
        if isUnreserved(text, also: UInt8(ascii: ":")) { return text }
        return text.addingPercentEncoding(withAllowedCharacters: unreserved.union(CharacterSet(charactersIn: ":")))
            ?? text
    }

    /// Whether every byte of `text` is an unreserved character (or `also`): percent-encoding leaves it as it is.
    static func isUnreserved(_ text: String, also: UInt8? = nil) -> Bool {
        text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                return true
            default: return byte == also
            }
        }
    }

    /// A stable, non-reversible digest of a secret (FNV-1a 64), to key limiter state without keeping it.
    static func digest(_ secret: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in secret.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
