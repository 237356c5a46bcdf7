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
}
