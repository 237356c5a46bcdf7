import Crypto
import Foundation

/// The SHA-256 of a whole file and of each of its chunks, read in one sequential pass (1 MiB at a time).
struct FileHashes: Sendable {
    /// The whole file's hash (hex).
    var whole: String
    /// Each chunk's hash (hex), in order.
    var chunks: [String]
    /// Bytes read.
    var size: Int64

    /// Reads the file at `path` in chunks of `chunkSize` bytes (one, empty, for an empty file); stops early when
    /// the task is cancelled.
    init(path: String, chunkSize: Int) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ObjectStoreError("cannot read \(path): check that it exists and is readable")
        }
        defer { try? handle.close() }
        var whole = SHA256()
        var chunks: [String] = []
        var size: Int64 = 0
        while true {
            try Task.checkCancellation()
            var chunk = SHA256()
            var filled = 0
            while filled < chunkSize {
                let slice = try handle.read(upToCount: min(chunkSize - filled, 1024 * 1024)) ?? Data()
                if slice.isEmpty { break }
                chunk.update(data: slice)
                whole.update(data: slice)
                filled += slice.count
            }
            if filled == 0 && !chunks.isEmpty { break }
            size += Int64(filled)
            chunks.append(ObjectStoreEngine.hex(chunk.finalize()))
            if filled < chunkSize { break }
        }
        self.whole = ObjectStoreEngine.hex(whole.finalize())
        self.chunks = chunks
        self.size = size
    }
}
