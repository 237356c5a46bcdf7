import Archive
import ArchiveStore
import DiscordGateway
import DiscordModels
import DiscordREST
import Foundation
import Logging

/// Stores gateway events one at a time, in order, each in one transaction with the session sequence it reaches;
/// runs the REST gap fill after a new session and backfills joined guilds.
///
/// While Discord's edge refuses the address (and the clients wait bans out), the gateway stays up and its events are
/// stored as they arrive; what needs REST is owed (``LiveOwedWork``) and done by a catch-up task once a probe gets
/// through. A new session whose gap fill is owed is committed only after that fill.
actor LiveRecorder {
    let configuration: LiveConfiguration
    let store: any ArchiveStore & LiveCaptureStore
    let observer: any LiveObserver
    let archiveObserver: any ArchiveObserver
    let logger: Logger
    /// The REST clients, clock and time (gap fills run the archive engine on them).
    let io: ArchiveIO
    /// The session whose sequence is committed with each event (nil between an invalidation and the next READY's
    /// gap fill: committing a new session before the gap is filled would let a restart skip the gap).
    private var session: GatewayResumeState?
    /// Guilds named by the last READY (a later GUILD_CREATE for another guild is a join).
    private var readyGuilds: Set<Snowflake<Guild>> = []
    private(set) var progress = LiveProgress()
    /// REST, for what an event does not carry (a message's reaction counts); made on first use.
    private var rest: DiscordClient?
    /// A stop was asked for: a gap fill in progress is cancelled (its pages are committed; the next new session
    /// fills the rest, since the session it was filling for is not committed).
    private var stopping = false
    private var gapFillTask: Task<ArchiveSummary, any Error>?
    /// Cancels the REST read in progress for an event (a message's reactions), for a stop.
    private var cancelRead: (@Sendable () -> Void)?
    /// Whether REST work is owed during an edge ban rather than waited for in line (the clients wait bans out).
    private let defersDuringBans: Bool
    /// The I/O of REST work done in line with the events: under a waiting gate, one that fails at once during a ban
    /// (the work is then owed), so that no event waits for a ban to end.
    private let inlineIO: ArchiveIO
    /// REST work owed since a ban began, and the task doing it.
    private var owed = LiveOwedWork()
    private var catchUp: Task<Void, Never>?
    /// A new session whose gap fill is owed: committed once the fill is done (``session`` stays nil until then).
    private var awaitingGapFill: GatewayResumeState?
    /// The sequence of the newest dispatch of this session stored, for committing a session whose gap fill ended.
    private var storedSequence = 0
    /// Whether the archive keeps each guild's members, as found (see ``keepsMembers(of:)``).
    private var memberKeeping: [Snowflake<Guild>: Bool] = [:]

    init(
        configuration: LiveConfiguration, store: any ArchiveStore & LiveCaptureStore, observer: any LiveObserver,
        archiveObserver: any ArchiveObserver, logger: Logger, io: ArchiveIO, session: GatewayResumeState?
    ) {
        self.io = io
        self.configuration = configuration
        self.store = store
        self.observer = observer
        self.archiveObserver = archiveObserver
        self.logger = logger
        self.session = session
        self.progress.sessionKey = configuration.sessionKey
        let gate = io.clients.edgeRefusals
        defersDuringBans = gate?.waitsOut == true
        var inline = io
        if defersDuringBans { inline.clients.edgeRefusals = gate?.failingFast() }
        inlineIO = inline
    }

    /// Whether Discord's edge is known to refuse the address now.
    private var edgeBanInForce: Bool { io.clients.edgeRefusals?.ban != nil }

    /// Whether REST work is to be owed rather than done in line: a ban is in force, or earlier work is still owed
    /// (done in order by the catch-up task).
    private var owesREST: Bool {
        defersDuringBans && (edgeBanInForce || !owed.isEmpty || catchUp != nil)
    }

    /// READY/RESUMED and invalidations (dispatches go through ``handle(batch:)``).
    private func handle(_ event: GatewayEvent) async throws {
        switch event {
        case .dispatch(let dispatch):
            try await handle(batch: [.dispatch(dispatch)])
        case .ready(let state, let resumed):
            storedSequence = state.sequence
            if resumed {
                progress.resumes += 1
                observer.live(note: "gateway session resumed at sequence \(state.sequence)")
                observer.live(ready: configuration.sessionKey)
                // The session still waits for its gap fill: resumed, it is committed after the fill all the same.
                if awaitingGapFill != nil {
                    awaitingGapFill = state
                    return
                }
            } else {
                progress.identifies += 1
                awaitingGapFill = nil
                observer.live(note: "new gateway session: filling the gap through REST")
                var filled = true
                if configuration.shard == nil {
                    filled = try await gapFill(guilds: nil)
                } else if !readyGuilds.isEmpty {
                    // A shard fills only its own guilds: those READY named (shard = (guild_id >> 22) % count).
                    filled = try await gapFill(guilds: readyGuilds.filter { configuration.watches($0) }.sorted())
                }
                // Stopped during the gap fill: the new session is not committed, so the next start fills again.
                if stopping { return }
                guard filled else {
                    // Owed until the edge ban ends: events are stored meanwhile, the session once the gap is filled.
                    awaitingGapFill = state
                    observer.live(note: "the gap fill waits for Discord's edge to accept requests; storing events")
                    return
                }
                observer.live(note: "caught up; watching")
                observer.live(ready: configuration.sessionKey)
            }
            session = state
            var batch = LiveBatch(at: Date())
            batch.session = record(of: state, sequence: state.sequence)
            try await store.storeLiveBatch(batch)
        case .sessionInvalidated:
            session = nil
            awaitingGapFill = nil
        }
    }

    /// The client of REST reads in line with the events (see ``inlineIO``).
    private func restClient() -> DiscordClient {
        if let rest { return rest }
        let account = configuration.archive.accounts.first
        let client = inlineIO.clients.client(token: account?.token ?? "")
        rest = client
        return client
    }

    /// Stops a gap fill in progress and owed work; events already received are still stored.
    func stop() {
        stopping = true
        gapFillTask?.cancel()
        cancelRead?()
        catchUp?.cancel()
    }

    /// Runs a REST read that ``stop()`` cancels (it throws `CancellationError` then, or at once after a stop).
    private func stoppable<T: Sendable>(_ read: @escaping @Sendable () async throws -> T) async throws -> T {
        if stopping { throw CancellationError() }
        let task = Task { try await read() }
        cancelRead = { task.cancel() }
        defer { cancelRead = nil }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// Ends owed work (a gap fill not done leaves its session uncommitted: the next start fills again) and closes
    /// the REST client, if one was made.
    func shutdown() async {
        stopping = true
        if let catchUp {
            catchUp.cancel()
            await catchUp.value
        }
        if !owed.refreshes.isEmpty {
            logger.info(
                "reaction counts not refreshed at the stop (their reactions are stored)",
                metadata: ["messages": "\(owed.refreshes.count)"])
        }
        try? await rest?.shutdown()
        rest = nil
    }

    private func record(of state: GatewayResumeState, sequence: Int) -> GatewaySessionRecord {
        GatewaySessionRecord(
            key: configuration.sessionKey, sessionId: state.sessionId, sequence: sequence,
            resumeURL: state.resumeURL, updatedAt: Date())
    }

    /// Runs the archive engine over the watched guilds (or `guilds`): backfill what is incomplete, catch up from
    /// each channel's high-water mark. Returns false when the fill is owed instead (Discord's edge refuses the
    /// address): done by the catch-up task once the ban ends.
    private func gapFill(guilds: [Snowflake<Guild>]?) async throws -> Bool {
        if let guilds, guilds.isEmpty { return true }
        if stopping { return true }
        if owesREST {
            owe { $0.oweGapFill(of: guilds) }
            return false
        }
        do {
            try await runGapFill(guilds: guilds, io: inlineIO)
        } catch let error as ArchiveError where error.isEdgeBan && defersDuringBans {
            owe { $0.oweGapFill(of: guilds) }
            return false
        }
        return true
    }

    /// The archive engine's run over `guilds` (nil: every watched guild) on `io`.
    private func runGapFill(guilds: [Snowflake<Guild>]?, io: ArchiveIO) async throws {
        var archive = configuration.archive
        if let guilds {
            archive.accounts = archive.accounts.map { account in
                var account = account
                account.guilds = guilds
                return account
            }
        }
        if stopping { return }
        let engine = ArchiveEngine(
            configuration: archive, store: store, observer: archiveObserver, logger: logger, io: io)
        let task = Task { try await engine.run() }
        gapFillTask = task
        defer { gapFillTask = nil }
        let summary: ArchiveSummary
        do {
            // The fill is a task of its own so that ``stop()`` can cancel it; a watch whose handler is cancelled (the
            // gateway failed, or the watch's task was cancelled) cancels it too, instead of waiting for the whole fill.
            summary = try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                task.cancel()
            }
        } catch  where stopping {
            return
        }
        if summary.isPartial {
            observer.live(note: "the gap fill could not archive every channel; the next new session retries")
        }
    }

    /// Whether the archive keeps `guild`'s members: the capture archives members (`watch --members`), or the archive
    /// holds members of the guild already (made with `archive --members`). An archive made without members gets none
    /// from the gateway either: the few members seen joining or changing would pass for the guild's whole list (the
    /// served `GET /guilds/{g}/members`, `stats`).
    private func keepsMembers(of guild: Snowflake<Guild>) async throws -> Bool {
        if configuration.archive.members { return true }
        if let known = memberKeeping[guild] { return known }
        let keeps = try await !store.members(in: guild, after: nil, limit: 1).isEmpty
        memberKeeping[guild] = keeps
        return keeps
    }

    /// Dispatches gathered for one commit, with the checkpoints they advance and when each was received.
    struct Pending {
        var batch = LiveBatch(at: Date())
        var checkpoints: [Snowflake<Channel>: ChannelCheckpoint] = [:]
        var received: [Date] = []
        var events = 0
        /// The sequence of the last dispatch (READY's excepted).
        var sequence: Int?
    }

    /// Stores what arrived since the previous turn: consecutive dispatches commit together with the session
    /// sequence of the last one; READY, RESUMED, an invalidation and a joined guild's backfill are barriers.
    func handle(batch events: [GatewayEvent]) async throws {
        var pending = Pending()
        for event in events {
            switch event {
            case .dispatch(let dispatch):
                try await add(dispatch, to: &pending)
            case .ready, .sessionInvalidated:
                try await flush(&pending)
                try await handle(event)
            }
        }
        try await flush(&pending)
    }

    private func add(_ dispatch: GatewayDispatch, to pending: inout Pending) async throws {
        pending.events += 1
        let event: LiveEvent
        do {
            event = try LiveEventTranslator.translate(dispatch)
        } catch {
            logger.warning("malformed \(dispatch.name) payload; not stored", metadata: ["error": "\(error)"])
            event = .ignored
        }
        if case .guildAvailable(let guild) = event, configuration.watches(guild), !readyGuilds.contains(guild) {
            // A join: commit what came before, then backfill the guild before anything newer is stored.
            try await flush(&pending)
            pending.events += 1
        }
        if configuration.watches(event.guild) {
            try await apply(event, to: &pending)
        }
        // READY's own sequence is committed after the gap fill (see `handle`), never before.
        if dispatch.name != "READY" {
            pending.sequence = dispatch.sequence
            if let session { pending.batch.session = record(of: session, sequence: dispatch.sequence) }
        }
        pending.received.append(dispatch.receivedAt)
    }

    private func flush(_ pending: inout Pending) async throws {
        defer { pending = Pending() }
        progress.events += pending.events
        var batch = pending.batch
        guard !batch.isEmpty || batch.session != nil else { return }
        batch.marksClips = configuration.marksClips
        let result = try await store.storeLiveBatch(batch)
        if let sequence = pending.sequence { storedSequence = max(storedSequence, sequence) }
        if !batch.pages.isEmpty { observer.live(stored: batch.pages) }
        progress.messages += result.inserted
        progress.edits += result.edited
        progress.deletions += result.deleted
        progress.stored +=
            result.inserted + result.edited + result.deleted + batch.channels.count + batch.objects.count
            + batch.deletedChannels.count
            + batch.leftGuilds.count + batch.joinedGuilds.count + batch.members.count
        if let oldest = pending.received.min() {
            let lag = Date().timeIntervalSince(oldest)
            progress.lastLag = lag
            progress.maxLag = max(progress.maxLag, lag)
        }
        observer.live(progress)
    }

    /// Reads a message again through REST and adds it as it now is (a deleted or unreadable one adds nothing).
    /// During an edge ban the read is owed instead, and done by the catch-up once the ban ends.
    private func reread(
        _ message: Snowflake<Message>, in channel: Snowflake<Channel>, guild: Snowflake<Guild>?,
        into pending: inout Pending
    ) async {
        let refresh = LiveOwedWork.Refresh(message: message, channel: channel, guild: guild)
        if owesREST {
            oweRefresh(refresh)
            return
        }
        let client = restClient()
        do {
            let fresh = try await stoppable { try await client.message(message, in: channel) }
            pending.batch.pages.append(MessagePage(channelId: channel, guildId: guild, messages: [fresh]))
        } catch let error as DiscordRESTError where error.code == .edgeBanned && defersDuringBans {
            oweRefresh(refresh)
        } catch {
            // A message that cannot be read keeps what is stored of it.
        }
    }

    /// Reads a guild's full listing of `kind` again (`read`) and adds it, what it lacks tombstoned; a listing that
    /// cannot be read keeps what is stored.
    private func rereadListing(
        _ kind: ObjectKind, of guild: Snowflake<Guild>, into pending: inout Pending,
        read: @escaping @Sendable () async throws -> [ObjectRow]
    ) async {
        guard let rows = try? await stoppable(read) else { return }
        pending.batch.objects +=
            rows.map { .upsert($0) } + [
                .tombstoneMissing(kind, guild: guild, keeping: rows.map(\.id), onlyNonThreads: false)
            ]
    }

    /// Reads the channel's pins again and adds them to `pending` (see ``LiveEvent/pinsChanged(channel:guild:)``).
    /// During an edge ban the read is owed instead.
    private func rereadPins(of channel: Snowflake<Channel>, guild: Snowflake<Guild>?, into pending: inout Pending) async
    {
        let refresh = LiveOwedWork.PinsRefresh(channel: channel, guild: guild)
        if owesREST {
            owe { $0.owePinsRefresh(refresh) }
            return
        }
        let client = restClient()
        let store = self.store
        do {
            let (page, pins) = try await stoppable {
                try await Self.readPins(of: channel, guild: guild, client: client, store: store)
            }
            pending.batch.pages.append(page)
            pending.batch.pins.append(pins)
        } catch let error as DiscordRESTError where error.code == .edgeBanned && defersDuringBans {
            owe { $0.owePinsRefresh(refresh) }
        } catch {
            // Pins that cannot be read (the channel gone, or no longer readable) keep what is stored.
        }
    }

    /// The channel's pins through REST: every pinned message as it now is, with its `pinned_at`, and the messages
    /// the archive holds as pinned that the route no longer lists, read again (unpinned now, or deleted: a message
    /// that cannot be read keeps what is stored of it).
    static func readPins(
        of channel: Snowflake<Channel>, guild: Snowflake<Guild>?, client: DiscordClient,
        store: any ArchiveStore & LiveCaptureStore
    ) async throws -> (MessagePage, ChannelPins) {
        var messages: [Decoded<Message>] = []
        var pinnedAt: [Snowflake<Message>: String] = [:]
        for try await page in client.pins(in: channel) {
            for item in page.items {
                guard let json = JSONScanner.member("message", in: item.json) else { continue }
                let message = try Decoded<Message>(decoding: json)
                guard pinnedAt.updateValue(item.value.pinnedAt.rawValue, forKey: message.value.id) == nil else {
                    continue
                }
                messages.append(message)
            }
        }
        let stored = try await store.search(
            MessageSearch(channels: [channel], pinned: true, deleted: false), before: nil, limit: 1_000)
        for message in stored where pinnedAt[message.id] == nil {
            try Task.checkCancellation()
            if let fresh = try? await client.message(message.id, in: channel) { messages.append(fresh) }
        }
        return (
            MessagePage(channelId: channel, guildId: guild, messages: messages),
            ChannelPins(channelId: channel, pinnedAt: pinnedAt)
        )
    }

    private func apply(_ event: LiveEvent, to pending: inout Pending) async throws {
        switch event {
        case .messageCreated(let message, let guild):
            let channel = message.value.channelId
            var page = MessagePage(channelId: channel, guildId: guild, messages: [message])
            // While the session is continuous every message of the channel arrives here, so the high-water mark
            // moves with them; a channel never archived keeps no checkpoint (the next gap fill backfills it).
            if session != nil {
                var known = pending.checkpoints[channel]
                if known == nil { known = try await store.checkpoint(for: channel) }
                if var checkpoint = known, let newest = checkpoint.newestArchivedId, newest < message.value.id {
                    checkpoint.newestArchivedId = message.value.id
                    checkpoint.lastSyncAt = pending.batch.at
                    page.checkpoint = checkpoint
                    pending.checkpoints[channel] = checkpoint
                }
            }
            pending.batch.pages.append(page)
        case .messageUpdated(let message, let guild):
            pending.batch.pages.append(
                MessagePage(channelId: message.value.channelId, guildId: guild, messages: [message]))
        case .messagesDeleted(let ids, let channel, _):
            pending.batch.deletions.append(LiveDeletion(channelId: channel, messageIds: ids, at: Date()))
        case .reactionAdded(let message, let channel, let guild, let emoji, let burst, let user):
            // The event has no counts: the message is read again (its reactions are refreshed in place, no
            // revision). Reaction users only ever grow, so storing one again after a crash changes nothing.
            await reread(message, in: channel, guild: guild, into: &pending)
            if let user {
                try? await store.storeReactionUsers(
                    [user], message: message, in: channel, emojiKey: StoredReaction.emojiKey(emoji), burst: burst,
                    observedAt: Date())
            }
        case .messageChanged(let message, let channel, let guild):
            await reread(message, in: channel, guild: guild, into: &pending)
        case .pinsChanged(let channel, let guild):
            await rereadPins(of: channel, guild: guild, into: &pending)
        case .rolesChanged(let guild):
            let client = restClient()
            await rereadListing(.role, of: guild, into: &pending) {
                try await client.roles(guild).map { ObjectRow.role($0, guild: guild) }
            }
        case .scheduledEventsChanged(let guild):
            let client = restClient()
            await rereadListing(.scheduledEvent, of: guild, into: &pending) {
                try await client.scheduledEvents(guild, withUserCount: true).map(ObjectRow.scheduledEvent)
            }
        case .threadsSynced(let threads, _):
            pending.batch.channels += threads
        case .structureChanged(let steps, _):
            pending.batch.objects += steps
        case .channelChanged(let channel):
            pending.batch.channels.append(channel)
        case .channelDeleted(let channel, _):
            pending.batch.deletedChannels.append(channel)
        case .memberChanged(let member, let guild):
            if try await keepsMembers(of: guild) { pending.batch.members.append(.upsert(member, guild: guild)) }
        case .memberLeft(let user, let guild):
            if try await keepsMembers(of: guild) { pending.batch.members.append(.left(user, guild: guild)) }
        case .guildLeft(let guild):
            pending.batch.leftGuilds.append(guild)
            observer.live(note: "removed from guild \(guild): marked left, nothing deleted")
        case .ready(let guilds):
            readyGuilds = Set(guilds)
        case .guildAvailable(let guild):
            guard !readyGuilds.contains(guild) else { return }
            // A guild joined while watching: discover and backfill it at once.
            readyGuilds.insert(guild)
            observer.live(note: "joined guild \(guild): backfilling")
            _ = try await gapFill(guilds: [guild])
            pending.batch.joinedGuilds.append(guild)
        case .ignored:
            break
        }
    }
}

// MARK: - Work owed during an edge ban

extension LiveRecorder {
    /// Adds to the owed work and makes sure the catch-up task runs.
    fileprivate func owe(_ change: (inout LiveOwedWork) -> Void) {
        change(&owed)
        guard catchUp == nil, !stopping else { return }
        catchUp = Task { await self.catchUpOwedWork() }
    }

    fileprivate func oweRefresh(_ refresh: LiveOwedWork.Refresh) {
        var kept = true
        owe { kept = $0.oweRefresh(refresh) }
        if !kept, owed.droppedRefreshes == 1 {
            observer.live(
                note: "more than \(owed.refreshLimit) messages wait to be read again (reaction counts, edits seen "
                    + "in part) during the edge ban; further ones are not read again (their events are stored)")
        }
    }

    /// Does the owed work on the waiting clients: the first request waits for the ban's end (one probe at a time,
    /// on the gate's schedule), then everything owed is done in order, including what was owed meanwhile. A new
    /// session waiting for its gap fill is committed once no gap fill is owed any more.
    fileprivate func catchUpOwedWork() async {
        defer { catchUp = nil }
        while !stopping, let turn = owed.take() {
            do {
                if let fill = turn.gapFill {
                    switch fill {
                    case .everything: try await runGapFill(guilds: nil, io: io)
                    case .guilds(let guilds): try await runGapFill(guilds: guilds.sorted(), io: io)
                    }
                }
                if owed.gapFill == nil, let waiting = awaitingGapFill, !stopping {
                    try await commitAfterGapFill(waiting)
                }
                if !turn.refreshes.isEmpty {
                    var pending = Pending()
                    pending.batch.pages = try await refreshed(turn.refreshes)
                    try await flush(&pending)
                }
                if !turn.pinRefreshes.isEmpty {
                    var pending = Pending()
                    let token = configuration.archive.accounts.first?.token ?? ""
                    let store = self.store
                    for refresh in turn.pinRefreshes {
                        let read = try? await io.clients.withClient(token: token) { client in
                            try await Self.readPins(
                                of: refresh.channel, guild: refresh.guild, client: client, store: store)
                        }
                        guard let read else { continue }
                        pending.batch.pages.append(read.0)
                        pending.batch.pins.append(read.1)
                    }
                    try await flush(&pending)
                }
            } catch {
                if stopping || Task.isCancelled { return }
                logger.warning("work owed since the edge ban failed", metadata: ["error": "\(error)"])
                observer.live(
                    note: "the work owed since Discord's edge ban failed (\(error)); the next new session "
                        + "fills the gap again")
            }
        }
    }

    /// Reads the messages of `refreshes` again on a waiting client (a stop cancels the catch-up task, and with it
    /// the read); a message that cannot be read (deleted meanwhile) keeps its stored counts.
    private func refreshed(_ refreshes: [LiveOwedWork.Refresh]) async throws -> [MessagePage] {
        let token = configuration.archive.accounts.first?.token ?? ""
        return try await io.clients.withClient(token: token) { client in
            var pages: [MessagePage] = []
            for refresh in refreshes {
                try Task.checkCancellation()
                guard let fresh = try? await client.message(refresh.message, in: refresh.channel) else { continue }
                pages.append(MessagePage(channelId: refresh.channel, guildId: refresh.guild, messages: [fresh]))
            }
            return pages
        }
    }

    /// Commits `state`, the session whose gap fill just ended, at the newest sequence stored since its READY.
    private func commitAfterGapFill(_ state: GatewayResumeState) async throws {
        awaitingGapFill = nil
        session = state
        var batch = LiveBatch(at: Date())
        batch.session = record(of: state, sequence: max(state.sequence, storedSequence))
        try await store.storeLiveBatch(batch)
        observer.live(note: "caught up after the edge ban; watching")
        observer.live(ready: configuration.sessionKey)
    }
}
