/// A value Discord refuses, as its `400 50035 Invalid Form Body` words it (`field` is `name` or `name.index`).
public struct DiscordFieldError: Error, Sendable, Hashable {
    /// The field (`limit`, `has.1`, ...).
    public var field: String
    /// Discord's error code (`NUMBER_TYPE_MAX`, `ENUM_TYPE_COERCE`, ...).
    public var code: String
    /// Discord's message.
    public var message: String

    /// A field error.
    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }
}
