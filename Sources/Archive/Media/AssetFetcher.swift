import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

/// Fetches the assets `skald export --media` links (avatars, icons, emoji, stickers, embed media, attachments)
/// over HTTP: Discord's CDN hosts are asked at ``cdn`` instead when one is given (a simulator's `/cdn`), every
/// other URL as it is. A host that could not be reached (no DNS answer, connection refused) is not asked again by
/// this fetcher: offline, each further asset there fails at once instead of waiting for its own connection attempts.
///
/// ```swift
/// let fetch = AssetFetcher(cdn: "http://127.0.0.1:8080/cdn").fetch
/// let (status, body) = try await fetch("https://cdn.discordapp.com/avatars/1/abc.png?size=512")
/// ```
public final class AssetFetcher: Sendable {
    /// Where `https://cdn.discordapp.com/…` and `https://media.discordapp.net/…` are asked, or nil for those hosts.
    public let cdn: String?
    /// The largest body read, in bytes (a video embed or attachment may be large).
    public let maxBytes: Int
    let http: HTTPClient
    /// Hosts no connection could be made to, with the failure.
    private let unreachable = Mutex<[String: String]>([:])

    /// A fetcher asking `cdn` for Discord's CDN hosts, over the process's media client.
    public init(cdn: String? = nil, maxBytes: Int = 1 << 30, http: HTTPClient = ArchiveIO.sharedMediaHTTP) {
        self.cdn = cdn.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.maxBytes = maxBytes
        self.http = http
    }

    /// The address asked for `url`.
    public func address(of url: String) -> String {
        guard let cdn else { return url }
        for host in ["https://cdn.discordapp.com/", "https://media.discordapp.net/"] where url.hasPrefix(host) {
            return cdn + "/" + url.dropFirst(host.count)
        }
        return url
    }

    /// The answer's status and body for `url` (the body only of a 2xx answer).
    public func fetch(_ url: String) async throws -> (status: Int, body: Data) {
        let address = address(of: url)
        let host = URLComponents(string: address)?.host ?? address
        if let failure = unreachable.withLock({ $0[host] }) { throw Unreachable(host: host, failure: failure) }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(HTTPClientRequest(url: address), timeout: .seconds(120))
        } catch {
            let text = String(describing: error)
            unreachable.withLock { $0[host] = $0[host] ?? text }
            throw error
        }
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else { return (status, Data()) }
        let body = try await response.body.collect(upTo: maxBytes)
        return (status, Data(body.readableBytesView))
    }
}

/// A host an earlier request of the same fetcher could not reach.
struct Unreachable: Error, CustomStringConvertible {
    let host: String
    let failure: String
    var description: String { "not asked: \(host) could not be reached (\(failure))" }
}
