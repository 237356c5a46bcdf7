import Crypto
import FileSafety
import Foundation

/// A file written under a temporary name and renamed into place when complete, hashing what it writes.
///
/// The SHA-256 and the file's writes run on a thread of its own (``ChunkWriter``), a few chunks behind the
/// caller: rendering the next messages and hashing and writing the last ones use both cores of the machine.
public final class FileSink {
    /// The file's final path (the bytes go to a temporary beside it until ``commit()`` renames it into place).
    public let path: String
    let temporaryPath: String
    private let handle: FileHandle
    private let writer: ChunkWriter
    private var pending: [UInt8] = []
    private(set) var bytesWritten = 0
    /// The bytes handed to the writer thread at once.
    private static let chunkSize = 1 << 18

    /// Starts writing `path`: refuses a destination that is not a regular file (nothing is touched), removes the
    /// temporaries an interrupted earlier write of it left, and creates a new temporary beside it.
    public init(path: String) throws {
        self.path = path
        do {
            try FileDestination.checkReplaceable(path)
            FileDestination.removeLeftoverTemporaries(for: path)
            let temporary = try FileDestination.createTemporary(for: path)
            temporaryPath = temporary.path
            handle = temporary.handle
        } catch let error as FileSafetyError {
            throw ExportError.io(error.message)
        }
        writer = ChunkWriter(handle: handle, path: path)
        pending.reserveCapacity(Self.chunkSize + (1 << 16))
    }

    deinit { writer.stop() }

    /// Appends `bytes` (handed to the writer thread a chunk at a time).
    public func write(_ bytes: [UInt8]) throws {
        pending.append(contentsOf: bytes)
        bytesWritten += bytes.count
        if pending.count >= Self.chunkSize { try flush() }
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        try writer.enqueue(pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames into place; returns the SHA-256 (lowercase hex).
    public func commit() throws -> String {
        try flush()
        let digest = try writer.finish()
        try? handle.synchronize()
        // Renamed while still open (and locked), so no other process's cleanup can take it away first.
        defer { try? handle.close() }
        do {
            try FileDestination.replace(path, with: temporaryPath)
        } catch let error as FileSafetyError {
            throw ExportError.io(error.message)
        }
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Removes the temporary file.
    public func abandon() {
        writer.stop()
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }

    /// Writes `data` to `path` atomically (temporary file, then rename).
    static func writeAtomically(_ data: Data, to path: String) throws {
        let sink = try FileSink(path: path)
        do {
            try sink.write([UInt8](data))
            _ = try sink.commit()
        } catch {
            sink.abandon()
            throw error
        }
    }

    /// Copies the file at `source` to `path` whole (a temporary file renamed into place, as every file Skald writes);
    /// returns the SHA-256 (lowercase hex) of the bytes written.
    /// - Throws: ``ExportError`` when `source` cannot be read or `path` written.
    public static func copy(from source: String, to path: String) throws -> String {
        guard let input = FileHandle(forReadingAtPath: source) else {
            throw ExportError.io("cannot read \(source): \(FileProblem.describe(errno: errno))")
        }
        defer { try? input.close() }
        let sink = try FileSink(path: path)
        do {
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                try sink.write([UInt8](chunk))
            }
            return try sink.commit()
        } catch {
            sink.abandon()
            throw error
        }
    }

    /// The SHA-256 of a file (lowercase hex), read in chunks.
    public static func sha256(ofFile path: String) throws -> (hash: String, bytes: Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ExportError.io("cannot read \(path): \(FileProblem.describe(errno: errno))")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var total = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            total += chunk.count
        }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), total)
    }
}
