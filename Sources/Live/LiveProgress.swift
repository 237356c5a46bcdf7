import ArchiveStore
import Foundation

/// Counters of a watch, for the console and the summary.
public struct LiveProgress: Sendable, Hashable {
    /// The session key of the connection these counters belong to (`"0/1"`, or the shard's `"id/count"`).
    public var sessionKey = ""
    /// Dispatches received.
    public var events = 0
    /// Archive changes committed (messages inserted or edited, tombstones, channels, guilds).
    public var stored = 0
    /// Messages inserted.
    public var messages = 0
    /// Messages edited (revisions kept).
    public var edits = 0
    /// Messages tombstoned live.
    public var deletions = 0
    /// Sessions resumed.
    public var resumes = 0
    /// New sessions (READY), each followed by a REST gap fill.
    public var identifies = 0
    /// The latest lag from receiving an event to committing it, in seconds.
    public var lastLag: Double = 0
    /// The largest lag seen, in seconds.
    public var maxLag: Double = 0

    /// Zero counters.
    public init() {}
}

/// Receives progress: called after each commit and at state changes. Implementations must be thread-safe.
public protocol LiveObserver: Sendable {
    /// The counters after a change.
    func live(_ progress: LiveProgress)
    /// A state change worth a line ("connected", "resumed", "gap fill done").
    func live(note: String)
    /// The message pages of a live batch, right after they were committed (new and edited messages).
    func live(stored pages: [MessagePage])
    /// The connection of `sessionKey` (one per shard) is live: caught up after a new session, or resumed.
    func live(ready sessionKey: String)
}

extension LiveObserver {
    /// Ignores them (observers that only count need nothing more).
    public func live(stored pages: [MessagePage]) {}
    /// Ignores it.
    public func live(ready sessionKey: String) {}
}

/// Ignores progress.
public struct SilentLiveObserver: LiveObserver {
    /// Makes one.
    public init() {}
    /// Ignores it.
    public func live(_ progress: LiveProgress) {}
    /// Ignores it.
    public func live(note: String) {}
}
