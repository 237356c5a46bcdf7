import Archive
import ArchiveStore
import Foundation
import SQLiteStore

/// Opens the archive a `DatabaseLocation` names.
enum StoreFactory {
    static func open(_ location: DatabaseLocation) throws -> any ArchiveStore {
        switch location {
        case .sqlite(let path):
            do {
                return try SQLiteArchiveStore(path: path)
            } catch {
                throw ConfigurationError.badValue(
                    "cannot open the archive at \(path): \(error). Check that the folder is writable and the file "
                        + "is a Skald archive.")
            }
        case .postgres(let postgres):
            throw ConfigurationError.badValue(
                "PostgreSQL archives (\(postgres)) are not supported by this build yet; use --db sqlite:PATH.")
        }
    }
}
