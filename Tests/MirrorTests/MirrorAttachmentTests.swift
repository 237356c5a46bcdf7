import ArchiveStore
import DiscordModels
import FluxerSimulator
import Foundation
import Mirror
import SQLiteStore
import Synchronization
import Testing

/// Attachments re-uploaded to fluxer-sim: from the archive's media folder or fetched from their stored URL,
/// within the target's caps, once each even across a kill.
@Suite("Mirror attachments")
struct MirrorAttachmentTests {
    /// Every archived attachment of the guild's channels with its message: (message id, attachment).
    static func archived(_ store: SQLiteArchiveStore, guild: UInt64) async throws -> [StoredAttachment] {
        var result: [StoredAttachment] = []
        for channel in try await store.channels(in: Snowflake(guild)) {
            for message in try await store.messages(in: channel.id, after: nil, limit: 100_000)
            where message.deletedAt == nil {
                result += try await store.attachments(of: message.id, in: channel.id)
            }
        }
        return result
    }

    static func withMedia(_ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skald-mirror-media-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory.path)
    }

    /// The target's files equal the archive's, byte for byte (SHA-256), whether read from the media folder or
    /// fetched from the stored URL through the temporary folder (which is empty afterwards).
    @Test(arguments: [true, false])
    func attachmentsAreUploadedWithTheirBytes(fromMediaFolder: Bool) async throws {
        try await Self.withMedia { media in
            try await MirrorTests.withMirror(mediaDirectory: media) { store, guild, fluxer, target in
                let archived = try await Self.archived(store, guild: guild)
                #expect(archived.count > 3 && archived.allSatisfy { $0.sha256 != nil })
                let plan = try await MirrorPlanner(store: store).plan(
                    sourceGuild: guild, target: "fluxer:\(fluxer.guildID)")
                var engine = MirrorEngine(store: store, target: target, logger: MirrorTests.logger)
                let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("skald-up-\(UUID())")
                defer { try? FileManager.default.removeItem(at: temporary) }
                engine.attachments = MirrorAttachments(
                    mediaRoot: fromMediaFolder ? media : nil, temporaryDirectory: temporary)
                _ = try await engine.run(plan)
                let uploaded = await fluxer.attachments()
                #expect(uploaded.map(\.sha256).sorted() == archived.compactMap(\.sha256).sorted())
                #expect(
                    uploaded.map(\.filename).sorted()
                        == archived.map { $0.filename.replacingOccurrences(of: " ", with: "_") }.sorted())
                #expect(uploaded.allSatisfy { !$0.content.contains("📎") }, "an uploaded file was also listed")
                let left = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
                #expect(left.isEmpty, "temporary files left: \(left)")
                #expect(await fluxer.rateLimited().global == 0)
            }
        }
    }

    /// A file over the target's per-file cap is linked with a note; the others are uploaded.
    @Test func oversizeFilesAreLinked() async throws {
        let cap = 100 * 1024
        try await Self.withMedia { media in
            try await MirrorTests.withMirror(mediaDirectory: media, configure: { $0.maxFileBytes = cap }) {
                store, guild, fluxer, target in
                let archived = try await Self.archived(store, guild: guild)
                let small = archived.filter { $0.size <= cap }
                let large = archived.filter { $0.size > cap }
                #expect(!small.isEmpty && !large.isEmpty)
                let plan = try await MirrorPlanner(store: store).plan(
                    sourceGuild: guild, target: "fluxer:\(fluxer.guildID)")
                var engine = MirrorEngine(store: store, target: target, logger: MirrorTests.logger)
                engine.attachments = MirrorAttachments(mediaRoot: media, caps: .init(perFile: Int64(cap)))
                _ = try await engine.run(plan)
                #expect(await fluxer.attachments().map(\.sha256).sorted() == small.compactMap(\.sha256).sorted())
                let texts = await fluxer.messageContents().values.joined()
                let notes = texts.filter { $0.contains("over the target's 0.1 MB file limit") }
                #expect(notes.count > 0)
                #expect(
                    large.allSatisfy { file in texts.contains { $0.contains(file.url) } }, "a large file was not linked"
                )
            }
        }
    }

    /// Fluxer [B] webhooks take no files (fluxer-api.md §3.5): every attachment is linked, none uploaded.
    @Test func baselineLinksEveryFile() async throws {
        try await Self.withMedia { media in
            try await MirrorTests.withMirror(flavour: .baseline, mediaDirectory: media) {
                store, guild, fluxer, target in
                let archived = try await Self.archived(store, guild: guild)
                let plan = try await MirrorPlanner(store: store).plan(
                    sourceGuild: guild, target: "fluxer:\(fluxer.guildID)")
                var engine = MirrorEngine(store: store, target: target, logger: MirrorTests.logger)
                engine.attachments = MirrorAttachments(mediaRoot: media)
                _ = try await engine.run(plan)
                #expect(await fluxer.attachments().isEmpty)
                let texts = await fluxer.messageContents().values.joined()
                #expect(archived.allSatisfy { file in texts.contains { $0.contains(file.url) } })
            }
        }
    }

    /// Stops once after the first write of a message carrying files, before it is recorded.
    final class Tripwire: Sendable {
        let ids: Set<UInt64>
        private let state = Mutex(false)
        init(_ ids: Set<UInt64>) { self.ids = ids }
        var fired: Bool { state.withLock { $0 } }
        func check(_ step: MirrorEngine.Step) throws {
            guard case .message(_, let id, _) = step, ids.contains(id) else { return }
            if state.withLock({ fired in
                defer { fired = true }
                return !fired
            }) {
                throw CancellationError()
            }
        }
    }

    /// A kill between the upload and its record: the rerun posts the message with its files no second time.
    @Test(arguments: FluxerSimulatorConfiguration.Flavour.allCases)
    func killAfterAnUploadPostsItOnce(flavour: FluxerSimulatorConfiguration.Flavour) async throws {
        try await Self.withMedia { media in
            try await MirrorTests.withMirror(flavour: flavour, mediaDirectory: media) {
                store, guild, fluxer, target in
                let archived = try await Self.archived(store, guild: guild)
                let key = "fluxer:\(fluxer.guildID)"
                let planner = MirrorPlanner(store: store)
                let tripwire = Tripwire(Set(archived.map(\.messageId.rawValue)))
                var engine = MirrorEngine(store: store, target: target, logger: MirrorTests.logger)
                engine.parallelChannels = 1
                engine.attachments = MirrorAttachments(mediaRoot: media)
                engine.afterWrite = { try tripwire.check($0) }
                await #expect(throws: CancellationError.self) {
                    _ = try await engine.run(try await planner.plan(sourceGuild: guild, target: key))
                }
                #expect(tripwire.fired)
                engine.afterWrite = nil
                let result = try await engine.run(try await planner.plan(sourceGuild: guild, target: key))
                #expect(result.recovered == 1)
                let contents = await fluxer.messageContents()
                let all = contents.flatMap { name, texts in texts.map { "\(name)|\($0)" } }
                #expect(all.count == Set(all).count, "duplicates after the rerun")
                if flavour == .newer {
                    #expect(await fluxer.attachments().count == archived.count)
                }
            }
        }
    }
}
