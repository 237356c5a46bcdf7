import DiscordGateway
import Foundation
import TestSupport
import Testing

/// The gateway client against a peer that never answers its close: a stop ends anyway.
@Suite("Gateway client, close never answered or fatal", .timeLimit(.minutes(10)))
struct GatewayClientUnansweredCloseTests {
    typealias H = GatewayTestHarness

    @Test func aStopEndsTheRunWhenTheCloseIsNeverAnswered() async throws {
        try await SilentGatewayServer.withRunning { gatewayURL in
            var configuration = GatewayClientConfiguration(token: "silent", gatewayURL: gatewayURL)
            configuration.session.closeTimeout = .milliseconds(200)
            let client = GatewayClient(configuration: configuration, logger: H.logger)
            let log = GatewayEventLog()
            let run = H.start(client, log: log)
            try await log.waitUntil { H.readyCount($0, resumed: false) == 1 }
            // Before the close deadline the run waited for an answer that never comes, for ever.
            try await H.stop(client, run)
        }
    }
}
