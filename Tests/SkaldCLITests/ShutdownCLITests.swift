import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SIGTERM stops each of our servers, run as the user runs them, while clients still hold connections: an idle
/// keep-alive connection (URLSession keeps one after its request), a connection that never sent a byte, half a
/// request head. Each
/// exits 0 without waiting for its grace period. A server that hung would be killed at the time limit.
@Suite("SIGTERM with connections held", .serialized) struct ShutdownCLITests {
    /// The URL of the first line that holds one (the listening line), e.g. `http://127.0.0.1:PORT`, and its port.
    static func baseURL(in output: String) throws -> (url: String, port: Int) {
        let line = try #require(output.split(separator: "\n").first { $0.contains("http://") }.map(String.init))
        let start = try #require(line.range(of: "http://"))
        let url = String(line[start.lowerBound...].prefix { $0 != " " })
        let port = try #require(url.split(separator: ":").last.flatMap { Int($0) })
        return (url, port)
    }

    static func stopWhileConnectionsAreHeld(_ arguments: [String], probe: String, in folder: String) async throws {
        let process = try SkaldProcess(arguments, in: folder)
        let started = try #require(await process.waitForOutput(containing: "\n"), "\(arguments[0]) printed nothing")
        let (url, port) = try baseURL(in: started)
        let silent = try LoopbackSocket.connect(port: port)
        defer { close(silent) }
        let (_, response) = try await URLSession.shared.data(from: try #require(URL(string: url + probe)))
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        process.send(SIGTERM)
        let result = await process.finish(prefix: started)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test(.timeLimit(.minutes(5))) func simExitsZero() async throws {
        try await withTemporaryFolder { folder in
            try await Self.stopWhileConnectionsAreHeld(
                ["sim", "--port", "0", "--channels", "1", "--messages", "5", "--threads", "0"], probe: "/__sim/stats",
                in: folder)
        }
    }

    /// Half a request head, then silence: no request of it is with the simulator, so SIGTERM closes it at once. The
    /// grace period is an hour, so a server that waited for it would be killed at the time limit.
    @Test(.timeLimit(.minutes(5))) func simExitsZeroWithHalfARequestHeadHeld() async throws {
        try await withTemporaryFolder { folder in
            let arguments = ["sim", "--port", "0", "--channels", "1", "--messages", "5", "--threads", "0"]
            let process = try SkaldProcess(arguments + ["--shutdown-grace", "3600"], in: folder)
            let started = try #require(await process.waitForOutput(containing: "\n"), "sim printed nothing")
            let (url, port) = try Self.baseURL(in: started)
            let stalled = try LoopbackSocket.connect(port: port)
            defer { close(stalled) }
            LoopbackSocket.send("GET /__sim/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n", on: stalled)
            // Answered on a second connection after the first was accepted and, long before, its bytes were read.
            let (_, response) = try await URLSession.shared.data(from: try #require(URL(string: url + "/__sim/stats")))
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            process.send(SIGTERM)
            let result = await process.finish(prefix: started)
            #expect(result.status == 0, "\(result.output)")
        }
    }

    @Test(.timeLimit(.minutes(5))) func fluxerSimExitsZero() async throws {
        try await withTemporaryFolder { folder in
            try await Self.stopWhileConnectionsAreHeld(
                ["fluxer-sim", "--port", "0"], probe: "/__fluxer/stats", in: folder)
        }
    }

    @Test(.timeLimit(.minutes(5))) func serveExitsZero() async throws {
        try await withTemporaryFolder { folder in
            let db = try await Fixture.importedArchive(in: folder)
            try await Self.stopWhileConnectionsAreHeld(
                ["serve", "--db", db, "--port", "0"], probe: "/healthz", in: folder)
        }
    }
}
