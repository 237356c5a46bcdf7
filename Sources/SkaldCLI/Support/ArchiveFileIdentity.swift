import FileSafety
import Foundation
import SkaldConfiguration

/// The check that an SQLite archive's path still names the file a run opened (its ``FileIdentity``). SQLite keeps
/// writing to the files it opened: an archive deleted, moved or replaced under a run received every page of it, and
/// the run ended "Archive complete" with nothing at the path.
enum ArchiveFileIdentity {
    /// The file an SQLite archive at `location` is (nil for PostgreSQL): taken right after the store opened it.
    static func of(_ location: DatabaseLocation) -> FileIdentity? {
        guard case .sqlite(let path) = location else { return nil }
        return FileIdentity(path: path)
    }

    /// Throws when the SQLite archive at `location`, opened as `opened`, is no longer the file at its path.
    static func requireUnchanged(_ opened: FileIdentity?, at location: DatabaseLocation, command: String) throws {
        guard case .sqlite(let path) = location, let opened, FileIdentity(path: path) != opened else { return }
        throw CommandFailure.Message(
            "\(command): the archive file \(path) was deleted, moved or replaced while this run wrote to it, so what "
                + "the run stored is not in the file at that path. Keep an archive's files (\(path), -wal, -shm) in "
                + "place while a command writes to it (copy them between runs), then run the same command again")
    }
}
