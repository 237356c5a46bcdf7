import ArchiveStore
import FluxerSimulator
import Foundation
import Mirror
import Synchronization
import Testing

/// A kill between a target write and its record in the archive, at each kind of write: the rerun finds what the
/// killed run made instead of making it again (the baseline flavour: no nonce de-duplication to lean on).
@Suite("Mirror crash windows")
struct MirrorCrashWindowTests {
    /// Which write the first run stops after (before recording it).
    enum Point: String, CaseIterable, Sendable {
        case role, channel, webhook, message, laterMessage
    }

    /// Stops the run once, at the first step that matches the point.
    final class Tripwire: Sendable {
        let point: Point
        private let state = Mutex(false)

        init(_ point: Point) { self.point = point }

        var fired: Bool { state.withLock { $0 } }

        func check(_ step: MirrorEngine.Step) throws {
            let matches: Bool
            switch (point, step) {
            case (.role, .role), (.channel, .channel), (.webhook, .webhook): matches = true
            case (.message, .message(_, _, let part)): matches = part == 0
            case (.laterMessage, .message(_, let id, _)): matches = id % 3 == 0
            default: matches = false
            }
            guard matches else { return }
            let first = state.withLock { fired in
                defer { fired = true }
                return !fired
            }
            if first { throw CancellationError() }
        }
    }

    @Test(arguments: Point.allCases)
    func killBetweenWriteAndRecordDuplicatesNothing(point: Point) async throws {
        try await MirrorTests.withMirror(flavour: .baseline) { store, guild, fluxer, target in
            let planner = MirrorPlanner(store: store)
            let key = "fluxer:\(fluxer.guildID)"
            let plan = try await planner.plan(sourceGuild: guild, target: key)
            let rolesBefore = await fluxer.roleNames().count
            let tripwire = Tripwire(point)
            var engine = MirrorEngine(store: store, target: target, logger: MirrorTests.logger)
            engine.parallelChannels = 1
            engine.afterWrite = { try tripwire.check($0) }
            await #expect(throws: CancellationError.self) { _ = try await engine.run(plan) }
            #expect(tripwire.fired)

            engine.afterWrite = nil
            let resumed = try await planner.plan(sourceGuild: guild, target: key)
            let result = try await engine.run(resumed)
            #expect(result.recovered == 1, "the write of the killed run was found on the target")

            #expect(await fluxer.roleNames().count == rolesBefore + plan.roles.count)
            #expect(await fluxer.channels().count == 4 + plan.channels.count)
            #expect(await fluxer.webhookCounts().values.allSatisfy { $0 == 1 })
            let contents = await fluxer.messageContents()
            let all = contents.flatMap { name, texts in texts.map { "\(name)|\($0)" } }
            #expect(all.count == Set(all).count, "duplicates after the rerun")
            #expect(all.count >= (try await MirrorTests.liveCounts(store, guild: guild)))
            #expect(try await planner.plan(sourceGuild: guild, target: key).pendingMessages == 0)
        }
    }

    /// A kill between the intent and the create (nothing made): the rerun does not adopt an older object of the
    /// same name (the new community's own "Text Channels" category), it creates its own.
    @Test func intentWithoutCreateAdoptsNoOlderObject() async throws {
        try await MirrorTests.withMirror(flavour: .baseline) { store, guild, fluxer, target in
            let planner = MirrorPlanner(store: store)
            let key = "fluxer:\(fluxer.guildID)"
            let plan = try await planner.plan(sourceGuild: guild, target: key)
            let category = try #require(plan.channels.first { $0.type == 4 && $0.name == "Text Channels" })
            try await store.recordMirrorMapping(
                MirrorMapping(target: key, kind: "intent:channel", sourceId: category.sourceId, targetId: 0))
            let result = try await MirrorEngine(store: store, target: target, logger: MirrorTests.logger).run(plan)
            #expect(result.recovered == 0)
            #expect(await fluxer.channels().count == 4 + plan.channels.count)
        }
    }
}
