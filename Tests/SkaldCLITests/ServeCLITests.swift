import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `skald serve` as the user runs it: the listening line, a request, SIGTERM, and the refusal of an open bind.
@Suite("skald serve", .serialized) struct ServeCLITests {
    @Test func servesUntilSIGTERMThenExitsZero() async throws {
        try await withTemporaryFolder { folder in
            let db = try await Fixture.importedArchive(in: folder)
            let process = try SkaldProcess(["serve", "--db", db, "--port", "0"], in: folder)
            let started = try #require(await process.waitForOutput(containing: "\n"), "serve printed nothing")
            let line = try #require(started.split(separator: "\n").first.map(String.init))
            #expect(line.hasPrefix("skald-serve listening on http://127.0.0.1:"), "\(started)")
            let base = String(line.dropFirst("skald-serve listening on ".count))
            let (data, response) = try await URLSession.shared.data(from: try #require(URL(string: base + "/healthz")))
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: data, as: UTF8.self).contains("\"status\":\"ok\""))
            process.send(SIGTERM)
            let result = await process.finish(prefix: started)
            #expect(result.status == 0, "\(result.output)")
        }
    }

    /// `sim` refuses a bucket name its table does not have (before: accepted and ignored, so the override silently
    /// did nothing) and an empty token (so does `fluxer-sim`), as usage
    /// errors, before listening.
    @Test func simRefusesAnUnknownBucketAndAnEmptyToken() async throws {
        try await withTemporaryFolder { folder in
            for (arguments, shown) in [
                (["--bucket", "mesages=20/1s"], "mesages is not a bucket; the buckets are"),
                (["--token", ""], "--token must not be empty"),
            ] {
                let run = try await SkaldProcess.run(["sim", "--port", "0"] + arguments, in: folder)
                #expect(run.status == 64, "\(arguments): \(run.output)")
                #expect(run.output.contains(shown), "\(arguments): \(run.output)")
            }
            let fluxer = try await SkaldProcess.run(["fluxer-sim", "--port", "0", "--token", ""], in: folder)
            #expect(fluxer.status == 64 && fluxer.output.contains("--token must not be empty"), "\(fluxer.output)")
        }
    }

    @Test func aTakenPortIsNamedWithWhatToDo() async throws {
        try await withTemporaryFolder { folder in
            let db = try await Fixture.importedArchive(in: folder)
            let first = try SkaldProcess(["serve", "--db", db, "--port", "0"], in: folder)
            let started = try #require(await first.waitForOutput(containing: "\n"), "serve printed nothing")
            let line = try #require(started.split(separator: "\n").first.map(String.init))
            let port = try #require(line.split(separator: ":").last.map(String.init))
            for command in [["serve", "--db", db], ["sim"]] {
                let second = try await SkaldProcess.run(command + ["--port", port], in: folder)
                #expect(second.status == 1, "\(second.output)")
                #expect(second.output.contains("cannot listen on 127.0.0.1:\(port)"), "\(second.output)")
                #expect(second.output.contains("already in use"), "\(second.output)")
            }
            first.send(SIGTERM)
            #expect(await first.finish(prefix: started).status == 0)
        }
    }

    @Test func openBindWithoutTokenIsRefusedAtOnce() async throws {
        try await withTemporaryFolder { folder in
            let db = try await Fixture.importedArchive(in: folder)
            let result = try await SkaldProcess.run(
                ["serve", "--db", db, "--host", "0.0.0.0", "--port", "0"], in: folder)
            #expect(result.status == 64, "\(result.output)")
            #expect(result.output.contains("--auth-token"))
        }
    }

    @Test func openBindWithTokenRequiresIt() async throws {
        try await withTemporaryFolder { folder in
            let db = try await Fixture.importedArchive(in: folder)
            let process = try SkaldProcess(
                ["serve", "--db", db, "--host", "0.0.0.0", "--port", "0"], in: folder,
                environment: ["SKALD_SERVE_TOKEN": "t0ken-secret"])
            let started = try #require(await process.waitForOutput(containing: "\n"), "serve printed nothing")
            let line = try #require(started.split(separator: "\n").first.map(String.init))
            let port = try #require(line.split(separator: ":").last.map(String.init))
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/healthz"))
            let (_, refused) = try await URLSession.shared.data(from: url)
            #expect((refused as? HTTPURLResponse)?.statusCode == 401)
            var request = URLRequest(url: url)
            request.setValue("Bearer t0ken-secret", forHTTPHeaderField: "Authorization")
            let (_, accepted) = try await URLSession.shared.data(for: request)
            #expect((accepted as? HTTPURLResponse)?.statusCode == 200)
            process.send(SIGTERM)
            let result = await process.finish(prefix: started)
            #expect(result.status == 0)
            #expect(!result.output.contains("t0ken-secret"))
            #expect(result.output.contains("has 12 characters, few enough to guess"), "\(result.output)")
        }
    }

    /// An empty `--api-token` is a usage error (it was read as "any token"); a `--media-root` that is not a folder is
    /// said once after the ready line (every download answered 404 without a word).
    @Test func anEmptyAPITokenIsRefusedAndAMissingMediaFolderIsSaid() async throws {
        try await withTemporaryFolder { folder in
            let db = try await Fixture.importedArchive(in: folder)
            let empty = try await SkaldProcess.run(["serve", "--db", db, "--port", "0", "--api-token", ""], in: folder)
            #expect(empty.status == 64, "\(empty.output)")
            #expect(empty.output.contains("--api-token is empty"), "\(empty.output)")
            let process = try SkaldProcess(
                ["serve", "--db", db, "--port", "0", "--media-root", "no-such-folder"], in: folder)
            let started = try #require(await process.waitForOutput(containing: "not a folder"), "no warning")
            #expect(started.hasPrefix("skald-serve listening on"), "\(started)")
            process.send(SIGTERM)
            let result = await process.finish(prefix: started)
            #expect(result.status == 0)
        }
    }
}
