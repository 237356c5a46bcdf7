import ArchiveStore
import FileSafety
import Synchronization

/// The archive `skald serve` answers from: one store for its whole run (PostgreSQL, tests), or an SQLite file
/// followed by its path (``ArchiveFileWatch``), reopened when another file is put there and refused while none is.
///
/// ```swift
/// let archive = ServedArchive(
///     store: try SQLiteArchiveStore.openForReading(path: path), file: path, opened: FileIdentity(path: path),
///     reopen: { try SQLiteArchiveStore.openForReading(path: path) }, report: { print($0) })
/// let server = ArchiveServer(archive: archive, configuration: configuration)
/// ```
public final class ServedArchive: Sendable {
    /// The store requests use and the watch over its file.
    private struct Current {
        var store: any ArchiveStore
        var watch: ArchiveFileWatch?
    }

    private let state: Mutex<Current>
    private let reopen: @Sendable () throws -> any ArchiveStore
    private let report: @Sendable (String) -> Void

    /// An archive served as it is for the whole run (PostgreSQL, which no path names; tests).
    public init(store: any ArchiveStore) {
        state = Mutex(Current(store: store, watch: nil))
        reopen = { store }
        report = { _ in }
    }

    /// The SQLite archive at `path`, opened from the file with identity `opened` (nil: not followed), reopened with
    /// `reopen` when another file is at the path; `report` gets one line each time the served file changes.
    public init(
        store: any ArchiveStore, file path: String, opened: FileIdentity?,
        reopen: @escaping @Sendable () throws -> any ArchiveStore, report: @escaping @Sendable (String) -> Void
    ) {
        state = Mutex(Current(store: store, watch: opened.map { ArchiveFileWatch(path: path, opened: $0) }))
        self.reopen = reopen
        self.report = report
    }

    /// The store last opened, unchecked: for a request already past ``current()``.
    var latest: any ArchiveStore { state.withLock { $0.store } }

    /// The store for a request, after checking the path still names its file (a stat) and opening the file now
    /// there if it does not. A store replaced is closed when the last request reading it ends.
    /// - Throws: ``ArchiveUnavailable`` when no archive can be read at the path.
    func current() throws -> any ArchiveStore {
        try state.withLock { current in
            guard var watch = current.watch else { return current.store }
            defer { current.watch = watch }
            let (step, line) = watch.observe(FileIdentity(path: watch.path))
            if let line { report(line) }
            switch step {
            case .serve:
                return current.store
            case .refuse(let reason):
                throw ArchiveUnavailable(reason: reason)
            case .reopen(let identity):
                do {
                    current.store = try reopen()
                } catch {
                    let (refusal, line) = watch.reopenFailed(identity, reason: "\(error)")
                    if let line { report(line) }
                    throw ArchiveUnavailable(reason: refusal)
                }
                report(watch.reopened(identity))
                return current.store
            }
        }
    }
}

/// The archive cannot be read now (its file deleted, or replaced by one that is not an archive): answered 503.
struct ArchiveUnavailable: Error, CustomStringConvertible {
    /// What happened and what to do.
    let reason: String
    var description: String { reason }
}
