import FileSafety

/// What `skald serve` does when the SQLite file it reads stops being the file at its `--db` path: a pure state
/// machine over the path's ``FileIdentity``, observed at each request, so the server never answers from a file the
/// user deleted or replaced.
///
/// A server outlives what users do to its files: a backup restored over the archive (a rename puts a new file at the
/// path), an archive re-created, a folder cleaned. SQLite keeps reading the file it opened whatever the path names
/// now, so without this the server answered from the old file for ever and `/healthz` said ok. The server follows
/// the path, as `tail -F` follows a rotated log: another file at the path is opened and served from the next request
/// on; no file there is refused (503, `/healthz` says why) rather than answered from a file nobody can see any more;
/// a file it cannot open as an archive (a copy still being written) is refused and tried again at each request.
struct ArchiveFileWatch: Sendable {
    /// The file the server answers from, or why it answers none.
    enum State: Equatable, Sendable {
        /// The archive opened from the file with this identity, still at the path.
        case serving(FileIdentity)
        /// No file at the path.
        case missing
        /// The file at the path could not be opened as an archive, for `reason`.
        case unreadable(FileIdentity, reason: String)
    }

    /// What a request does after an observation.
    enum Step: Equatable, Sendable {
        /// Answer from the archive opened.
        case serve
        /// Open the file with this identity, now at the path, then report with ``reopened(_:)`` or
        /// ``reopenFailed(_:reason:)``.
        case reopen(FileIdentity)
        /// Answer 503 with this reason.
        case refuse(String)
    }

    /// The archive's path (`--db`).
    let path: String
    private(set) var state: State

    /// A watch over the archive at `path`, opened from the file with identity `opened`.
    init(path: String, opened: FileIdentity) {
        self.path = path
        state = .serving(opened)
    }

    /// The step for a request, given the file at the path now (`nil`: none); a line for the server's log when the
    /// file has just gone.
    mutating func observe(_ now: FileIdentity?) -> (step: Step, report: String?) {
        guard let now else {
            let reason =
                "the archive file \(path) was deleted or moved away while skald serve read it: put a Skald archive "
                + "back at that path (serve opens it at the next request), or restart serve with another --db"
            if state == .missing { return (.refuse(reason), nil) }
            state = .missing
            return (.refuse(reason), "serve: \(reason)")
        }
        if case .serving(let opened) = state, opened == now { return (.serve, nil) }
        return (.reopen(now), nil)
    }

    /// Records the file with identity `identity` opened; the line for the server's log.
    mutating func reopened(_ identity: FileIdentity) -> String {
        let before = state
        state = .serving(identity)
        return before == .missing
            ? "serve: a Skald archive is at \(path) again: serving it"
            : "serve: the archive file \(path) was replaced: serving the file now at that path"
    }

    /// Records that the file with identity `identity` could not be opened for `reason`; the reason requests are
    /// refused with, and a line for the log when it is new (a file being copied is tried at every request, and said
    /// once).
    mutating func reopenFailed(_ identity: FileIdentity, reason: String) -> (refusal: String, report: String?) {
        let refusal =
            "the archive file \(path) was replaced by a file skald serve cannot read as an archive (\(reason)): "
            + "serve tries it again at each request"
        let before = state
        state = .unreadable(identity, reason: reason)
        return (refusal, before == state ? nil : "serve: \(refusal)")
    }
}
