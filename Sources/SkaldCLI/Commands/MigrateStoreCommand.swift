import Archive
import ArchiveStore
import ArgumentParser
import Foundation
import SkaldConfiguration

/// `skald migrate-store`: copy an archive to another backend (SQLite ↔ PostgreSQL) without loss.
struct MigrateStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-store",
        abstract: "Copy an archive between SQLite and PostgreSQL, every table, without loss.",
        discussion: """
            Copies every table as stored (messages, revisions, history, tombstones, users, members, checkpoints, \
            media download state, the run log, imports) into an empty archive, then checks that `skald stats` \
            counts are equal on both sides. The source is only read. An interrupted copy (a signal, a crash, \
            the target's server going away) is completed by running the same command again: it checks the rows \
            already copied and writes only the rest.

            Exit codes: 0 copied and equal; 1 bad input, a target holding other data, or counts that differ.

            Examples:
              skald migrate-store --from sqlite:skald-archive/archive.sqlite \\
                  --to postgres://skald:secret@127.0.0.1:5432/archive
              skald migrate-store --from postgres://skald:secret@db/archive --to sqlite:copy.sqlite
            """
    )

    @Option(name: .customLong("from"), help: ArgumentHelp("The archive to copy.", valueName: "url"))
    var source: String
    @Option(name: .customLong("to"), help: ArgumentHelp("The empty archive to fill.", valueName: "url"))
    var target: String
    @Option(name: .customLong("batch-size"), help: "Rows per read and per write transaction.")
    var batchSize: Int = 2000

    func validate() throws {
        guard (1...100_000).contains(batchSize) else { throw ValidationError("--batch-size must be 1...100000") }
    }

    func run() async throws {
        let from = try DatabaseLocation(parsing: source)
        let to = try DatabaseLocation(parsing: target)
        guard from != to else { throw ConfigurationError.badValue("--from and --to name the same archive") }
        if case .sqlite(let path) = from, !FileManager.default.fileExists(atPath: path) {
            throw ConfigurationError.badValue("no archive at \(path)")
        }
        let started = Date()
        let batchSize = batchSize
        // SIGINT/SIGTERM stop the copy between two committed batches (before, the process died where it stood).
        let outcome = await Interruption.run {
            try await StoreFactory.withExisting(from) { source in
                try await StoreFactory.withReady(to) { target in
                    try await ArchiveCopier.migrate(
                        from: source, to: target, batchSize: batchSize,
                        progress: { table, rows in Console.out("copied table=\(table.name) rows=\(rows)") },
                        resuming: { table, rows in
                            Console.out("resuming an interrupted copy: table=\(table.name) rows=\(rows) already copied")
                        })
                }
            }
        }
        let migration: ArchiveMigration
        switch outcome {
        case .finished(let result):
            migration = try result.get()
        case .interrupted(let signal):
            Console.error(
                "interrupted by \(signal): the rows copied so far are kept in \(to); run the same command again to "
                    + "complete the copy")
            throw ExitCode(130)
        }
        let seconds = Date().timeIntervalSince(started)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        Console.out("source \(String(decoding: try encoder.encode(migration.source), as: UTF8.self))")
        Console.out("target \(String(decoding: try encoder.encode(migration.target), as: UTF8.self))")
        guard migration.isExact else {
            throw CommandFailure.Message(
                "the copy's counts differ from the source's (compare the source and target lines above); the target "
                    + "\(to) is incomplete: drop it and run the copy again")
        }
        Console.out(
            "migrated rows=\(migration.rows) seconds=\(String(format: "%.1f", seconds)) from=\(from) to=\(to)")
        // Downloaded files are not rows: they stay in the source's media folder, which the target does not look in.
        let sourceMedia = from.defaultMediaDirectory
        let targetMedia = to.defaultMediaDirectory
        if migration.source.downloadedAttachments > 0,
            URL(fileURLWithPath: sourceMedia).standardizedFileURL
                != URL(fileURLWithPath: targetMedia).standardizedFileURL
        {
            Console.out(
                "media: the \(migration.source.downloadedAttachments) downloaded attachments stay in \(sourceMedia) "
                    + "(files are not copied); copy that folder to \(targetMedia), or give `--media-root "
                    + "\(sourceMedia)` to serve and export")
        }
    }
}
