import Crypto
import FileSafety
import Foundation

/// Hashes (SHA-256) and writes a file's chunks in order on a thread of its own, at most ``depth`` chunks behind
/// the caller (``FileSink``'s writer). The first failing write stops it: the caller is told at its next
/// ``enqueue(_:)`` or at ``finish()``, and nothing after it is written.
///
/// Every 8 MiB written are handed to the disk at once (`sync_file_range(SYNC_FILE_RANGE_WRITE)`: the kernel starts
/// writing them back and returns), instead of waiting in the page cache for the `fsync` of ``FileSink/commit()``:
/// a file of hundreds of MB is then on disk by the time it is complete, and the commit's sync has little left
/// to wait for (before, the whole file was written back in it: seconds per file on this machine's disk).
final class ChunkWriter: @unchecked Sendable {
    private let handle: FileHandle
    /// The bytes written so far (the thread's only).
    private var offset: Int64 = 0
    /// Where the range not yet handed to the disk starts (the thread's only).
    private var unsynced: Int64 = 0
    /// The bytes handed to the disk at once: large ranges, so the kernel builds large writes.
    private static let writebackSize: Int64 = 8 << 20
    private let path: String
    private let depth: Int
    private let condition = NSCondition()
    /// Chunks handed over and not yet written (guarded by ``condition``).
    private var queue: [[UInt8]] = []
    /// Whether no more chunks come (guarded by ``condition``).
    private var closed = false
    /// Whether the thread runs (guarded by ``condition``).
    private var running = false
    /// The first write's failure (guarded by ``condition``).
    private var failure: ExportError?
    /// Written by the thread only; read once it has ended.
    private var hasher = SHA256()

    /// A writer of `handle` (the file at `path`, named in errors); its thread starts with the first chunk.
    init(handle: FileHandle, path: String, depth: Int = 4) {
        self.handle = handle
        self.path = path
        self.depth = max(1, depth)
    }

    /// Hands `chunk` over, waiting while ``depth`` chunks are not yet written.
    /// - Throws: ``ExportError`` of an earlier write that failed.
    func enqueue(_ chunk: [UInt8]) throws {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
        if !running && !closed {
            running = true
            let thread = Thread { [self] in run() }
            thread.name = "skald-export-writer"
            thread.start()
        }
        while queue.count >= depth && failure == nil { condition.wait() }
        if let failure { throw failure }
        queue.append(chunk)
        condition.broadcast()
    }

    /// Waits until every chunk is written and the thread has ended; returns the SHA-256 of all of them.
    /// - Throws: ``ExportError`` of a write that failed.
    func finish() throws -> SHA256.Digest {
        condition.lock()
        closed = true
        condition.broadcast()
        while running { condition.wait() }
        let failure = self.failure
        condition.unlock()
        if let failure { throw failure }
        return hasher.finalize()
    }

    /// Drops what is not yet written and waits until the thread has ended (an abandoned file).
    func stop() {
        condition.lock()
        closed = true
        queue.removeAll()
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed { condition.wait() }
            if queue.isEmpty {
                running = false
                condition.broadcast()
                condition.unlock()
                return
            }
            let chunk = queue.removeFirst()
            condition.unlock()
            hasher.update(data: chunk)
            var problem: ExportError?
            do {
                try handle.write(contentsOf: chunk)
                offset += Int64(chunk.count)
                if offset - unsynced >= Self.writebackSize {
                    Writeback.start(handle.fileDescriptor, offset: unsynced, count: offset - unsynced)
                    unsynced = offset
                }
            } catch {
                problem = ExportError.io("cannot write \(path): \(FileProblem.describe(error, at: path))")
            }
            condition.lock()
            if let problem {
                failure = problem
                queue.removeAll()
                running = false
                condition.broadcast()
                condition.unlock()
                return
            }
            condition.broadcast()
            condition.unlock()
        }
    }
}
