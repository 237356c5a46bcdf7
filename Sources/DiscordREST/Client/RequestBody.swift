import Foundation
import NIOCore

/// A request body and its content type: bytes in memory, or parts (a multipart form whose files may be regions of
/// files on disk) assembled into one buffer for each attempt to send it.
struct RequestBody: Sendable {
    /// The body's pieces in order.
    let parts: [FileUpload.Content]
    let contentType: String
    /// A body streamed from memory and files instead of `parts` (the mirror's webhook uploads).
    var streamed: StreamedBody? = nil

    /// A body of `data` (or, when given, of `streamed`).
    init(data: Data, contentType: String, streamed: StreamedBody? = nil) {
        self.init(parts: [.bytes(data)], contentType: contentType)
        self.streamed = streamed
    }

    /// A body made of `parts`, in order.
    init(parts: [FileUpload.Content], contentType: String) {
        self.parts = parts
        self.contentType = contentType
    }

    /// The body's length in bytes (the `Content-Length`).
    var count: Int64 {
        parts.reduce(0) { total, part in
            switch part {
            case .bytes(let data): total + Int64(data.count)
            case .fileRegion(_, _, let length): total + length
            }
        }
    }

    /// The body as one buffer: parts in memory are copied once, file regions are read straight into it, so a
    /// message's bytes are held once while it is sent (and read again from the files when it is sent again).
    func buffer() throws -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: Int(count))
        for part in parts {
            switch part {
            case .bytes(let data):
                buffer.writeBytes(data)
            case .fileRegion(let path, let offset, let length):
                guard length > 0 else { continue }
                try RegionFile(path: path).read(Int(length), at: offset, into: &buffer)
            }
        }
        return buffer
    }

    /// A JSON body from an `Encodable` value.
    static func json(_ value: some Encodable) throws -> RequestBody {
        RequestBody(data: try jsonData(value), contentType: "application/json")
    }

    /// The JSON of an `Encodable` value, as bodies carry it (sorted keys, slashes unescaped).
    static func jsonData(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
