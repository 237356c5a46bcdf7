import Foundation
import NIOCore

/// A request body and its content type: bytes in memory, or parts (a multipart form whose files may be regions of
/// files on disk) that are read from their files again for every attempt to send it, into one buffer or, for a
/// large body, in slices as it is sent (``DiscordClientConfiguration/bufferedBodyLimit``).
struct RequestBody: Sendable {
    /// The body's pieces in order.
    let parts: [FileUpload.Content]
    let contentType: String

    /// A body of `data`.
    init(data: Data, contentType: String) {
        self.init(parts: [.bytes(data)], contentType: contentType)
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

    /// The body as slices read as they are sent. Every file region's file is opened and its size checked first, so
    /// a missing or shortened file fails before anything is sent.
    func slices() throws -> Slices {
        for case .fileRegion(let path, let offset, let length) in parts where length > 0 {
            try RegionFile(path: path).check(end: offset + length)
        }
        return Slices(parts: parts)
    }

    /// The body's bytes in slices of at most ``sliceBytes``, file regions read with `pread` when asked for.
    struct Slices: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let parts: [FileUpload.Content]

        func makeAsyncIterator() -> Iterator { Iterator(parts: parts) }

        struct Iterator: AsyncIteratorProtocol {
            let parts: [FileUpload.Content]
            var index = 0
            var done: Int64 = 0
            var file: RegionFile?

            mutating func next() async throws -> ByteBuffer? {
                while index < parts.count {
                    switch parts[index] {
                    case .bytes(let data):
                        index += 1
                        if !data.isEmpty { return ByteBuffer(bytes: data) }
                    case .fileRegion(let path, let offset, let length):
                        guard done < length else {
                            index += 1
                            done = 0
                            file = nil
                            continue
                        }
                        if file == nil { file = try RegionFile(path: path) }
                        let count = Int(Swift.min(Int64(RequestBody.sliceBytes), length - done))
                        var slice = ByteBufferAllocator().buffer(capacity: count)
                        try file?.read(count, at: offset + done, into: &slice)
                        done += Int64(count)
                        return slice
                    }
                }
                return nil
            }
        }
    }

    /// Bytes read from a file at a time when a body is streamed.
    static let sliceBytes = 1 << 20

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
