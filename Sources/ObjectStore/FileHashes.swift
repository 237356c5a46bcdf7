import Crypto
import Foundation

/// The SHA-256 of each chunk of a file and of the whole file, from one sequential pass that runs beside the
/// uploads (``read(path:chunkSize:)``): a chunk's hash is ready as soon as the pass has read it, so the first chunk
/// message goes up at once instead of after a pass over the whole file, and every byte is hashed once.
///
/// ```swift
/// let hashes = FileHashes(chunkCount: 3)
/// let reader = Task { await hashes.read(path: "big.iso", chunkSize: 10 << 20) }
/// let first = try await hashes.chunk(0)       // waits until the pass has read chunk 0
/// let (sha256, size) = try await hashes.whole()
/// ```
actor FileHashes {
    private var chunks: [String?]
    private var file: (sha256: String, size: Int64)?
    private var failure: (any Error)?
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// A pass over a file planned as `chunkCount` chunks (one, empty, for an empty file).
    init(chunkCount: Int) { chunks = Array(repeating: nil, count: max(1, chunkCount)) }

    /// Chunk `index`'s hash (hex), once the pass has read it.
    func chunk(_ index: Int) async throws -> String {
        while true {
            if let sha256 = chunks[index] { return sha256 }
            if let failure { throw failure }
            await withCheckedContinuation { waiting.append($0) }
        }
    }

    /// The whole file's hash (hex) and the bytes read, once the pass has ended.
    func whole() async throws -> (sha256: String, size: Int64) {
        while true {
            if let file { return file }
            if let failure { throw failure }
            await withCheckedContinuation { waiting.append($0) }
        }
    }

    private func wake() {
        let woken = waiting
        waiting.removeAll()
        for continuation in woken { continuation.resume() }
    }

    private func record(_ index: Int, _ sha256: String) {
        chunks[index] = sha256
        wake()
    }

    private func finish(_ sha256: String, size: Int64) {
        file = (sha256, size)
        wake()
    }

    private func fail(_ error: any Error) {
        if failure == nil { failure = error }
        wake()
    }

    /// Reads the file at `path` in chunks of `chunkSize` bytes, 1 MiB at a time, publishing each chunk's hash as it
    /// ends; a file with more or fewer chunks than planned fails the pass (it changed since the plan). Cancelling
    /// the task that runs it fails the pass, which releases every waiter.
    nonisolated func read(path: String, chunkSize: Int) async {
        do {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw ObjectStoreError("cannot read \(path): check that it exists and is readable")
            }
            defer { try? handle.close() }
            let count = await chunks.count
            var whole = SHA256()
            var size: Int64 = 0
            for index in 0..<count {
                var chunk = SHA256()
                var filled = 0
                while filled < chunkSize {
                    try Task.checkCancellation()
                    let slice = try handle.read(upToCount: min(chunkSize - filled, Self.sliceBytes)) ?? Data()
                    if slice.isEmpty { break }
                    chunk.update(data: slice)
                    whole.update(data: slice)
                    filled += slice.count
                    await Task.yield()  // a long file must not hold a thread of the cooperative pool
                }
                size += Int64(filled)
                if filled < chunkSize && index < count - 1 { throw Self.changed(path) }
                await record(index, ObjectStoreEngine.hex(chunk.finalize()))
            }
            if !(try handle.read(upToCount: 1) ?? Data()).isEmpty { throw Self.changed(path) }
            await finish(ObjectStoreEngine.hex(whole.finalize()), size: size)
        } catch {
            await fail(error)
        }
    }

    static func changed(_ path: String) -> ObjectStoreError {
        ObjectStoreError(
            "\(path) changed since the upload began (its size differs): put it again as a new object",
            reason: .sourceChanged)
    }

    /// Bytes read at a time.
    static let sliceBytes = 1024 * 1024
}
