import ArchiveStore
import DiscordModels
import FluxerSimulator
import Foundation
import Synchronization
import Testing

@testable import Mirror

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Custom emojis and stickers re-uploaded to fluxer-sim (fluxer-api.md §3.4, §6), and emoji markup rewritten.
@Suite("Mirror emojis and stickers")
struct MirrorExpressionTests {
    static func truth(_ fluxer: FluxerSimulatorServer) async throws -> [String: Any] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: fluxer.baseURL + "/__fluxer/truth")!)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(object["guild"] as? [String: Any])
    }

    /// Stops once after the first emoji upload, before it is recorded.
    final class Tripwire: Sendable {
        private let state = Mutex(false)
        var fired: Bool { state.withLock { $0 } }
        func check(_ step: MirrorEngine.Step) throws {
            guard case .emoji = step else { return }
            if state.withLock({ fired in
                defer { fired = true }
                return !fired
            }) {
                throw CancellationError()
            }
        }
    }

    /// Every archived emoji and sticker (the archive's PNG, APNG and GIF stickers) is uploaded once, with names
    /// the target takes, even when the run is killed after an upload and before its record.
    @Test(arguments: FluxerSimulatorConfiguration.Flavour.allCases)
    func emojisAndStickersAreUploadedOnce(flavour: FluxerSimulatorConfiguration.Flavour) async throws {
        try await MirrorTests.withMirror(flavour: flavour) { store, guild, fluxer, target in
            let emojis = try await store.objects(.emoji, in: Snowflake(guild)).filter { $0.deletedAt == nil }
            let stickers = try await store.objects(.sticker, in: Snowflake(guild)).filter { $0.deletedAt == nil }
            #expect(emojis.count > 1 && !stickers.isEmpty)
            let key = "fluxer:\(fluxer.guildID)"
            let planner = MirrorPlanner(store: store)
            let tripwire = Tripwire()
            var engine = MirrorEngine(store: store, target: target, logger: MirrorTests.logger)
            engine.sourceCDN = MirrorTests.sourceCDN
            engine.afterWrite = { try tripwire.check($0) }
            await #expect(throws: CancellationError.self) {
                _ = try await engine.run(try await planner.plan(sourceGuild: guild, target: key))
            }
            #expect(tripwire.fired)
            engine.afterWrite = nil
            let result = try await engine.run(try await planner.plan(sourceGuild: guild, target: key))
            #expect(result.recovered == 1)
            let truth = try await Self.truth(fluxer)
            let made = try #require(truth["emojis"] as? [[String: Any]])
            #expect(made.count == emojis.count)
            let animated = emojis.filter {
                ((try? JSONSerialization.jsonObject(with: $0.json)) as? [String: Any])?["animated"] as? Bool == true
            }
            #expect(made.filter { $0["animated"] as? Bool == true }.count == animated.count)
            #expect(try #require(truth["stickers"] as? [[String: Any]]).count == stickers.count)
            let again = try await planner.plan(sourceGuild: guild, target: key)
            #expect(again.expressions.allSatisfy { $0.targetId != nil })
        }
    }

    /// Stickers of messages: sent as `sticker_ids` of the re-uploaded copies where the target's webhooks take them
    /// ([N]), named in the text where not ([B] ignores the field) or where the sticker has no copy (Lottie, or not
    /// the guild's); `mirror verify` agrees with what was sent.
    @Test(arguments: FluxerSimulatorConfiguration.Flavour.allCases)
    func messageStickersRideAsStickerIds(flavour: FluxerSimulatorConfiguration.Flavour) async throws {
        try await MirrorTests.withMirror(flavour: flavour) { store, guild, fluxer, target in
            let key = "fluxer:\(fluxer.guildID)"
            var engine = MirrorEngine(store: store, target: target, logger: MirrorTests.logger)
            engine.sourceCDN = MirrorTests.sourceCDN
            let plan = try await MirrorPlanner(store: store).plan(sourceGuild: guild, target: key)
            _ = try await engine.run(plan)
            let copies = Dictionary(
                try await store.mirrorObjectMappings(target: key).filter { $0.kind == "sticker" }.map {
                    ($0.sourceId, $0.targetId)
                }, uniquingKeysWith: { a, _ in a })
            var expected: [UInt64] = []
            var named = 0
            for channel in try await store.channels(in: Snowflake(guild)) {
                for stored in try await store.messages(in: channel.id, after: nil, limit: 10_000)
                where stored.deletedAt == nil {
                    var message = MirrorSourceMessage(
                        id: stored.id.rawValue, timestamp: Date(), content: stored.content, json: stored.json)
                    let total = message.stickerNames.count
                    let sent = message.sendStickers(copies: copies)
                    expected += sent
                    named += flavour == .newer ? total - sent.count : total
                }
            }
            #expect(!expected.isEmpty, "the generated guild's messages carry its stickers")
            let sent = await fluxer.sentStickers().values.flatMap { $0 }
            let texts = await fluxer.messageContents().values.flatMap { $0 }
            let lines = texts.map { $0.components(separatedBy: "[sticker: ").count - 1 }.reduce(0, +)
            if flavour == .newer {
                #expect(sent.sorted() == expected.sorted())
            } else {
                #expect(sent.isEmpty)
            }
            #expect(lines == named)
            var verifier = MirrorVerifier(store: store, target: target)
            verifier.samplePerChannel = 1000
            let reports = try await verifier.verify(plan)
            #expect(reports.filter { !$0.isComplete }.isEmpty, "\(reports.map(\.line))")
        }
    }

    @Test func emojiMarkupIsRewrittenToTheCopies() {
        let formatter = MirrorMessageFormatter(emojis: [11: "rune:901", 12: "axe_spin:902"])
        let message = MirrorSourceMessage(
            id: 1, content: "hi <:rune:11> <a:axe-spin:12> <:other:13> <@&5> <:bad:x> < :", authorName: "a",
            avatarURL: nil, timestamp: Date(timeIntervalSince1970: 0))
        let text = formatter.parts(of: message)[0]
        #expect(text.hasPrefix("hi <:rune:901> <a:axe_spin:902> <:other:13> <@&5> <:bad:x> < :\n"))
    }

    @Test func namesFitTheTargetsRules() {
        #expect(MirrorEngine.expressionName("a-b c!", kind: "emoji") == "abc")
        #expect(MirrorEngine.expressionName("x", kind: "emoji") == "x_")
        #expect(MirrorEngine.expressionName(String(repeating: "s", count: 40), kind: "sticker").count == 30)
        #expect(MirrorEngine.stickerTags("wave, hi ,,", name: "Wave") == ["wave", "hi"])
        #expect(MirrorEngine.stickerTags("", name: "Wave") == ["Wave"])
    }
}
