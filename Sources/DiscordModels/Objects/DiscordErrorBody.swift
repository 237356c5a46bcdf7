/// Discord's error body `{code, message, errors?}`; 429 bodies add `retry_after` and `global`.
public struct DiscordErrorBody: Sendable, Hashable, Codable {
    /// Discord's `code` field.
    public var code: Int?
    /// Discord's `message` field.
    public var message: String
    /// Mirrors the request; each leaf is `{"_errors": [{code, message}]}`.
    public var errors: JSONValue?
    /// Seconds, fractional; 429 and 202 (search index) only.
    public var retryAfter: Double?
    /// Discord's `global` field.
    public var global: Bool?
    /// A `code` given as a string (Fluxer: `UNKNOWN_CHANNEL`, `RATE_LIMITED`; fluxer-api.md §4); `code` is then nil.
    public var codeName: String?

    /// Makes a `DiscordErrorBody`.
    public init(code: Int?, message: String, errors: JSONValue? = nil, retryAfter: Double? = nil, global: Bool? = nil) {
        self.code = code
        self.message = message
        self.errors = errors
        self.retryAfter = retryAfter
        self.global = global
    }

    /// Decodes Discord's numeric `code` or a service's string `code` (kept in ``codeName``).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let number = try? container.decodeIfPresent(Int.self, forKey: .code) {
            code = number
        } else {
            codeName = try? container.decodeIfPresent(String.self, forKey: .code)
        }
        message = try container.decodeIfPresent(String.self, forKey: .message) ?? ""
        errors = try container.decodeIfPresent(JSONValue.self, forKey: .errors)
        retryAfter = try container.decodeIfPresent(Double.self, forKey: .retryAfter)
        global = try container.decodeIfPresent(Bool.self, forKey: .global)
    }

    enum CodingKeys: String, CodingKey {
        case code, message, errors, global
        case retryAfter = "retry_after"
    }
}
