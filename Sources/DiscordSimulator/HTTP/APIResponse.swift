import Hummingbird
import NIOCore

/// Builders for the simulator's HTTP answers.
enum APIResponse {
    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func json(_ writer: JSONWriter, status: HTTPResponse.Status = .ok) -> Response {
        json(writer.bytes, status: status)
    }

    static func noContent() -> Response { Response(status: .noContent) }

    /// `{"message": …, "code": …}` with optional `errors`.
    static func error(_ status: HTTPResponse.Status, code: Int, message: String, errors: [UInt8]? = nil) -> Response {
        var w = JSONWriter(capacity: 128)
        w.beginObject()
        w.key("message")
        w.string(message)
        w.key("code")
        w.int(code)
        if let errors {
            w.key("errors")
            w.raw(errors)
        }
        w.endObject()
        return json(w, status: status)
    }

    /// 400 50035 with one field error: `{"field": {"_errors": [{"code", "message"}]}}`.
    static func invalidForm(field: String, code: String, message: String) -> Response {
        var w = JSONWriter(capacity: 128)
        w.beginObject()
        for (index, part) in field.split(separator: ".").enumerated() {
            if index > 0 { w.beginObject() }
            w.dynamicKey(String(part))
        }
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
        for _ in field.split(separator: ".").dropFirst() { w.endObject() }
        w.endObject()
        return error(.badRequest, code: 50035, message: "Invalid Form Body", errors: w.bytes)
    }

    static func unknownChannel() -> Response { error(.notFound, code: 10003, message: "Unknown Channel") }
    static func unknownGuild() -> Response { error(.notFound, code: 10004, message: "Unknown Guild") }
    static func unknownMember() -> Response { error(.notFound, code: 10007, message: "Unknown Member") }
    static func unknownMessage() -> Response { error(.notFound, code: 10008, message: "Unknown Message") }
    static func unknownWebhook() -> Response { error(.notFound, code: 10015, message: "Unknown Webhook") }
    /// 10014: 400 on the reaction routes (a badly encoded emoji), 404 on `GET /guilds/{g}/emojis/{e}`.
    static func unknownEmoji(_ status: HTTPResponse.Status = .badRequest) -> Response {
        error(status, code: 10014, message: "Unknown Emoji")
    }
    static func unknownSticker() -> Response { error(.notFound, code: 10060, message: "Unknown Sticker") }
    static func unknownEvent() -> Response {
        error(.notFound, code: 10070, message: "Unknown Guild Scheduled Event")
    }
    static func invalidChannelType() -> Response {
        error(.badRequest, code: 50024, message: "Cannot execute action on this channel type")
    }
    static func missingAccess() -> Response { error(.forbidden, code: 50001, message: "Missing Access") }
    static func missingPermissions() -> Response { error(.forbidden, code: 50013, message: "Missing Permissions") }
    static func unauthorized() -> Response { error(.unauthorized, code: 0, message: "401: Unauthorized") }
    static func notFoundRoute() -> Response { error(.notFound, code: 0, message: "404: Not Found") }
    static func methodNotAllowed() -> Response { error(.methodNotAllowed, code: 0, message: "405: Method Not Allowed") }
}
