import Foundation
import NIOCore

/// A request body sent in pieces from memory and from files on disk, never read whole: a multipart upload of
/// files that may be large. Each attempt (a retry too) reads the files again from the start.
public struct StreamedBody: Sendable {
    /// One piece of the body.
    public enum Piece: Sendable, Hashable {
        /// Bytes held in memory (headers of a multipart part).
        case bytes(Data)
        /// A file's bytes, read in chunks when sent; `length` is its size when the body was made.
        case file(path: String, length: Int64)
    }

    /// A file of a multipart upload.
    public struct File: Sendable, Hashable {
        /// The name the server stores.
        public var filename: String
        /// The MIME type.
        public var contentType: String
        /// Where the bytes are.
        public var path: String
        /// Their size.
        public var length: Int64

        /// Describes a file on disk.
        public init(filename: String, contentType: String, path: String, length: Int64) {
            self.filename = filename
            self.contentType = contentType
            self.path = path
            self.length = length
        }
    }

    /// The pieces in order.
    public var pieces: [Piece]
    /// The `Content-Type`.
    public var contentType: String

    /// A body of `pieces`.
    public init(pieces: [Piece], contentType: String) {
        self.pieces = pieces
        self.contentType = contentType
    }

    /// The total length in bytes.
    public var length: Int64 {
        pieces.reduce(0) { total, piece in
            switch piece {
            case .bytes(let data): total + Int64(data.count)
            case .file(_, let length): total + length
            }
        }
    }

    /// `multipart/form-data` with `payload_json` and each file as `files[index]`.
    public static func multipart(
        payload: Data, files: [File], boundary: String = "skald-\(UUID().uuidString)"
    ) -> StreamedBody {
        var pieces: [Piece] = []
        var head = Data(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"payload_json\"\r\nContent-Type: application/json\r\n\r\n"
                .utf8)
        head.append(payload)
        head.append(Data("\r\n".utf8))
        pieces.append(.bytes(head))
        for (index, file) in files.enumerated() {
            let name = file.filename.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\r", with: "")
                .replacingOccurrences(of: "\n", with: "")
            pieces.append(
                .bytes(
                    Data(
                        ("--\(boundary)\r\nContent-Disposition: form-data; name=\"files[\(index)]\"; "
                            + "filename=\"\(name)\"\r\nContent-Type: \(file.contentType)\r\n\r\n").utf8)))
            pieces.append(.file(path: file.path, length: file.length))
            pieces.append(.bytes(Data("\r\n".utf8)))
        }
        pieces.append(.bytes(Data("--\(boundary)--\r\n".utf8)))
        return StreamedBody(pieces: pieces, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// The body as a sequence of chunks (at most 256 KiB each), read as it is sent.
    struct Chunks: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let pieces: [Piece]

        func makeAsyncIterator() -> Iterator { Iterator(pieces: pieces) }

        struct Iterator: AsyncIteratorProtocol {
            let pieces: [Piece]
            var index = 0
            var handle: FileHandle?

            mutating func next() async throws -> ByteBuffer? {
                while index < pieces.count {
                    switch pieces[index] {
                    case .bytes(let data):
                        index += 1
                        if !data.isEmpty { return ByteBuffer(bytes: data) }
                    case .file(let path, _):
                        if handle == nil { handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)) }
                        if let chunk = try handle?.read(upToCount: 256 << 10), !chunk.isEmpty {
                            return ByteBuffer(bytes: chunk)
                        }
                        try handle?.close()
                        handle = nil
                        index += 1
                    }
                }
                return nil
            }
        }
    }
}
