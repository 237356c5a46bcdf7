import DiscordModels
import Foundation
import Hummingbird
import NIOCore

/// Builds the server's responses: raw JSON bytes (the archive's exact objects), Discord's error bodies, text, HTML.
enum ServeResponses {
    /// JSON bytes as they are, with the content type exactly as Discord sends it (discord.py compares it verbatim).
    static func json(_ bytes: some Sequence<UInt8>, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A JSON array of stored objects, each exactly as stored.
    static func jsonArray(_ items: [Data]) -> Response { json(JSONAssembly.array(items)) }

    /// An `Encodable` value as JSON.
    static func encoded(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return json((try? encoder.encode(value)) ?? Data("{}".utf8), status: status)
    }

    /// Discord's error body: `{"message": "Unknown Channel", "code": 10003}`.
    static func discordError(_ status: HTTPResponse.Status, code: Int, message: String) -> Response {
        encoded(DiscordErrorBody(code: code, message: message), status: status)
    }

    /// Plain text.
    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// An HTML page with a strict Content-Security-Policy: no script at all, styles only from the page itself.
    static func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy:
                    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; "
                    + "form-action 'self'; frame-ancestors 'none'",
                .init("X-Content-Type-Options")!: "nosniff",
                .init("Referrer-Policy")!: "no-referrer",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
    }
}
