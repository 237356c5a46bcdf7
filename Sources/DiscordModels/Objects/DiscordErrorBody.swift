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

    /// Makes a `DiscordErrorBody`.
    public init(code: Int?, message: String, errors: JSONValue? = nil, retryAfter: Double? = nil, global: Bool? = nil) {
        self.code = code
        self.message = message
        self.errors = errors
        self.retryAfter = retryAfter
        self.global = global
    }

    enum CodingKeys: String, CodingKey {
        case code, message, errors, global
        case retryAfter = "retry_after"
    }
}
