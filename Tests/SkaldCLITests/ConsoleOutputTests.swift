import Foundation
import Testing

/// What a person at a terminal sees and what a program reading a pipe gets: colours (ConsoleKit's styles) only on a
/// terminal, per stream, and never with `NO_COLOR`; the archive run's reports as sentences on a terminal and
/// `key=value` lines in a pipe. Through the real binary on a pseudo-terminal.
@Suite("Console output", .serialized) struct ConsoleOutputTests {
    static let escape = "\u{1B}["

    @Test func standardOutputIsColouredOnATerminalAndStandardErrorInAPipeIsNot() async throws {
        try await withTemporaryFolder { folder in
            let archive = try await Fixture.importedArchive(in: folder)
            let stats = try await TerminalRun.run(
                ["stats", "--db", archive], in: folder, outputOnTerminal: true, errorOnTerminal: false)
            #expect(stats.status == 0, "\(stats.output)\(stats.error)")
            #expect(stats.output.contains(Self.escape + "0;1mArchive sqlite:a.sqlite"), "\(stats.output)")
            let failed = try await TerminalRun.run(
                ["stats", "--db", "sqlite:missing/none.sqlite"], in: folder, outputOnTerminal: true,
                errorOnTerminal: false)
            #expect(failed.status == 1)
            #expect(failed.error.hasPrefix("error: "), "\(failed.error)")
            #expect(!failed.error.contains(Self.escape))
        }
    }

    @Test func standardErrorIsColouredOnATerminalWhileStandardOutputIsAPipe() async throws {
        try await withTemporaryFolder { folder in
            let failed = try await TerminalRun.run(
                ["stats", "--db", "sqlite:missing/none.sqlite"], in: folder, outputOnTerminal: false,
                errorOnTerminal: true)
            #expect(failed.status == 1)
            #expect(failed.error.hasPrefix(Self.escape + "0;31merror: " + Self.escape + "0m"), "\(failed.error)")
        }
    }

    @Test func noColorKeepsBothTerminalStreamsPlain() async throws {
        try await withTemporaryFolder { folder in
            let archive = try await Fixture.importedArchive(in: folder)
            for arguments in [["stats", "--db", archive], ["stats", "--db", "sqlite:missing/none.sqlite"]] {
                let run = try await TerminalRun.run(
                    arguments, in: folder, outputOnTerminal: true, errorOnTerminal: true,
                    environment: ["NO_COLOR": "1"])
                #expect(!run.output.contains(Self.escape), "\(run.output)")
                #expect(!run.error.contains(Self.escape), "\(run.error)")
                #expect(run.output.contains("Archive sqlite:a.sqlite") || run.error.contains("error: "))
            }
        }
    }

    @Test func pipesGetPlainLines() async throws {
        try await withTemporaryFolder { folder in
            let archive = try await Fixture.importedArchive(in: folder)
            let run = try await TerminalRun.run(
                ["stats", "--db", archive], in: folder, outputOnTerminal: false, errorOnTerminal: false)
            #expect(run.output.hasPrefix("Archive sqlite:a.sqlite\n"), "\(run.output)")
            #expect(!run.output.contains(Self.escape))
        }
    }

    @Test func archiveReportsReadAsSentencesOnATerminalAndKeyValueLinesInAPipe() async throws {
        try await ArchiveCLITests.withSimulator(channels: 5, messages: 20) { sim in
            try await withTemporaryFolder { folder in
                let terminal = try await TerminalRun.run(
                    ArchiveCLITests.archive(sim, db: "sqlite:t.sqlite"), in: folder, outputOnTerminal: true,
                    errorOnTerminal: false, environment: ["NO_COLOR": "1"])
                #expect(terminal.status == 0, "\(terminal.output)\(terminal.error)")
                #expect(
                    terminal.output.contains("Skald Test Hall: skipping #help — the bot lacks Read Message History"),
                    "\(terminal.output)")
                #expect(terminal.output.contains("Skald Test Hall: skipping #showcase — the bot lacks View Channel"))
                #expect(!terminal.output.contains("skipped channel="))

                let pipe = try await TerminalRun.run(
                    ArchiveCLITests.archive(sim, db: "sqlite:p.sqlite"), in: folder, outputOnTerminal: false,
                    errorOnTerminal: false)
                #expect(pipe.status == 0, "\(pipe.output)\(pipe.error)")
                let skipped = pipe.output.split(separator: "\n").filter { $0.hasPrefix("skipped ") }
                #expect(
                    skipped.contains { $0.hasSuffix("label=#help reason=\"missing READ_MESSAGE_HISTORY\"") },
                    "\(pipe.output)")
                #expect(pipe.output.contains("guild id="))
                #expect(!pipe.output.contains("Skald Test Hall: skipping"))
                #expect(!pipe.output.contains(Self.escape))
            }
        }
    }
}
