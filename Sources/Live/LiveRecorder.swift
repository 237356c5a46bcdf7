import Archive
import ArchiveStore
import DiscordGateway
import DiscordModels
import Foundation
import Logging

/// Stores gateway events one at a time, in order, each in one transaction with the session sequence it reaches;
/// runs the REST gap fill after a new session and backfills joined guilds.
actor LiveRecorder {
    let configuration: LiveConfiguration
    let store: any ArchiveStore & LiveCaptureStore
    let observer: any LiveObserver
    let archiveObserver: any ArchiveObserver
    let logger: Logger
    /// The session whose sequence is committed with each event (nil between an invalidation and the next READY's
    /// gap fill: committing a new session before the gap is filled would let a restart skip the gap).
    private var session: GatewayResumeState?
    /// Guilds named by the last READY (a later GUILD_CREATE for another guild is a join).
    private var readyGuilds: Set<Snowflake<Guild>> = []
    private(set) var progress = LiveProgress()

    init(
        configuration: LiveConfiguration, store: any ArchiveStore & LiveCaptureStore, observer: any LiveObserver,
        archiveObserver: any ArchiveObserver, logger: Logger, session: GatewayResumeState?
    ) {
        self.configuration = configuration
        self.store = store
        self.observer = observer
        self.archiveObserver = archiveObserver
        self.logger = logger
        self.session = session
    }

    func handle(_ event: GatewayEvent) async throws {
        switch event {
        case .dispatch(let dispatch):
            try await record(dispatch)
        case .ready(let state, let resumed):
            if resumed {
                progress.resumes += 1
                observer.live(note: "gateway session resumed at sequence \(state.sequence)")
            } else {
                progress.identifies += 1
                observer.live(note: "new gateway session: filling the gap through REST")
                if configuration.shard == nil {
                    try await gapFill(guilds: nil)
                } else if !readyGuilds.isEmpty {
                    // A shard fills only its own guilds: those READY named (shard = (guild_id >> 22) % count).
                    try await gapFill(guilds: readyGuilds.filter { configuration.watches($0) }.sorted())
                }
                observer.live(note: "caught up; watching")
            }
            session = state
            var batch = LiveBatch(at: Date())
            batch.session = record(of: state, sequence: state.sequence)
            try await store.storeLiveBatch(batch)
        case .sessionInvalidated:
            session = nil
        }
    }

    private func record(of state: GatewayResumeState, sequence: Int) -> GatewaySessionRecord {
        GatewaySessionRecord(
            key: configuration.sessionKey, sessionId: state.sessionId, sequence: sequence,
            resumeURL: state.resumeURL, updatedAt: Date())
    }

    /// Runs the archive engine over the watched guilds (or `guilds`): backfill what is incomplete, catch up from
    /// each channel's high-water mark.
    private func gapFill(guilds: [Snowflake<Guild>]?) async throws {
        if let guilds, guilds.isEmpty { return }
        var archive = configuration.archive
        if let guilds {
            archive.accounts = archive.accounts.map { account in
                var account = account
                account.guilds = guilds
                return account
            }
        }
        let engine = ArchiveEngine(configuration: archive, store: store, observer: archiveObserver, logger: logger)
        let summary = try await engine.run()
        if summary.isPartial {
            observer.live(note: "the gap fill could not archive every channel; the next new session retries")
        }
    }

    private func record(_ dispatch: GatewayDispatch) async throws {
        progress.events += 1
        let event: LiveEvent
        do {
            event = try LiveEventTranslator.translate(dispatch)
        } catch {
            logger.warning("malformed \(dispatch.name) payload; not stored", metadata: ["error": "\(error)"])
            event = .ignored
        }
        var batch = LiveBatch(at: dispatch.receivedAt)
        if let session { batch.session = record(of: session, sequence: dispatch.sequence) }
        if configuration.watches(event.guild) {
            try await apply(event, to: &batch)
        }
        // READY's own sequence is committed after the gap fill (see `handle`), never before.
        if dispatch.name == "READY" { batch.session = nil }
        guard !batch.isEmpty || batch.session != nil else { return }
        let result = try await store.storeLiveBatch(batch)
        progress.messages += result.inserted
        progress.edits += result.edited
        progress.deletions += result.deleted
        progress.stored +=
            result.inserted + result.edited + result.deleted + batch.channels.count + batch.deletedChannels.count
            + batch.leftGuilds.count + batch.joinedGuilds.count
        let lag = Date().timeIntervalSince(dispatch.receivedAt)
        progress.lastLag = lag
        progress.maxLag = max(progress.maxLag, lag)
        observer.live(progress)
    }

    private func apply(_ event: LiveEvent, to batch: inout LiveBatch) async throws {
        switch event {
        case .messageCreated(let message, let guild):
            var page = MessagePage(channelId: message.value.channelId, guildId: guild, messages: [message])
            // While the session is continuous every message of the channel arrives here, so the high-water mark
            // moves with them; a channel never archived keeps no checkpoint (the next gap fill backfills it).
            if session != nil, var checkpoint = try await store.checkpoint(for: message.value.channelId),
                let newest = checkpoint.newestArchivedId, newest < message.value.id
            {
                checkpoint.newestArchivedId = message.value.id
                checkpoint.lastSyncAt = batch.at
                page.checkpoint = checkpoint
            }
            batch.pages.append(page)
        case .messageUpdated(let message, let guild):
            batch.pages.append(MessagePage(channelId: message.value.channelId, guildId: guild, messages: [message]))
        case .messagesDeleted(let ids, let channel, _):
            batch.deletions.append(LiveDeletion(channelId: channel, messageIds: ids, at: batch.at))
        case .channelChanged(let channel):
            batch.channels.append(channel)
        case .channelDeleted(let channel, _):
            batch.deletedChannels.append(channel)
        case .guildLeft(let guild):
            batch.leftGuilds.append(guild)
            observer.live(note: "removed from guild \(guild): marked left, nothing deleted")
        case .ready(let guilds):
            readyGuilds = Set(guilds)
        case .guildAvailable(let guild):
            guard !readyGuilds.contains(guild) else { return }
            // A guild joined while watching: discover and backfill it at once.
            readyGuilds.insert(guild)
            observer.live(note: "joined guild \(guild): backfilling")
            try await gapFill(guilds: [guild])
            batch.joinedGuilds.append(guild)
        case .ignored:
            break
        }
    }
}
