import FileSafety
import Foundation

/// Hands an archive's WAL to the disk while an import's transaction is still writing it: after each batch, the
/// kernel is told to start writing back the WAL's dirty pages (`sync_file_range(SYNC_FILE_RANGE_WRITE)`: it starts
/// the writes and returns). The checkpoint after the commit then finds the WAL mostly on disk already, so its
/// `fdatasync` of the WAL (0.2–0.5 s a file on this machine's disk, the last one on the import's path) has little
/// left to wait for. Nothing here changes what is durable when: only when the bytes start to travel.
final class WALWriteback {
    private let descriptor: Int32

    /// Opens the WAL of the archive at `path` (`nil` when it has none, or off Linux).
    init?(archive path: String) {
        guard Writeback.isAvailable else { return nil }
        let descriptor = open(path + "-wal", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Starts writing back every dirty page of the WAL (does not wait for them).
    func start() {
        Writeback.start(descriptor)
    }
}
