import Testing

@testable import DiscordSimulator

/// The simulator's session bookkeeping: what a client's close code does to its session.
@Suite("Simulator gateway sessions")
struct GatewayHubTests {
    @Test func aClientCloseWith1000Or1001EndsTheSessionAnyOtherCodeKeepsItResumable() async {
        var configuration = GatewayConfiguration()
        configuration.maxConcurrency = 100
        let hub = GatewayHub(configuration: configuration)
        for (code, kept) in [(UInt16(1000), false), (1001, false), (4000, true), (1006, true)] {
            let (_, continuation) = AsyncStream.makeStream(of: GatewayOutbound.self)
            let connection = await hub.open(continuation)
            let before = await hub.stats().sessions
            let outcome = await hub.identify(connection, botIndex: 0, intents: 513, shard: nil) { _ in [] }
            #expect(outcome == .ready)
            await hub.closed(connection, clientCode: code)
            #expect(await hub.stats().sessions - before == (kept ? 1 : 0), "closed with \(code)")
        }
        let (_, dropped) = AsyncStream.makeStream(of: GatewayOutbound.self)
        let connection = await hub.open(dropped)
        let before = await hub.stats().sessions
        _ = await hub.identify(connection, botIndex: 0, intents: 513, shard: nil) { _ in [] }
        // A drop without a close frame keeps the session.
        await hub.closed(connection, clientCode: nil)
        #expect(await hub.stats().sessions == before + 1)
    }
}
