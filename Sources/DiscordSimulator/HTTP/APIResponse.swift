import CompressNIO
import Hummingbird
import NIOCore

/// Builders for the simulator's HTTP answers.
enum APIResponse {
    /// How the JSON answers built while handling the current API request are encoded
    /// (``SimulatorResponder/api(_:route:methodServed:parameters:)`` sets it from the request's `Accept-Encoding`);
    /// identity outside one.
    @TaskLocal static var encoding = AnswerEncoding(coding: .identity)

    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        var body = ByteBuffer(bytes: bytes)
        if encoding.coding == .gzip, let compressed = gzip(&body) {
            headers[.contentEncoding] = "gzip"
            headers[.vary] = "Accept-Encoding"
            encoding.record(bytesIn: bytes.count, bytesOut: compressed.readableBytes)
            body = compressed
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
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

    /// The body gzip-compressed (zlib's fastest level: the client's inflate costs the same at any level, and the
    /// simulator shares the machine with the client it serves); nil if zlib fails.
    static func gzip(_ body: inout ByteBuffer) -> ByteBuffer? {
        try? body.compress(with: .gzip(configuration: .init(compressionLevel: 1)))
    }
}
