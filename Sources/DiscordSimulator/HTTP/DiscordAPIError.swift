import Hummingbird

/// A Discord API error answer, thrown by route handlers and rendered once, as Discord does:
/// `{"message": …, "code": …}` with an optional `errors` tree (reference §6).
struct DiscordAPIError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var code: Int
    var message: String
    /// The `errors` member, already rendered (field tree of `_errors`).
    var errors: [UInt8]?

    init(_ status: HTTPResponse.Status, code: Int, message: String, errors: [UInt8]? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
    }

    /// The answer Discord sends.
    var response: Response { APIResponse.error(status, code: code, message: message, errors: errors) }

    func response(from request: Request, context: some RequestContext) throws -> Response { response }

    /// 400 50035 with one field error: `{"field": {"_errors": [{"code", "message"}]}}` (a dotted field nests).
    static func invalidForm(field: String, code: String, message: String) -> DiscordAPIError {
        var w = JSONWriter(capacity: 128)
        w.beginObject()
        for (index, part) in field.split(separator: ".").enumerated() {
            if index > 0 { w.beginObject() }
            w.dynamicKey(String(part))
        }
        writeFieldErrors(code: code, message: message, into: &w)
        for _ in field.split(separator: ".").dropFirst() { w.endObject() }
        w.endObject()
        return invalidFormBody(errors: w.bytes)
    }

    /// 400 50035 with an error on the request as a whole: `{"_errors": [{"code", "message"}]}`.
    static func invalidRequest(code: String, message: String) -> DiscordAPIError {
        var w = JSONWriter(capacity: 128)
        writeFieldErrors(code: code, message: message, into: &w)
        return invalidFormBody(errors: w.bytes)
    }

    /// 400 50035 "Invalid Form Body", with the rendered `errors` tree when there is one.
    static func invalidFormBody(errors: [UInt8]? = nil) -> DiscordAPIError {
        DiscordAPIError(.badRequest, code: 50035, message: "Invalid Form Body", errors: errors)
    }

    private static func writeFieldErrors(code: String, message: String, into w: inout JSONWriter) {
        w.beginObject()
        w.key("_errors")
        w.beginArray()
        w.beginObject()
        w.key("code")
        w.string(code)
        w.key("message")
        w.string(message)
        w.endObject()
        w.endArray()
        w.endObject()
    }

    static func unknownChannel() -> DiscordAPIError {
        DiscordAPIError(.notFound, code: 10003, message: "Unknown Channel")
    }
    static func unknownGuild() -> DiscordAPIError { DiscordAPIError(.notFound, code: 10004, message: "Unknown Guild") }
    static func unknownMember() -> DiscordAPIError {
        DiscordAPIError(.notFound, code: 10007, message: "Unknown Member")
    }
    static func unknownMessage() -> DiscordAPIError {
        DiscordAPIError(.notFound, code: 10008, message: "Unknown Message")
    }
    static func unknownWebhook() -> DiscordAPIError {
        DiscordAPIError(.notFound, code: 10015, message: "Unknown Webhook")
    }
    /// 10014: 400 on the reaction routes (a badly encoded emoji), 404 on `GET /guilds/{g}/emojis/{e}`.
    static func unknownEmoji(_ status: HTTPResponse.Status = .badRequest) -> DiscordAPIError {
        DiscordAPIError(status, code: 10014, message: "Unknown Emoji")
    }
    static func unknownSticker() -> DiscordAPIError {
        DiscordAPIError(.notFound, code: 10060, message: "Unknown Sticker")
    }
    static func unknownEvent() -> DiscordAPIError {
        DiscordAPIError(.notFound, code: 10070, message: "Unknown Guild Scheduled Event")
    }
    static func invalidChannelType() -> DiscordAPIError {
        DiscordAPIError(.badRequest, code: 50024, message: "Cannot execute action on this channel type")
    }
    static func missingAccess() -> DiscordAPIError {
        DiscordAPIError(.forbidden, code: 50001, message: "Missing Access")
    }
    static func missingPermissions() -> DiscordAPIError {
        DiscordAPIError(.forbidden, code: 50013, message: "Missing Permissions")
    }
    static func unauthorized() -> DiscordAPIError {
        DiscordAPIError(.unauthorized, code: 0, message: "401: Unauthorized")
    }
    static func notFoundRoute() -> DiscordAPIError { DiscordAPIError(.notFound, code: 0, message: "404: Not Found") }
    static func methodNotAllowed() -> DiscordAPIError {
        DiscordAPIError(.methodNotAllowed, code: 0, message: "405: Method Not Allowed")
    }
}
