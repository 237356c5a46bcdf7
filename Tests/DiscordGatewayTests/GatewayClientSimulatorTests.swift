import DiscordGateway
import DiscordSimulator
import Foundation
import TestSupport
import Testing

/// The gateway client against the simulator's gateway over a real WebSocket on loopback.
@Suite("Gateway client against the simulator", .serialized, .timeLimit(.minutes(10)))
struct GatewayClientSimulatorTests {
    typealias H = GatewayTestHarness

    @Test func readyGuildCreateAndMessageEvents() async throws {
        try await H.withSimulator { sim in
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0].description
            let log = GatewayEventLog()
            let client = GatewayClient(configuration: H.configuration(sim), logger: H.logger)
            let run = H.start(client, log: log)
            try await log.waitUntil {
                H.readyCount($0, resumed: false) == 1 && H.hasDispatch($0, "GUILD_CREATE", containing: "")
            }
            let first = await log.dispatches
            #expect(first.first?.name == "READY")
            #expect(first.filter { $0.name == "GUILD_CREATE" }.count == 1)

            let id = try await H.create(sim, channel: channel, content: "hello live")
            try await log.waitUntil { H.hasDispatch($0, "MESSAGE_CREATE", containing: id) }
            try await H.post(
                sim, "/__sim/mutate", ["op": "edit", "channelId": channel, "messageId": id, "content": "edited live"])
            try await log.waitUntil { H.hasDispatch($0, "MESSAGE_UPDATE", containing: "edited live") }
            let second = try await H.create(sim, channel: channel, content: "second")
            let third = try await H.create(sim, channel: channel, content: "third")
            try await H.post(sim, "/__sim/mutate", ["op": "delete", "channelId": channel, "messageId": id])
            try await H.post(
                sim, "/__sim/mutate", ["op": "bulkDelete", "channelId": channel, "messageIds": [second, third]])
            try await log.waitUntil { H.hasDispatch($0, "MESSAGE_DELETE_BULK", containing: third) }
            #expect(await H.hasDispatch(log.events, "MESSAGE_DELETE", containing: id))
            let created = await log.dispatches.first { $0.name == "MESSAGE_CREATE" }
            let text = String(decoding: try #require(created).frame, as: UTF8.self)
            #expect(text.contains("\"guild_id\":\"\(sim.guildIDs[0])\"") && text.contains("\"channel_type\":0"))
            #expect(text.contains("hello live"))

            // Sequences increase by one, with nothing skipped.
            let sequences = await log.dispatches.map(\.sequence)
            #expect(sequences == Array(1...sequences.count))

            try await H.stop(client, run)
            let stats = await sim.gatewayStats()
            #expect(stats.identifies == 1)
            // Closed with 4000 by the client: the session stays resumable.
            #expect(stats.sessions == 1)
        }
    }

    /// A handler that fails (the archive's disk is full) ends the run with its error, without a stop: before, the
    /// connection kept running, and the events it received piled up unhandled, until a signal.
    @Test func aFailingHandlerEndsTheRunWithItsError() async throws {
        struct Full: Error {}
        try await H.withSimulator { sim in
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0].description
            let log = GatewayEventLog()
            let client = GatewayClient(configuration: H.configuration(sim), logger: H.logger)
            let run = Task<Result<Void, any Error>, Never> {
                do {
                    try await client.runBatches(resume: nil) { batch in
                        for event in batch { await log.append(event) }
                        if H.hasDispatch(batch, "MESSAGE_CREATE", containing: "") { throw Full() }
                    }
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            try await log.waitUntil { H.readyCount($0, resumed: false) == 1 }
            _ = try await H.create(sim, channel: channel, content: "no room for this one")
            guard await finishes(within: TestDeadline.shutdown, { _ = await run.value }) else {
                client.stop()
                throw HangDetected("the run went on after its handler failed")
            }
            guard case .failure(let error) = await run.value else {
                Issue.record("the run ended without the handler's error")
                return
            }
            #expect(error is Full, "\(error)")
        }
    }

    @Test func forcedDisconnectResumesWithNothingLost() async throws {
        try await H.withSimulator { sim in
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0].description
            let log = GatewayEventLog()
            let client = GatewayClient(configuration: H.configuration(sim), logger: H.logger)
            let run = H.start(client, log: log)
            try await log.waitUntil { H.readyCount($0, resumed: false) == 1 }
            try await H.post(sim, "/__sim/gateway/disconnect")
            var ids: [String] = []
            for index in 0..<5 { ids.append(try await H.create(sim, channel: channel, content: "while away \(index)")) }
            let expected = ids
            try await log.waitUntil { events in
                H.readyCount(events, resumed: true) >= 1
                    && expected.allSatisfy { H.hasDispatch(events, "MESSAGE_CREATE", containing: $0) }
            }
            let creates = await log.dispatches.filter { $0.name == "MESSAGE_CREATE" }
            #expect(creates.count == 5)
            let sequences = await log.dispatches.filter { $0.name != "RESUMED" }.map(\.sequence)
            #expect(Set(sequences).count == sequences.count, "an event was delivered twice")
            #expect(await sim.gatewayStats().resumes >= 1)
            #expect(await sim.gatewayStats().identifies == 1)
            try await H.stop(client, run)
        }
    }

    @Test func invalidatedSessionIdentifiesAgainAndMissesTheGap() async throws {
        try await H.withSimulator { sim in
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0].description
            let log = GatewayEventLog()
            let client = GatewayClient(configuration: H.configuration(sim), logger: H.logger)
            let run = H.start(client, log: log)
            try await log.waitUntil { H.readyCount($0, resumed: false) == 1 }
            try await H.post(sim, "/__sim/gateway/invalidate")
            try await log.waitUntil { $0.contains { if case .sessionInvalidated = $0 { true } else { false } } }
            try await log.waitUntil { H.readyCount($0, resumed: false) == 2 }
            let after = try await H.create(sim, channel: channel, content: "after the new session")
            try await log.waitUntil { H.hasDispatch($0, "MESSAGE_CREATE", containing: after) }
            #expect(await sim.gatewayStats().identifies == 2)
            try await H.stop(client, run)
        }
    }

    @Test func aStoppedSessionIsResumedByANewClientWithTheMissedEvents() async throws {
        try await H.withSimulator { sim in
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0].description
            let firstLog = GatewayEventLog()
            let first = GatewayClient(configuration: H.configuration(sim), logger: H.logger)
            let firstRun = H.start(first, log: firstLog)
            try await firstLog.waitUntil {
                H.readyCount($0, resumed: false) == 1 && H.hasDispatch($0, "GUILD_CREATE", containing: "")
            }
            try await H.stop(first, firstRun)
            let state = try #require(
                await firstLog.events.compactMap { if case .ready(let s, _) = $0 { s } else { nil } }.last)
            let lastSequence = await firstLog.dispatches.map(\.sequence).max() ?? 0
            let missed = try await H.create(sim, channel: channel, content: "missed while stopped")

            let secondLog = GatewayEventLog()
            let second = GatewayClient(configuration: H.configuration(sim), logger: H.logger)
            var resume = state
            resume.sequence = lastSequence
            let secondRun = H.start(second, log: secondLog, resume: resume)
            try await secondLog.waitUntil { H.readyCount($0, resumed: true) == 1 }
            #expect(await H.hasDispatch(secondLog.events, "MESSAGE_CREATE", containing: missed))
            #expect(await secondLog.dispatches.first?.sequence == lastSequence + 1)
            #expect(await sim.gatewayStats().identifies == 1)
            try await H.stop(second, secondRun)
        }
    }

    @Test func aBadTokenFailsWith4004AfterOneIdentify() async throws {
        try await H.withSimulator { sim in
            let client = GatewayClient(configuration: H.configuration(sim, token: "not-a-token"), logger: H.logger)
            let outcome = await H.start(client, log: GatewayEventLog()).value
            guard case .failure(let error) = outcome, let gatewayError = error as? GatewayError else {
                Issue.record("expected a GatewayError, got \(outcome)")
                return
            }
            #expect(gatewayError.closeCode == 4004)
            #expect(!gatewayError.description.contains("not-a-token"))
            #expect(await sim.gatewayStats().identifies == 1)
        }
    }

    @Test func refusedIntentsCloseWith4013And4014() async throws {
        var config = SimulatorConfiguration()
        config.guilds = 1
        config.messageContentIntent = false
        try await H.withSimulator(config) { sim in
            var privileged = H.configuration(sim)
            privileged.intents = .archiver
            let refused = await H.start(
                GatewayClient(configuration: privileged, logger: H.logger), log: GatewayEventLog()
            )
            .value
            guard case .failure(let error) = refused else {
                Issue.record("MESSAGE_CONTENT was accepted")
                return
            }
            #expect((error as? GatewayError)?.closeCode == 4014)
            var undefined = H.configuration(sim)
            undefined.intents = GatewayIntents(rawValue: 1 << 30)
            let invalid = await H.start(
                GatewayClient(configuration: undefined, logger: H.logger), log: GatewayEventLog()
            )
            .value
            guard case .failure(let other) = invalid else {
                Issue.record("an undefined intent was accepted")
                return
            }
            #expect((other as? GatewayError)?.closeCode == 4013)
        }
    }
}
