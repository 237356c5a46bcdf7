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

    /// Discord's CDN, where archived attachments, avatars and emoji not downloaded (`skald archive --media`) live.
    static let discordMedia = "https://cdn.discordapp.com https://media.discordapp.net"

    /// An HTML page with a strict Content-Security-Policy: scripts only the viewer's own (`/assets/`), nothing
    /// inline; styles from the page itself; images and media from the archive or Discord's CDN.
    static func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy:
                    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; "
                    + "img-src 'self' \(discordMedia); media-src 'self' \(discordMedia); base-uri 'none'; "
                    + "form-action 'self'; frame-ancestors 'none'",
                .init("X-Content-Type-Options")!: "nosniff",
                .init("Referrer-Policy")!: "no-referrer",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
    }
}
