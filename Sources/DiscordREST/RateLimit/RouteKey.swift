/// The identity of a route for rate limiting: method, template and the value of its major parameter.
///
/// Discord counts each top-level resource separately (`channel_id`, `guild_id`, `webhook_id` + token), so the
/// major value is kept while every other id (message ids, reaction emoji, user ids) is a placeholder in
/// `template`. Two requests with equal keys always share a limit.
public struct RouteKey: Hashable, Sendable, CustomStringConvertible {
    /// The HTTP method, upper case (`GET`).
    public let method: String
    /// The path with every id replaced by a placeholder, e.g. `/channels/{channel_id}/messages/{message_id}`.
    public let template: String
    /// The major parameter's value (`"c:123"`), or `""` for routes without one. Never contains a secret: webhook
    /// tokens are reduced to a hash before they get here.
    public let major: String

    /// Creates a key.
    public init(method: String, template: String, major: String) {
        self.method = method
        self.template = template
        self.major = major
    }

    /// Method and template, the unit whose bucket hash Discord reports.
    public var templateKey: String { "\(method) \(template)" }

    /// A textual representation.
    public var description: String { major.isEmpty ? templateKey : "\(templateKey) [\(major)]" }
}
