import ArchiveStore
import DiscordModels
import DiscordREST
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Records the clips of live messages as the bot commits them, in order, off the gateway's path, and (with
/// `downloadMedia`) fetches the files of attachment clips content-addressed beside the archive; after each catch-up
/// it scans what the REST gap fill stored (continuing from the previous scan's cursors).
///
/// What it records comes from the archive, not from the pages it is handed: the live capture marks every message it
/// commits in the same transaction (``LiveConfiguration/marksClips``), and the saver reads the marked messages
/// (``ClipStore/clipBacklog(limit:)``) and deletes the marks in the transaction that records their clips. A process
/// killed between the two leaves the marks, which the next start reads first: an edit that added a link to an old
/// message (which no scan cursor reaches again) keeps its clip. A page handed over only says "read the marks".
///
/// What a clip asks for after its record (its files, the guild's `reaction`) is done before the marks are deleted:
/// the clips are recorded first, then the files fetched and the messages reacted to, then the marks deleted. A
/// process killed in between leaves the marks, and the next start records the same clips again (a record replaces
/// its row), fetches what is still missing (content-addressed: one copy per content) and reacts again (Create
/// Reaction is idempotent). So everything is applied at least once, and nothing twice that shows. A page with no
/// such work records its clips and deletes its marks in one transaction, as before.
public final class ClipSaver: Sendable {
    /// Downloads the attachments the archive lacks, refusing those the closure gives a reason for; returns how many
    /// files it stored.
    public typealias MediaDownload =
        @Sendable (_ refusal: @escaping @Sendable (StoredAttachment) async -> String?) async throws -> Int
    /// Reacts with an emoji (a Unicode emoji or `name:id`) to a message, as the bot (Create Reaction).
    public typealias AddReaction =
        @Sendable (_ emoji: String, _ message: Snowflake<Message>, _ channel: Snowflake<Channel>) async throws -> Void

    /// What the saver is given.
    enum Input: Sendable {
        case pages([MessagePage])
        case caughtUp
    }

    let store: any ArchiveStore & ClipStore & BotStateStore
    let health: BotHealth
    /// The config's guild settings defaults (replaced on SIGHUP).
    let defaults: NIOLockedValueBox<Data>
    /// Downloads the attachments the archive lacks (content-addressed); nil: files are not fetched.
    let downloadMedia: MediaDownload?
    /// Reacts to a saved clip's message with the guild's `reaction`; nil: no reactions.
    let addReaction: AddReaction?
    /// Fetches link clips (`clips.downloader`); nil: link clips are recorded only.
    let linkDownloader: LinkClipDownloader?
    let logger: Logger
    let now: @Sendable () -> Date
    private let inputs: AsyncStream<Input>
    private let continuation: AsyncStream<Input>.Continuation

    /// A saver over `store`, reporting to `health`.
    public init(
        store: any ArchiveStore & ClipStore & BotStateStore, health: BotHealth, logger: Logger,
        defaults: Data = Data("{}".utf8), downloadMedia: MediaDownload? = nil,
        linkDownloader: LinkClipDownloader? = nil, addReaction: AddReaction? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.addReaction = addReaction
        self.linkDownloader = linkDownloader
        self.downloadMedia = downloadMedia
        self.defaults = NIOLockedValueBox(defaults)
        self.health = health
        self.logger = logger
        self.now = now
        (inputs, continuation) = AsyncStream.makeStream(of: Input.self)
    }

    /// Replaces the config's settings defaults (a SIGHUP reload).
    public func reload(defaults: Data) { self.defaults.withLockedValue { $0 = defaults } }

    /// Hands over committed pages.
    public func stored(_ pages: [MessagePage]) { continuation.yield(.pages(pages)) }

    /// Tells the saver a catch-up finished: scan what it stored.
    public func caughtUp() { continuation.yield(.caughtUp) }

    /// No more input: ``run()`` returns once everything given is recorded.
    public func finish() { continuation.finish() }

    /// Records clips until ``finish()``: first those a killed process left marked, then as pages are committed.
    public func run() async {
        await recordBacklog()
        for await input in inputs {
            switch input {
            case .pages:
                await recordBacklog()
            case .caughtUp:
                do {
                    let run = try await ClipScanner(store: store, now: now).scan(
                        guild: nil, channels: [], since: nil, continuing: true)
                    health.update {
                        $0.messagesSeen += run.messagesScanned
                        $0.clipsSaved += run.clipsFound
                        $0.storeError = nil
                    }
                } catch {
                    health.update { $0.storeError = "\(error)" }
                    logger.error("catch-up clip scan failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// Marks read per transaction.
    static let backlogPage = 500

    /// Records the clips of every marked message, a page of marks at a time, then fetches their files and reacts to
    /// their messages, then deletes the page's marks (in the records' transaction when there is nothing to fetch or
    /// react to). A failure to record is logged and leaves the marks for the next page handed over (or the next
    /// start); a failure to fetch or react is logged and the clip stays recorded.
    func recordBacklog() async {
        var policies: [Snowflake<Guild>: ClipPolicy] = [:]
        while true {
            do {
                let backlog = try await store.clipBacklog(limit: Self.backlogPage)
                guard !backlog.marks.isEmpty else { return }
                let at = now()
                var clips: [ClipRecord] = []
                var reactions: [(emoji: String, clip: ClipRecord)] = []
                for message in backlog.messages {
                    var policy = ClipPolicy.everything
                    if let guild = message.guildId {
                        if policies[guild] == nil { policies[guild] = await self.policy(for: guild) }
                        policy = policies[guild] ?? .everything
                    }
                    let kept = ClipRecords.of(message, at: at).filter(policy.keeps)
                    clips += kept
                    if addReaction != nil, let emoji = policy.reaction, let first = kept.first {
                        reactions.append((emoji, first))
                    }
                }
                let fetches = downloadMedia != nil && clips.contains { $0.kind == "attachment" }
                let links = linkDownloader == nil ? [] : clips.filter { $0.kind == "link" }
                let followUp = fetches || !links.isEmpty || !reactions.isEmpty
                try await store.recordClips(clips, consumingMarks: followUp ? [] : backlog.marks)
                health.update {
                    $0.messagesSeen += backlog.messages.count
                    $0.clipsSaved += clips.count
                    $0.storeError = nil
                }
                for clip in clips {
                    logger.info("clip saved", metadata: ["provider": "\(clip.provider)", "url": "\(clip.url)"])
                }
                if followUp {
                    if fetches, let downloadMedia {
                        // A run that stops (Discord's edge refusing the address) leaves the files lacking in the
                        // archive, where the next run finds them: the marks go on, or new clips would wait behind it.
                        do {
                            let files = try await downloadMedia(await downloadRefusal())
                            health.update { $0.filesSaved += files }
                        } catch {
                            logger.warning(
                                "attachment files not fetched now; the next download run fetches them",
                                metadata: ["error": "\(error)"])
                        }
                    }
                    if let linkDownloader {
                        for clip in links {
                            let limit = clip.guildId.flatMap { policies[$0]?.maxDownloadBytes }
                            await fetch(clip, with: linkDownloader, maxBytes: limit)
                        }
                    }
                    for (emoji, clip) in reactions { await react(with: emoji, to: clip) }
                    try await store.recordClips([], consumingMarks: backlog.marks)
                }
                if backlog.marks.count < Self.backlogPage { return }
            } catch {
                health.update { $0.storeError = "\(error)" }
                logger.error("clips not recorded", metadata: ["error": "\(error)"])
                return
            }
        }
    }

    /// Why an attachment is not downloaded: over its guild's `max_download_mb` (Discord's `size`, no request made).
    /// The guilds' limits are read once per download run, by channel.
    func downloadRefusal() async -> @Sendable (StoredAttachment) async -> String? {
        var byChannel: [UInt64: ClipPolicy] = [:]
        var byGuild: [Snowflake<Guild>: ClipPolicy] = [:]
        for channel in (try? await store.channels(in: nil)) ?? [] {
            guard let guild = channel.guildId else { continue }
            if byGuild[guild] == nil { byGuild[guild] = await policy(for: guild) }
            if let policy = byGuild[guild], policy.maxDownloadBytes != nil { byChannel[channel.id.rawValue] = policy }
        }
        let limits = byChannel
        return { attachment in limits[attachment.channelId.rawValue]?.downloadRefusal(size: attachment.size) }
    }

    /// Reacts to the message of `clip` with `emoji`. A refusal is logged with what to do and changes nothing else:
    /// the clip stays recorded, once.
    func react(with emoji: String, to clip: ClipRecord) async {
        guard let addReaction else { return }
        do {
            try await addReaction(emoji, clip.messageId, clip.channelId)
            health.update { $0.reactionsAdded += 1 }
            logger.info(
                "clip reacted to", metadata: ["message": "\(clip.messageId)", "emoji": "\(emoji)"])
        } catch {
            let guild = clip.guildId.map { "\($0)" } ?? "ID"
            var advice = "the clip is saved; the message has no reaction"
            if let rest = error as? DiscordRESTError {
                switch rest.discordCode {
                case 50013, 50001:
                    advice =
                        "the bot may not react in channel \(clip.channelId): give it Add Reactions and Read Message "
                        + "History there, or stop reacting in this guild (skald settings set --guild \(guild) "
                        + "--unset reaction). The clip is saved"
                case 10008:
                    advice = "the message was deleted before the bot reacted: nothing to do (the clip is saved)"
                case 10014:
                    advice =
                        "Discord does not know the emoji \(emoji) (a custom emoji of a guild the bot is not in?): set "
                        + "another with skald settings set --guild \(guild) reaction EMOJI. The clip is saved"
                default: break
                }
            }
            health.update { $0.reactionsFailed += 1 }
            logger.warning(
                "clip not reacted to",
                metadata: [
                    "message": "\(clip.messageId)", "channel": "\(clip.channelId)", "emoji": "\(emoji)",
                    "error": "\(error)", "advice": "\(advice)",
                ])
        }
    }

    /// The guild's settings merged over the defaults, as a clip policy (everything when they cannot be read).
    func policy(for guild: Snowflake<Guild>) async -> ClipPolicy {
        let defaults = self.defaults.withLockedValue { $0 }
        guard
            let merged = try? GuildSettings.merged(defaults: defaults, overrides: try await store.guildSettings(guild))
        else { return .everything }
        return ClipPolicy(settings: merged)
    }

    /// Fetches one link clip (at most `maxBytes`, the guild's `max_download_mb`) and records its file; a failure is
    /// logged and the clip stays recorded without it.
    func fetch(_ clip: ClipRecord, with downloader: LinkClipDownloader, maxBytes: Int64? = nil) async {
        do {
            let file = try await downloader.download(clip, maxBytes: maxBytes)
            try await store.recordClipFile(
                message: clip.messageId, channel: clip.channelId, url: clip.url, sha256: file.sha256, size: file.size,
                path: file.path)
            health.update { $0.filesSaved += 1 }
        } catch {
            logger.warning("link clip not fetched", metadata: ["url": "\(clip.url)", "error": "\(error)"])
        }
    }
}
