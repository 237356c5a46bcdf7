import ArchiveStore
import DiscordModels
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
public final class ClipSaver: Sendable {
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
    let downloadMedia: (@Sendable () async throws -> Int)?
    /// Fetches link clips (`clips.downloader`); nil: link clips are recorded only.
    let linkDownloader: LinkClipDownloader?
    let logger: Logger
    let now: @Sendable () -> Date
    private let inputs: AsyncStream<Input>
    private let continuation: AsyncStream<Input>.Continuation

    /// A saver over `store`, reporting to `health`.
    public init(
        store: any ArchiveStore & ClipStore & BotStateStore, health: BotHealth, logger: Logger,
        defaults: Data = Data("{}".utf8), downloadMedia: (@Sendable () async throws -> Int)? = nil,
        linkDownloader: LinkClipDownloader? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
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

    /// Records the clips of every marked message, a page of marks at a time, each page's clips and the deletion of
    /// its marks in one transaction; then fetches their files. A failure is logged and leaves the marks for the
    /// next page handed over (or the next start).
    func recordBacklog() async {
        var policies: [Snowflake<Guild>: ClipPolicy] = [:]
        while true {
            do {
                let backlog = try await store.clipBacklog(limit: Self.backlogPage)
                guard !backlog.marks.isEmpty else { return }
                let at = now()
                var clips: [ClipRecord] = []
                for message in backlog.messages {
                    var policy = ClipPolicy.everything
                    if let guild = message.guildId {
                        if policies[guild] == nil { policies[guild] = await self.policy(for: guild) }
                        policy = policies[guild] ?? .everything
                    }
                    clips += ClipRecords.of(message, at: at).filter(policy.keeps)
                }
                try await store.recordClips(clips, consumingMarks: backlog.marks)
                health.update {
                    $0.messagesSeen += backlog.messages.count
                    $0.clipsSaved += clips.count
                    $0.storeError = nil
                }
                for clip in clips {
                    logger.info("clip saved", metadata: ["provider": "\(clip.provider)", "url": "\(clip.url)"])
                }
                if let downloadMedia, clips.contains(where: { $0.kind == "attachment" }) {
                    let files = try await downloadMedia()
                    health.update { $0.filesSaved += files }
                }
                if let linkDownloader {
                    for clip in clips where clip.kind == "link" {
                        await fetch(clip, with: linkDownloader)
                    }
                }
                if backlog.marks.count < Self.backlogPage { return }
            } catch {
                health.update { $0.storeError = "\(error)" }
                logger.error("clips not recorded", metadata: ["error": "\(error)"])
                return
            }
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

    /// Fetches one link clip and records its file; a failure is logged and the clip stays recorded without it.
    func fetch(_ clip: ClipRecord, with downloader: LinkClipDownloader) async {
        do {
            let file = try await downloader.download(clip)
            try await store.recordClipFile(
                message: clip.messageId, channel: clip.channelId, url: clip.url, sha256: file.sha256, size: file.size,
                path: file.path)
            health.update { $0.filesSaved += 1 }
        } catch {
            logger.warning("link clip not fetched", metadata: ["url": "\(clip.url)", "error": "\(error)"])
        }
    }
}
