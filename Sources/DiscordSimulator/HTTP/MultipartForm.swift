import FormData
import NIOCore

/// A `multipart/form-data` body read in one pass (``FormData``): parts with
/// their name, optional filename, content type and bytes.
struct MultipartForm {
    struct Part {
        var name: String
        var filename: String?
        var contentType: String?
        var body: [UInt8]
    }

    var parts: [Part] = []

    /// Parses `body` with the boundary from a `Content-Type` header; nil when malformed or without a part.
    init?(body: ByteBuffer, contentType: String) {
        var parts: [Part] = []
        var content: [UInt8] = []
        let read = FormData.read(
            body, contentType: contentType, bytes: { _, chunk in content.append(contentsOf: chunk.readableBytesView) },
            complete: { part in
                parts.append(
                    Part(name: part.name, filename: part.filename, contentType: part.contentType, body: content))
                content = []
            })
        guard read, !parts.isEmpty else { return nil }
        self.parts = parts
    }
}
