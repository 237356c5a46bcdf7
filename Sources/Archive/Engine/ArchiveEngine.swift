import ArchiveStore
import DiscordModels
import DiscordREST
import Foundation
import Logging

/// Archives every guild, channel, thread and message the configured tokens can see into a store: backfills what
/// is incomplete, catches up from each channel's high-water mark, optionally rechecks a recent window for edits
/// and deletions. Rerunning is always safe and cheap.
///
/// ```swift
/// let engine = ArchiveEngine(configuration: configuration, store: store, observer: SilentArchiveObserver(),
///                            logger: logger)
/// let summary = try await engine.run()     // throws ArchiveError for a bad token or unknown guild
/// exit(summary.isPartial ? 2 : 0)
/// ```
public struct ArchiveEngine: Sendable {
    /// The configuration.
    public let configuration: ArchiveConfiguration
    let store: any ArchiveStore
    let observer: any ArchiveObserver
    let logger: Logger
    /// What the engine talks to and waits on.
    let io: ArchiveIO
    /// The time the engine reads.
    var now: @Sendable () -> Date { io.now }
    /// The clock the engine waits on (lease heartbeats, waiting for another worker's lease).
    var clock: any Clock<Duration> { io.clock }
    /// When the engine was made (workers: a channel another worker synced since then is not fetched again).
    let createdAt: Date

    /// Makes an engine over `store` that reports to `observer` and does its I/O through `io` (its REST clients,
    /// media HTTP client, clock and time).
    public init(
        configuration: ArchiveConfiguration, store: any ArchiveStore, observer: any ArchiveObserver, logger: Logger,
        io: ArchiveIO
    ) {
        self.configuration = configuration
        self.store = store
        self.observer = observer
        self.logger = logger
        self.io = io
        self.createdAt = io.now()
    }

    /// Makes an engine on the live I/O for ``ArchiveConfiguration/apiBase``: clients made by a
    /// ``DiscordClientFactory`` logging to `logger`, media through the shared HTTP client; `now` is the time it reads
    /// and `clock` the clock it waits on.
    public init(
        configuration: ArchiveConfiguration, store: any ArchiveStore, observer: any ArchiveObserver,
        logger: Logger, now: @escaping @Sendable () -> Date = { Date() }, clock: any Clock<Duration> = ContinuousClock()
    ) {
        self.init(
            configuration: configuration, store: store, observer: observer, logger: logger,
            io: ArchiveIO(apiBase: configuration.apiBase, logger: logger, clock: clock, now: now))
    }

    /// Runs every account; returns what was archived and what was not.
    /// - Throws: ``ArchiveError`` when a token is rejected, a requested guild or channel is unknown, or the
    ///   archive cannot be written. Per-channel failures are reported in the summary instead.
    public func run() async throws -> ArchiveSummary {
        var summary = ArchiveSummary(startedAt: now())
        // The run's record is written while the first requests go out (a PostgreSQL archive connects and checks its
        // migrations meanwhile); what refers to it (a run issue, the run's end) waits for it.
        let record = RunRecord(id: UUID(), command: "archive", startedAt: summary.startedAt)
        let run = RunLog(id: record.id, recorded: Task { try await wrapStorage { try await store.startRun(record) } })
        let claims = GuildClaims()
        // One invalid-request budget for every token of the process: Discord's ban is per IP address.
        let ledger = InvalidRequestLedger()
        do {
            try await refuseUnknownChannelSelections(ledger: ledger)
            try await withThrowingTaskGroup(of: [ArchiveSummary.GuildResult].self) { group in
                for account in configuration.accounts {
                    group.addTask {
                        try await archive(account: account, claims: claims, run: run, ledger: ledger)
                    }
                }
                for try await results in group { summary.guilds.append(contentsOf: results) }
            }
            if !configuration.channels.isEmpty || !configuration.excludedChannels.isEmpty {
                let found = Set(try await wrapStorage { try await store.channels(in: nil) }.map(\.id))
                if let missing = configuration.channels.sorted().first(where: { !found.contains($0) }) {
                    throw ArchiveError.unknownChannel(missing)
                }
                // A mistyped exclusion left out nothing: the channel meant may have been archived.
                if let missing = configuration.excludedChannels.sorted().first(where: { !found.contains($0) }) {
                    throw ArchiveError.unknownChannel(missing, option: "--exclude-channel")
                }
            }
            if configuration.media, let account = configuration.accounts.first {
                let media = try await io.clients.withClient(token: account.token, ledger: ledger) { client in
                    try await MediaDownloader(
                        store: store, directory: configuration.mediaDirectory, http: io.mediaHTTP, observer: observer,
                        logger: logger, now: now,
                        refresh: { attachment in try await refreshURL(of: attachment, client: client) }
                    ).downloadPending()
                }
                summary.mediaDownloaded = media.downloaded
                summary.mediaFailed = media.failed
                summary.mediaFailures = media.failures
            }
        } catch {
            let status: RunStatus = Task.isCancelled ? .cancelled : .failed
            if (try? await run.recorded.value) != nil {
                try? await recordEnd(of: run.id, status: status, counts: [:])
            }
            // Refused while media URLs were refreshed (each account's part maps its own).
            if let rest = error as? DiscordRESTError, rest.code == .edgeBanned {
                throw ArchiveError.edgeBanned(underlying: rest)
            }
            throw error
        }
        summary.guilds.sort { $0.guildId < $1.guildId }
        summary.requests = ledger.totalRequests
        summary.invalidRequests = ledger.totalInvalid
        summary.invalidRequestsInWindow = ledger.invalidCount()
        summary.finishedAt = now()
        let counts = [
            "messagesStored": summary.totalMessagesStored, "messagesInserted": summary.totalMessagesInserted,
            "guilds": summary.guilds.count,
        ]
        let status: RunStatus = Task.isCancelled ? .cancelled : summary.isPartial ? .partial : .succeeded
        try await run.recorded.value
        try await wrapStorage { try await recordEnd(of: run.id, status: status, counts: counts) }
        if Task.isCancelled { throw CancellationError() }
        return summary
    }

    /// Records how the run ended, even when the run was cancelled (SIGINT): the write runs in a task of its own,
    /// which the cancellation does not reach, so the run is never left `running` for good.
    private func recordEnd(of runId: UUID, status: RunStatus, counts: [String: Int]) async throws {
        let store = store
        let date = now()
        try await Task { try await store.finishRun(runId, status: status, counts: counts, at: date) }.value
    }

    /// The run's id and the write of its record, which a run issue waits for (it refers to the run).
    struct RunLog: Sendable {
        var id: UUID
        var recorded: Task<Void, any Error>
    }

    // MARK: - One account

    private func archive(
        account: ArchiveConfiguration.Account, claims: GuildClaims, run: RunLog, ledger: InvalidRequestLedger
    ) async throws -> [ArchiveSummary.GuildResult] {
        do {
            return try await io.clients.withClient(token: account.token, ledger: ledger) { client in
                try await archive(account: account, client: client, claims: claims, run: run)
            }
        } catch let rest as DiscordRESTError where rest.code == .unauthorized {
            throw ArchiveError.badToken(account: account.description, underlying: rest)
        } catch let rest as DiscordRESTError where rest.code == .edgeBanned {
            throw ArchiveError.edgeBanned(underlying: rest)
        } catch let rest as DiscordRESTError where rest.code == .transport && !Task.isCancelled {
            throw ArchiveError.unreachable(account: account.description, apiBase: io.clients.apiBase, underlying: rest)
        }
    }

    /// What happened next while an account's guilds are discovered and its channels fetched at once.
    private enum AccountEvent: Sendable {
        /// The first phase of a guild's discovery: its channels and active threads, ready to fetch.
        case channelsFound(guild: Int, found: GuildDiscovery.Result, search: GuildDiscovery.ThreadSearch)
        /// The guild's discovery ended: `found` holds everything, archived threads included.
        case discovered(guild: Int, found: GuildDiscovery.Result, planned: Int)
        /// A channel was fetched (or failed, or was skipped).
        case channelDone(guild: Int, plan: ChannelPlan, report: ChannelReport)
    }

    /// Archives the guilds of one account. Start-up streams: the user (which proves the token) and the guild list at
    /// once; every guild is discovered at once; a guild's channels (and active threads) go into the work
    /// queue as soon as its first round of look-ups is in, so the first message page of every channel is in flight
    /// while the archived threads are still being listed, and those threads join the queue as they are found.
    private func archive(
        account: ArchiveConfiguration.Account, client: DiscordClient, claims: GuildClaims, run: RunLog
    ) async throws -> [ArchiveSummary.GuildResult] {
        // The user and the guild list at once (neither needs the other's answer): the guild's look-ups need both,
        // so the first message page goes out after two round trips, not three. The user still proves the token
        // before any guild is looked up: a bad token costs two invalid requests, not one per look-up.
        // Which channels are complete decides only how new ones are split: read while the guilds are looked up (a
        // PostgreSQL archive may still be connecting and checking its migrations), awaited when the first
        // channels are queued.
        let checkpointsRequest = Task { try await wrapStorage { try await store.checkpoints() } }
        defer { checkpointsRequest.cancel() }
        async let visibleRequest = Self.allGuilds(of: client)
        let me = try await client.currentUser()
        // Stored while the guilds are looked up: nothing waits for the bot's own row.
        let meStored = Task { try await wrapStorage { try await store.storeUsers([me], observedAt: now()) } }
        let visible = try await visibleRequest
        let visibleIds = Set(visible.map(\.value.id))
        for wanted in account.guilds where !visibleIds.contains(wanted) {
            throw ArchiveError.unknownGuild(wanted, account: account.description)
        }
        let selected = visible.filter { account.guilds.isEmpty || account.guilds.contains($0.value.id) }

        let context = ArchiveContext(
            client: client, store: store, observer: observer, logger: logger, now: now,
            pages: PageGroupWriter(store: store, clock: io.groupClock), structure: StructureWrites())
        let discovery = GuildDiscovery(
            context: context, botUser: me.value.id, archiveMembers: configuration.members)
        let archiver = ChannelArchiver(
            context: context, floor: configuration.after.map { Snowflake($0.rawValue + 1) } ?? Snowflake(0),
            reactionUsers: configuration.reactionUsers)
        let recheckSince = configuration.recheckDays.map { now().addingTimeInterval(-Double($0) * 86400) }

        var results: [ArchiveSummary.GuildResult] = []
        try await withThrowingTaskGroup(of: AccountEvent.self) { group in
            for guild in selected where await claims.claim(guild.value.id) {
                observer.archive(.guildStarted(account: account.name, guild: guild.value.id, name: guild.value.name))
                results.append(
                    ArchiveSummary.GuildResult(
                        guildId: guild.value.id, name: guild.value.name,
                        account: account.name))
                let index = results.count - 1
                group.addTask {
                    let (found, search) = try await wrapStorage { try await discovery.discoverChannels(guild.value.id) }
                    return .channelsFound(guild: index, found: found, search: search)
                }
            }
            // The work queue: channels in the order found, at most `concurrency` at once.
            var queue: [(guild: Int, plan: ChannelPlan)] = []
            // Channels whose backfill is complete are not split into ranges.
            var complete: Set<Snowflake<Channel>> = []
            var completeRead = false
            var next = 0
            var running = 0
            var pending = 0
            func enqueue(_ plans: some Sequence<ChannelPlan>, guild: Int) {
                for plan in plans where isSelected(plan) {
                    queue.append((guild, plan))
                    if !complete.contains(plan.id) { pending += 1 }
                }
            }
            func launch() {
                while running < max(1, configuration.concurrency), next < queue.count {
                    let (guild, plan) = queue[next]
                    next += 1
                    running += 1
                    // Split channels seen for the first time into ranges only when there are too few to use the
                    // budget: judged from the channels known when this one starts (every channel of its guild).
                    let parts = max(
                        1, min(configuration.maxSegmentsPerChannel, configuration.concurrency / max(pending, 1)))
                    group.addTask {
                        let report = try await archiveChannelLeased(
                            plan, archiver: archiver, parts: parts, recheckSince: recheckSince)
                        return .channelDone(guild: guild, plan: plan, report: report)
                    }
                }
            }
            while let event = try await group.next() {
                switch event {
                case .channelsFound(let index, let found, let search):
                    results[index].name = found.name
                    if !completeRead {
                        complete = Set(try await checkpointsRequest.value.filter(\.backfillComplete).map(\.channelId))
                        completeRead = true
                    }
                    enqueue(found.readable, guild: index)
                    logStartup("guild channels found", guild: results[index].guildId, queued: queue.count)
                    let planned = found.readable.count
                    group.addTask {
                        var found = found
                        try await wrapStorage { try await discovery.discoverThreads(search, into: &found) }
                        return .discovered(guild: index, found: found, planned: planned)
                    }
                case .discovered(let index, let found, let planned):
                    enqueue(found.readable.dropFirst(planned), guild: index)
                    logStartup("guild discovered", guild: results[index].guildId, queued: queue.count)
                    try await recordDiscovery(found, into: &results[index], run: run)
                case .channelDone(let index, _, let report):
                    running -= 1
                    results[index].messagesStored += report.outcome.stored
                    results[index].messagesInserted += report.outcome.inserted
                    results[index].edits += report.outcome.edited + report.recheck.edited
                    results[index].deletions += report.recheck.deleted
                    results[index].attachments += report.outcome.attachments
                    if let failure = report.failure {
                        results[index].failed.append(failure)
                        try await recordIssue(.failed, failure, guild: results[index].guildId, run: run)
                    }
                    if let skip = report.skip {
                        results[index].skipped.append(skip)
                        try await recordIssue(.skipped, skip, guild: results[index].guildId, run: run)
                    }
                }
                launch()
            }
        }
        try await meStored.value
        return results
    }

    /// Logs (at `info`) a step of start-up, with the time since the engine was made: where start-up time goes.
    private func logStartup(_ step: Logger.Message, guild: Snowflake<Guild>, queued: Int) {
        logger.info(
            step,
            metadata: [
                "guild": "\(guild)", "channelsQueued": "\(queued)",
                "after": "\(String(format: "%.3f", now().timeIntervalSince(createdAt)))",
            ])
    }

    /// Every guild the account can see.
    private static func allGuilds(of client: DiscordClient) async throws -> [Decoded<PartialGuild>] {
        var visible: [Decoded<PartialGuild>] = []
        for try await page in client.guilds() { visible.append(contentsOf: page) }
        return visible
    }

    /// Records what a guild's discovery found (its notes, the channels skipped, the counts) in its result, the run
    /// log and the observer.
    private func recordDiscovery(
        _ found: GuildDiscovery.Result, into result: inout ArchiveSummary.GuildResult, run: RunLog
    ) async throws {
        let selectedPlans = found.readable.filter(isSelected)
        let skipped = found.skipped.filter {
            let place = found.skippedPlaces[$0.channelId]
            return isSelected(id: $0.channelId, parent: place?.parent ?? nil, category: place?.category ?? nil)
        }
        result.name = found.name
        result.notes = found.notes
        for note in found.notes { observer.archive(.note(note)) }
        // Before the skips of channels already fetched (a permission lost since discovery).
        result.skipped.insert(contentsOf: skipped, at: 0)
        result.channels = selectedPlans.filter { !$0.isThread }.count
        result.threads = selectedPlans.filter(\.isThread).count
        for skip in skipped {
            observer.archive(
                .channelSkipped(guild: result.guildId, channel: skip.channelId, label: skip.label, reason: skip.reason))
            try await recordIssue(.skipped, skip, guild: result.guildId, run: run)
        }
        observer.archive(
            .guildPlanned(
                guild: result.guildId, channels: result.channels, threads: result.threads, skipped: skipped.count))
    }

    /// The result of one channel, failures included (they do not stop the run).
    struct ChannelReport: Sendable {
        var outcome = ChannelArchiver.Outcome()
        var recheck = ChannelArchiver.Outcome()
        var failure: ArchiveSummary.ChannelNote?
        var skip: ArchiveSummary.ChannelNote?
    }

    func archiveChannel(
        _ plan: ChannelPlan, archiver: ChannelArchiver, parts: Int, recheckSince: Date?
    ) async throws -> ChannelReport {
        try await reportingFailures(of: plan) { report in
            report.outcome = try await archiver.archive(plan, parts: parts)
            if let recheckSince { report.recheck = try await archiver.recheck(plan, since: recheckSince) }
        }
    }

    /// Runs `body` on a fresh report of `plan`'s channel; a REST failure of the channel alone becomes the report's
    /// failure or skip (a bad token, the exhausted invalid-request budget or the edge's ban stops the run).
    func reportingFailures(
        of plan: ChannelPlan, _ body: (inout ChannelReport) async throws -> Void
    ) async throws -> ChannelReport {
        var report = ChannelReport()
        do {
            try await body(&report)
        } catch let error as DiscordRESTError {
            switch error.code {
            case .unauthorized, .invalidRequestBudgetExhausted, .edgeBanned:
                throw error
            case .badRequest where plan.channel.type.isUnknown:
                // A channel type new to Skald that does not answer message requests: a skip, not a failure.
                let reason = "channel type \(plan.channel.type.rawValue) does not list messages: \(error.description)"
                report.skip = .init(channelId: plan.id, label: plan.label, reason: reason)
                observer.archive(
                    .channelSkipped(guild: plan.guildId, channel: plan.id, label: plan.label, reason: reason))
            case .forbidden, .notFound:
                // Permissions changed since discovery, or the channel is gone: a skip, not a crash.
                let reason = "\(error.status.map { String($0) } ?? "403"): \(error.discordMessage ?? "no access")"
                report.skip = .init(channelId: plan.id, label: plan.label, reason: reason)
                observer.archive(
                    .channelSkipped(guild: plan.guildId, channel: plan.id, label: plan.label, reason: reason))
            default:
                report.failure = .init(channelId: plan.id, label: plan.label, reason: error.description)
                observer.archive(
                    .channelFailed(guild: plan.guildId, channel: plan.id, label: plan.label, reason: error.description))
            }
        } catch let error as ArchiveStoreError {
            throw ArchiveError.storage(error)
        }
        return report
    }

    private func isSelected(_ plan: ChannelPlan) -> Bool {
        isSelected(id: plan.id, parent: plan.isThread ? plan.channel.parentId : nil, category: plan.category)
    }

    /// Whether `--channel`/`--exclude-channel` keep a channel: by its id, a thread by its parent's, and either by
    /// its category's (a category's id stands for everything inside it, as in DiscordChatExporter's `-c`).
    private func isSelected(id: Snowflake<Channel>, parent: Snowflake<Channel>?, category: Snowflake<Channel>?) -> Bool
    {
        let named = [id, parent, category].compactMap { $0 }
        if named.contains(where: configuration.excludedChannels.contains) { return false }
        if configuration.channels.isEmpty { return true }
        return named.contains(where: configuration.channels.contains)
    }

    /// Records a channel that failed or was skipped in the run log.
    private func recordIssue(
        _ kind: RunIssue.Kind, _ note: ArchiveSummary.ChannelNote, guild: Snowflake<Guild>, run: RunLog
    ) async throws {
        try await run.recorded.value
        try await wrapStorage {
            try await store.recordRunIssue(
                RunIssue(kind: kind, guildId: guild, channelId: note.channelId, reason: note.reason, at: now()),
                run: run.id)
        }
    }

    /// Runs a store operation, reporting its failure as ``ArchiveError/storage(_:)``.
    func wrapStorage<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ArchiveStoreError {
            throw ArchiveError.storage(error)
        }
    }

    /// Re-fetches the message of an attachment whose signed URL expired, stores it (re-signed URLs), and returns
    /// the fresh URL.
    func refreshURL(of attachment: StoredAttachment, client: DiscordClient) async throws -> String? {
        let message = try await client.message(attachment.messageId, in: attachment.channelId)
        let stored = try await store.message(attachment.messageId, in: attachment.channelId)
        try await store.storeMessagePage(
            MessagePage(channelId: attachment.channelId, guildId: stored?.guildId, messages: [message]))
        return message.value.attachments.first { $0.id == attachment.id }?.url
    }
}
