import AsyncHTTPClient
import DiscordModels
import Foundation
import NIOCore
import Testing

@testable import DiscordREST

/// Network failures in words, and a client whose API base was never reachable gives up fast, naming the host.
@Suite struct TransportProblemTests {
    @Test func failuresAreClassifiedInWords() {
        #expect(
            TransportProblem.classify(IOError(errnoCode: ECONNREFUSED, reason: "connect"))
                == .unreachable(
                    "connection refused (nothing listens there)"))
        #expect(TransportProblem.classify(HTTPClientError.connectTimeout) == .unreachable("the connection timed out"))
        #expect(
            TransportProblem.classify(HTTPClientError.remoteConnectionClosed)
                == .transient(
                    "the server closed the connection"))
        #expect(
            TransportProblem.classify(IOError(errnoCode: ECONNRESET, reason: "read"))
                == .transient(
                    "the connection was reset"))
    }

    @Test func unknownFailuresHaveBalancedText() {
        struct Odd: Error, CustomStringConvertible { var description: String { "weird (nested (thing" } }
        let text = TransportProblem.classify(Odd()).text
        #expect(!text.contains("(") && !text.contains(")"))
        #expect(text.contains("weird"))
    }

    @Test func aNeverReachableAPIBaseFailsAfterTwoAttemptsNamingTheHost() async throws {
        var configuration = DiscordClientConfiguration(
            token: String(repeating: "t", count: 60), apiBase: "http://127.0.0.1:9/api/v10")
        configuration.jitter = { 1 }  // the shortest backoff
        let client = DiscordClient(configuration: configuration)
        do {
            _ = try await client.currentUser()
            Issue.record("nothing listens on port 9, yet the request succeeded")
        } catch let error as DiscordRESTError {
            #expect(error.code == .transport)
            let text = error.description
            #expect(text.contains("cannot reach 127.0.0.1:9"), "\(text)")
            #expect(text.contains("gave up after 2 attempts"), "\(text)")
            #expect(text.filter { $0 == "(" }.count == text.filter { $0 == ")" }.count, "\(text)")
            #expect(!text.contains(configuration.token))
        }
        try await client.shutdown()
    }
}
