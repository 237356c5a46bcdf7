import Archive
import ArchiveStore
import DiscordGateway
import DiscordModels
import DiscordREST
import Foundation
import Logging

/// Live capture: catches the archive up through the archive engine, then stays on the gateway and stores every
/// event as it arrives, committing the gateway session with the events it covers.
///
/// - A stored session is resumed (after a restart, even a `kill -9`): the gateway replays what happened while
///   the process was down.
/// - A new session (first start, refused resume, op 9) is followed by a REST gap fill from each channel's
///   high-water mark, through ``ArchiveEngine``, before the events received since READY are stored.
/// - ``stop()`` closes with a resumable code after everything received is committed.
///
/// ```swift
/// let live = LiveCapture(configuration: configuration, store: store, observer: SilentLiveObserver(), logger: log)
/// let progress = try await live.run()       // until live.stop()
/// ```
public struct LiveCapture: Sendable {
    /// The configuration.
    public let configuration: LiveConfiguration
    let store: any ArchiveStore & LiveCaptureStore
    let observer: any LiveObserver
    let archiveObserver: any ArchiveObserver
    let logger: Logger
    /// The REST clients (the gateway's description, gap fills, reaction counts), clock and time.
    let io: ArchiveIO
    private let stops: AsyncStream<Void>
    private let stopper: AsyncStream<Void>.Continuation
    private let stopRequested = LiveFlag()
    private let recorder = LiveRecorderSlot()
    /// The gateway's description being read at the start, for ``stop()`` to cancel: while Discord's edge refuses the
    /// address the read waits for the ban to end.
    private let lookup = LiveLookupSlot()

    /// Prepares a watch; nothing happens before ``run()``. Its REST calls go through `io` (by default clients of
    /// ``ArchiveConfiguration/apiBase`` logging to `logger`).
    public init(
        configuration: LiveConfiguration, store: any ArchiveStore & LiveCaptureStore, observer: any LiveObserver,
        archiveObserver: any ArchiveObserver = SilentArchiveObserver(), logger: Logger, io: ArchiveIO? = nil
    ) {
        self.configuration = configuration
        self.store = store
        self.observer = observer
        self.archiveObserver = archiveObserver
        self.logger = logger
        self.io = io ?? ArchiveIO(apiBase: configuration.archive.apiBase, logger: logger)
        (stops, stopper) = AsyncStream.makeStream(of: Void.self)
    }

    /// Asks a running watch to stop: stop reading, commit what was received, close resumably, return.
    public func stop() {
        stopRequested.set()
        stopper.yield()
        lookup.cancel()
        if let running = recorder.value { Task { await running.stop() } }
    }

    /// Watches until ``stop()``.
    /// - Throws: ``ArchiveError`` for a rejected token, ``GatewayError`` for a close code that forbids
    ///   reconnecting, ``LiveError`` when the gateway cannot be described, or a storage failure.
    public func run() async throws -> LiveProgress {
        guard let account = configuration.archive.accounts.first else {
            throw LiveError(message: "no token to watch with")
        }
        if configuration.startDelay > .zero {
            // A stop during the wait for this shard's turn (5.5 s per shard before it) ends the watch at once,
            // before it connects.
            let waiting = Task { [io, delay = configuration.startDelay] in try await io.clock.sleep(for: delay) }
            lookup.set(waiting)
            _ = try? await withTaskCancellationHandler {
                try await waiting.value
            } onCancel: {
                waiting.cancel()
            }
            if stopRequested.isSet { return LiveProgress() }
            try Task.checkCancellation()
        }
        let bot: GatewayBot
        let reading = Task { [io] in
            try await io.clients.withClient(token: account.token) { rest in try await rest.gatewayBot().value }
        }
        lookup.set(reading)
        do {
            bot = try await withTaskCancellationHandler {
                try await reading.value
            } onCancel: {
                reading.cancel()
            }
        } catch  where stopRequested.isSet {
            return LiveProgress()
        } catch let error where error is CancellationError || Task.isCancelled {
            // The watch's task was cancelled (its service group stopping for another reason): no gateway failure.
            throw CancellationError()
        } catch let restError as DiscordRESTError where restError.code == .unauthorized {
            throw ArchiveError.badToken(account: account.description, underlying: restError)
        } catch {
            throw LiveError.gatewayUnavailable("\(error)")
        }
        var gateway = GatewayClientConfiguration(token: account.token, gatewayURL: bot.url)
        gateway.intents = configuration.intents
        gateway.shard = configuration.shard
        gateway.identifyBudget = (
            bot.sessionStartLimit.remaining, bot.sessionStartLimit.resetAfter, bot.sessionStartLimit.maxConcurrency
        )
        gateway.session = configuration.session
        gateway.onConnectionChange = configuration.onGatewayConnection
        let client = GatewayClient(configuration: gateway, logger: logger)
        let stored = try await store.gatewaySession(configuration.sessionKey)
        let resume = stored.map {
            GatewayResumeState(sessionId: $0.sessionId, sequence: $0.sequence, resumeURL: $0.resumeURL)
        }
        let recorder = LiveRecorder(
            configuration: configuration, store: store, observer: observer, archiveObserver: archiveObserver,
            logger: logger, io: io, session: resume)
        self.recorder.set(recorder)
        // A stop that came while the recorder was being made.
        if stopRequested.isSet { await recorder.stop() }
        let stops = self.stops
        let stopTask = Task {
            for await _ in stops {
                client.stop()
                return
            }
        }
        defer { stopTask.cancel() }
        observer.live(note: resume == nil ? "connecting to the gateway" : "resuming the stored gateway session")
        do {
            try await client.runBatches(resume: resume) { events in try await recorder.handle(batch: events) }
        } catch let store as ArchiveStoreError where store.storageFull != nil {
            await recorder.shutdown()
            throw LiveError.storageFull(store)
        } catch {
            await recorder.shutdown()
            // Cancelled from outside (not stopped): whatever the connection threw as it was torn down, the cause is
            // the cancellation, which the canceller reports; a storage failure met meanwhile is still reported.
            if Task.isCancelled, !(error is ArchiveStoreError) { throw CancellationError() }
            throw error
        }
        await recorder.shutdown()
        return await recorder.progress
    }
}
