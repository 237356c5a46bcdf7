import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bad imports say what is wrong; `stats` counts imported messages.
@Suite("Import on the command line") struct ImportCLITests {
    func importEdited(_ edit: @escaping (inout [[String: Any]]) -> Void, in folder: String) async throws
        -> SkaldProcess.Result
    {
        let file = try Fixture.write(into: folder, name: "edited.json") { object in
            var messages = object["messages"] as? [[String: Any]] ?? []
            edit(&messages)
            object["messages"] = messages
        }
        return try await SkaldProcess.run(["import", "--db", "sqlite:i.sqlite", file], in: folder)
    }

    @Test func negativeAndTooLargeIdsAreNamed() async throws {
        try await withTemporaryFolder { folder in
            let negative = try await importEdited({ $0[3]["id"] = "-5" }, in: folder)
            #expect(negative.status == 1)
            #expect(negative.output.contains("has a negative id (-5)"), "\(negative.output)")
            let large = try await importEdited({ $0[3]["id"] = "99999999999999999999" }, in: folder)
            #expect(large.status == 1)
            #expect(large.output.contains("has an id too large for 64 bits (99999999999999999999)"))
            #expect(!large.output.contains("has no id"))
        }
    }

    @Test func aRepeatedKeyIsRefusedWithItsPosition() async throws {
        try await withTemporaryFolder { folder in
            let text = try String(contentsOfFile: try Fixture.generalPath, encoding: .utf8)
            let edited = text.replacingOccurrences(
                of: #""id": "1045178587575242772","#, with: #""id": "1045178587575242772", "id": "1","#)
            #expect(edited != text)
            try Data(edited.utf8).write(to: URL(fileURLWithPath: folder + "/dup.json"))
            let run = try await SkaldProcess.run(["import", "--db", "sqlite:i.sqlite", "dup.json"], in: folder)
            #expect(run.status == 1)
            #expect(run.output.contains(#"the key "id" appears twice in one object"#), "\(run.output)")
            #expect(run.output.contains("at byte"))
        }
    }

    /// SIGTERM during an import stops it with one line saying what was kept (exit 130; before, exit 143 and nothing
    /// said): the first file is imported whole, the second, a pipe the test writes only once the import waits on it
    /// and the signal is sent, is imported whole or not at all.
    @Test func sigtermKeepsTheFilesImportedAndSaysSo() async throws {
        try await withTemporaryFolder { folder in
            let first = try Fixture.write(into: folder, name: "a.json")
            let second = try Fixture.write(into: folder, name: "b.json") { object in
                var channel = object["channel"] as? [String: Any] ?? [:]
                channel["id"] = "1012224565567721999"
                object["channel"] = channel
            }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: second))
            try FileManager.default.removeItem(atPath: second)
            #expect(mkfifo(second, 0o600) == 0)
            signal(SIGPIPE, SIG_IGN)  // the import may close the pipe before the test has written it all
            let process = try SkaldProcess(["import", "--db", "sqlite:i.sqlite", first, second], in: folder)
            // The pipe opens once the import has opened it: it is then past the first file, on the second.
            let pipe = try #require(try await Self.openForWriting(second, onceReadBy: process))
            process.send(SIGTERM)
            _ = bytes.withUnsafeBytes { write(pipe, $0.baseAddress, $0.count) }
            close(pipe)
            let result = await process.finish()
            #expect(result.status == 130, "\(result.output)")
            #expect(result.output.contains("interrupted by SIGTERM: 1 of 2 file(s) were imported"), "\(result.output)")
            let messages = try await Self.messageCount(in: folder)
            #expect([35, 70].contains(messages), "\(messages)")
        }
    }

    /// `skald import PIPE` on a pipe a writer holds open without writing: SIGTERM ends it at once (exit 130, nothing
    /// imported, said so). Before, the import waited in `read` on the cooperative pool, the signal's cancellation
    /// never reached it, and only kill -9 ended it.
    @Test(.timeLimit(.minutes(2))) func sigtermEndsAnImportWaitingOnAPipeWhoseWriterWritesNothing() async throws {
        try await withTemporaryFolder { folder in
            let pipePath = folder + "/silent.json"
            #expect(mkfifo(pipePath, 0o600) == 0)
            let process = try SkaldProcess(["import", "--db", "sqlite:i.sqlite", pipePath], in: folder)
            let writer = try #require(try await Self.openForWriting(pipePath, onceReadBy: process))
            defer { close(writer) }
            process.send(SIGTERM)
            let result = await process.finish()
            #expect(result.status == 130, "\(result.output)")
            #expect(result.output.contains("interrupted by SIGTERM: no file was imported"), "\(result.output)")
            #expect(try await Self.messageCount(in: folder) == 0)
        }
    }

    #if canImport(Glibc)
        /// `skald import PIPE` on a pipe nobody ever opens for writing: SIGINT and SIGTERM end it (exit 130, nothing
        /// imported). Before, it waited in `open` for a writer for ever, deaf to both. The test learns that the
        /// import has opened the pipe from inotify (an event, no polling).
        @Test(.timeLimit(.minutes(2)), arguments: [SIGTERM, SIGINT])
        func aSignalEndsAnImportOfAPipeNobodyWritesTo(_ signalNumber: Int32) async throws {
            try await withTemporaryFolder { folder in
                let pipePath = folder + "/nobody.json"
                #expect(mkfifo(pipePath, 0o600) == 0)
                let watch = inotify_init1(Int32(IN_CLOEXEC))
                #expect(watch >= 0)
                defer { close(watch) }
                #expect(inotify_add_watch(watch, pipePath, UInt32(IN_OPEN)) >= 0)
                let process = try SkaldProcess(["import", "--db", "sqlite:i.sqlite", pipePath], in: folder)
                // One blocking read of the inotify descriptor, on a thread: it returns at the import's open.
                let opened: Bool = await withCheckedContinuation { continuation in
                    Thread.detachNewThread {
                        var buffer = [UInt8](repeating: 0, count: 4096)
                        continuation.resume(returning: read(watch, &buffer, buffer.count) > 0)
                    }
                }
                #expect(opened)
                process.send(signalNumber)
                let result = await process.finish()
                #expect(result.status == 130, "\(result.output)")
                #expect(result.output.contains("no file was imported"), "\(result.output)")
            }
        }
    #endif

    /// The messages `skald stats` counts in the folder's `i.sqlite`.
    static func messageCount(in folder: String) async throws -> Int? {
        let stats = try await SkaldProcess.run(["stats", "--db", "sqlite:i.sqlite", "--json"], in: folder)
        let line = try #require(stats.output.split(separator: "\n").last)
        let counts = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return counts["messages"] as? Int
    }

    /// The pipe at `path` opened for writing once `process` has opened it for reading; nil when it exited first.
    /// A blocking `open` for writing returns when a reader opens the pipe (an event, no polling); a process that exits
    /// without reading it would leave it blocked, so its exit opens the pipe for reading to release it.
    static func openForWriting(_ path: String, onceReadBy process: SkaldProcess) async throws -> Int32? {
        let release = Task {
            _ = await process.waitForExit()
            return open(path, O_RDONLY | O_NONBLOCK)
        }
        let pipe: Int32 = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: open(path, O_WRONLY)) }
        }
        guard process.hasExited else {
            Task {  // the release's reader, once the process exits, is closed too
                let reader = await release.value
                if reader >= 0 { close(reader) }
            }
            return pipe >= 0 ? pipe : nil
        }
        // Released by the exit: nobody will read what would be written.
        if pipe >= 0 { close(pipe) }
        let reader = await release.value
        if reader >= 0 { close(reader) }
        return nil
    }

    @Test func anEmptyExportIsReported() async throws {
        try await withTemporaryFolder { folder in
            let run = try await importEdited({ $0 = [] }, in: folder)
            #expect(run.status == 0)
            #expect(run.output.contains("no messages in this file"), "\(run.output)")
        }
    }

    @Test func statsCountImportedMessages() async throws {
        try await withTemporaryFolder { folder in
            let db = try await Fixture.importedArchive(in: folder)
            let run = try await SkaldProcess.run(["stats", "--db", db, "--json"], in: folder)
            #expect(run.status == 0, "\(run.output)")
            let line = try #require(run.output.split(separator: "\n").last)
            let stats = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(stats["messages"] as? Int == 35)
            #expect(stats["importedOnlyMessages"] as? Int == 35)
            // The guilds and channels too: "guilds 0, channels 0" read as an archive of nothing.
            #expect(stats["channels"] as? Int ?? 0 >= 1)
            #expect(stats["importedOnlyChannels"] as? Int == stats["channels"] as? Int)
            #expect(stats["guilds"] as? Int ?? 0 >= 1)
            #expect(stats["importedOnlyGuilds"] as? Int == stats["guilds"] as? Int)
        }
    }
}
