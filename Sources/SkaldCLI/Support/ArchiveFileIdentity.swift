import FileSafety
import Foundation
import SkaldConfiguration

/// The file an SQLite archive was opened from (device and inode), to tell at the end of a run whether its path still
/// names that file. SQLite keeps writing to the files it opened: an archive deleted, moved or replaced under a run
/// received every page of it, and the run ended "Archive complete" with nothing at the path.
struct ArchiveFileIdentity: Equatable {
    let file: FileIdentity

    /// The file at `path` now, or nil when there is none.
    init?(path: String) {
        guard let file = FileIdentity(path: path) else { return nil }
        self.file = file
    }

    /// The file an SQLite archive at `location` is (nil for PostgreSQL): taken right after the store opened it.
    static func of(_ location: DatabaseLocation) -> ArchiveFileIdentity? {
        guard case .sqlite(let path) = location else { return nil }
        return ArchiveFileIdentity(path: path)
    }

    /// Throws when the SQLite archive at `location`, opened as `opened`, is no longer the file at its path.
    static func requireUnchanged(_ opened: ArchiveFileIdentity?, at location: DatabaseLocation, command: String) throws
    {
        guard case .sqlite(let path) = location, let opened, ArchiveFileIdentity(path: path) != opened else { return }
        throw CommandFailure.Message(
            "\(command): the archive file \(path) was deleted, moved or replaced while this run wrote to it, so what "
                + "the run stored is not in the file at that path. Keep an archive's files (\(path), -wal, -shm) in "
                + "place while a command writes to it (copy them between runs), then run the same command again")
    }
}
