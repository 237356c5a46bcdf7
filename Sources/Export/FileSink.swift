import Crypto
import Foundation

/// A file written under a temporary name and renamed into place when complete, hashing what it writes.
final class FileSink {
    let path: String
    let temporaryPath: String
    private let handle: FileHandle
    private var hasher = SHA256()
    private var pending: [UInt8] = []
    private(set) var bytesWritten = 0

    init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        temporaryPath =
            url.deletingLastPathComponent().appendingPathComponent(
                ".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp"
            ).path
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil) else {
            throw ExportError.io("cannot create \(temporaryPath)")
        }
        guard let handle = FileHandle(forWritingAtPath: temporaryPath) else {
            throw ExportError.io("cannot open \(temporaryPath) for writing")
        }
        self.handle = handle
    }

    func write(_ bytes: [UInt8]) throws {
        pending.append(contentsOf: bytes)
        bytesWritten += bytes.count
        if pending.count >= 1 << 16 { try flush() }
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        hasher.update(data: pending)
        do {
            try handle.write(contentsOf: pending)
        } catch {
            throw ExportError.io("cannot write \(temporaryPath): \(error)")
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames into place; returns the SHA-256 (lowercase hex).
    func commit() throws -> String {
        try flush()
        try? handle.synchronize()
        try? handle.close()
        if FileManager.default.fileExists(atPath: path) { try? FileManager.default.removeItem(atPath: path) }
        do {
            try FileManager.default.moveItem(atPath: temporaryPath, toPath: path)
        } catch {
            throw ExportError.io("cannot rename \(temporaryPath) to \(path): \(error)")
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Removes the temporary file.
    func abandon() {
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

    /// The SHA-256 of a file (lowercase hex), read in chunks.
    static func sha256(ofFile path: String) throws -> (hash: String, bytes: Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ExportError.io("cannot read \(path)") }
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
