import AsyncHTTPClient
import DiscordREST
import Foundation
import Logging

/// What the archive engine talks to and waits on, given to it instead of built by it: the REST clients (one per
/// token, from one factory), the HTTP client media is downloaded with, the clock it waits on and the time it reads.
/// The command line builds one from its account options; tests build one on the simulator and a virtual clock.
///
/// ```swift
/// let io = ArchiveIO(clients: DiscordClientFactory(apiBase: sim.apiBase, logger: logger))
/// let engine = ArchiveEngine(configuration: configuration, store: store, observer: observer, logger: logger, io: io)
/// ```
public struct ArchiveIO: Sendable {
    /// Makes the REST client of each account.
    public var clients: DiscordClientFactory
    /// The HTTP client attachments are downloaded with (CDN URLs; never closed by the engine).
    public var mediaHTTP: HTTPClient
    /// The clock the engine waits on (lease heartbeats, waiting for another worker's lease).
    public var clock: any Clock<Duration>
    /// The time the engine reads (run records, first-seen times, the recheck window).
    public var now: @Sendable () -> Date
    /// The clock that times how long a fetched page waits for others to commit with it (a few milliseconds; see
    /// `PageGroupStateMachine`). Apart from ``clock`` so that a virtual clock of the leases never holds a page.
    public var groupClock: any Clock<Duration> = ContinuousClock()

    /// The process's media HTTP client (AsyncHTTPClient's default settings, as media downloads always had), made on
    /// first use and never closed, like `HTTPClient.shared`.
    public static let sharedMediaHTTP = HTTPClient(eventLoopGroupProvider: .singleton)

    /// I/O over `clients`, downloading media with ``sharedMediaHTTP``, on the continuous clock.
    public init(
        clients: DiscordClientFactory, mediaHTTP: HTTPClient = ArchiveIO.sharedMediaHTTP,
        clock: any Clock<Duration> = ContinuousClock(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.clients = clients
        self.mediaHTTP = mediaHTTP
        self.clock = clock
        self.now = now
    }

    /// I/O over clients of `apiBase` logging to `logger` (see ``DiscordClientFactory``), media through
    /// ``sharedMediaHTTP``; `clock` is the clock waited on and `now` the time read.
    public init(
        apiBase: String, logger: Logger, clock: any Clock<Duration> = ContinuousClock(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.init(clients: DiscordClientFactory(apiBase: apiBase, logger: logger), clock: clock, now: now)
    }
}
