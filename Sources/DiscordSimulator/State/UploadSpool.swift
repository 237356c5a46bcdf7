import Foundation

/// Uploaded attachment bytes kept on disk under a temporary folder (not in memory), one file per attachment
/// id, with counters for `/__sim/stats`; the folder is removed when the simulator's state goes away.
final class UploadSpool: @unchecked Sendable {
    let folder: URL
    private let lock = NSLock()
    private var ids: Set<UInt64> = []
    private var bytes = 0
    private var attachments = 0

    init() {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("skald-sim-uploads-\(UUID())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { removeFolder() }

    /// Deletes the folder and every upload in it. The simulator's shutdown calls it: a `skald sim` process that
    /// exits on SIGTERM never runs `deinit`, and a store test's 2 GiB of uploads stayed in the temporary folder.
    func removeFolder() { try? FileManager.default.removeItem(at: folder) }

    func path(_ id: UInt64) -> URL { folder.appendingPathComponent(String(id)) }

    /// Writes an upload's bytes; false when the write fails (a full disk): nothing is kept or counted, and the
    /// message that carried it is refused (see `SimulatorState.appendMessage`).
    @discardableResult
    func store(_ data: [UInt8], id: UInt64) -> Bool {
        guard FileManager.default.createFile(atPath: path(id).path, contents: Data(data)) else {
            try? FileManager.default.removeItem(at: path(id))
            return false
        }
        lock.withLock {
            ids.insert(id)
            bytes += data.count
            attachments += 1
        }
        return true
    }

    /// Forgets an upload stored for a message that was then refused.
    func remove(_ id: UInt64) {
        let size: Int? = lock.withLock {
            guard ids.remove(id) != nil else { return nil }
            return (try? FileManager.default.attributesOfItem(atPath: path(id).path)[.size] as? Int) ?? 0
        }
        guard let size else { return }
        lock.withLock {
            bytes -= size
            attachments -= 1
        }
        try? FileManager.default.removeItem(at: path(id))
    }

    /// An upload's bytes, or nil when `id` is not an upload.
    func read(_ id: UInt64) -> [UInt8]? {
        guard lock.withLock({ ids.contains(id) }), let data = FileManager.default.contents(atPath: path(id).path)
        else { return nil }
        return [UInt8](data)
    }

    /// Flips the middle byte of an upload; false when `id` is not an upload or empty.
    func corrupt(_ id: UInt64) -> Bool {
        guard var data = read(id), !data.isEmpty else { return false }
        data[data.count / 2] ^= 0xFF
        return FileManager.default.createFile(atPath: path(id).path, contents: Data(data))
    }

    /// Uploaded bytes and attachments so far.
    var counts: (bytes: Int, attachments: Int) { lock.withLock { (bytes, attachments) } }
}
