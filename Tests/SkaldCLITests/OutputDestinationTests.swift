import Foundation
import Testing

/// A file Skald writes replaces only a regular file: a folder (or a link to one) at the destination is an error,
/// exit 1, with nothing touched. Through the real binary.
@Suite("Output destinations") struct OutputDestinationTests {
    @Test func combineOntoAFolderRefusesAndKeepsTheFolder() async throws {
        try await withTemporaryFolder { folder in
            let db = try await Fixture.importedArchive(in: folder)
            let export = try await SkaldProcess.run(
                ["export", "--db", db, "--channel", Fixture.channel, "--window", "day", "--out", "win"], in: folder)
            #expect(export.status == 0, "\(export.output)")
            try FileManager.default.createDirectory(atPath: folder + "/mydir/sub", withIntermediateDirectories: true)
            try Data("precious".utf8).write(to: URL(fileURLWithPath: folder + "/mydir/sub/thesis.txt"))
            let combine = try await SkaldProcess.run(
                ["combine", "--out", "win", "--channel", Fixture.channel, "--output-file", "mydir"], in: folder)
            #expect(combine.status == 1, "\(combine.output)")
            #expect(combine.output.contains("error: mydir is a folder"))
            #expect(FileManager.default.fileExists(atPath: folder + "/mydir/sub/thesis.txt"))

            try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: "mydir")
            let viaLink = try await SkaldProcess.run(
                ["combine", "--out", "win", "--channel", Fixture.channel, "--output-file", "link"], in: folder)
            #expect(viaLink.status == 1)
            #expect(viaLink.output.contains("symbolic link to a folder"))
            #expect(FileManager.default.fileExists(atPath: folder + "/mydir/sub/thesis.txt"))

            let toFile = try await SkaldProcess.run(
                ["combine", "--out", "win", "--channel", Fixture.channel, "--output-file", "all.json"], in: folder)
            #expect(toFile.status == 0, "\(toFile.output)")
        }
    }

    @Test func exportWhereAFolderHasTheFileNameRefuses() async throws {
        try await withTemporaryFolder { folder in
            let db = try await Fixture.importedArchive(in: folder)
            let name = "Example guild - Text Channels - general [\(Fixture.channel)].json"
            try FileManager.default.createDirectory(atPath: folder + "/o/" + name, withIntermediateDirectories: true)
            try Data("keep".utf8).write(to: URL(fileURLWithPath: folder + "/o/" + name + "/notes.txt"))
            let run = try await SkaldProcess.run(
                ["export", "--db", db, "--channel", Fixture.channel, "--out", "o"], in: folder)
            #expect(run.status == 1, "\(run.output)")
            #expect(run.output.contains("is a folder"))
            #expect(FileManager.default.fileExists(atPath: folder + "/o/" + name + "/notes.txt"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/o") == [name])
        }
    }

    /// An archive path where a folder has the file's name, or a file has one of its folders' names, is named as
    /// such (before: "SQLite error 10: disk I/O error" and "it already exists").
    @Test func anArchivePathWithSomethingInTheWayIsNamed() async throws {
        try await withTemporaryFolder { folder in
            try FileManager.default.createDirectory(atPath: folder + "/a.sqlite", withIntermediateDirectories: true)
            try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/notafolder"))
            for (command, shown) in [
                (["stats", "--db", "sqlite:a.sqlite"], "a.sqlite is a folder, not an archive file"),
                (
                    ["settings", "set", "--db", "sqlite:a.sqlite", "--guild", "1", "reaction", "🎬"],
                    "a.sqlite is a folder, not an archive file"
                ),
                (
                    ["settings", "set", "--db", "sqlite:notafolder/a.sqlite", "--guild", "1", "reaction", "🎬"],
                    "notafolder is a regular file, not a folder"
                ),
            ] {
                let run = try await SkaldProcess.run(command, in: folder)
                #expect(run.status == 1, "\(command): \(run.output)")
                #expect(run.output.contains(shown), "\(command): \(run.output)")
            }
        }
    }

    @Test func anInterruptedExportsTemporaryIsRemovedByTheRerun() async throws {
        try await withTemporaryFolder { folder in
            let db = try await Fixture.importedArchive(in: folder)
            let name = "Example guild - Text Channels - general [\(Fixture.channel)].json"
            try FileManager.default.createDirectory(atPath: folder + "/o", withIntermediateDirectories: true)
            // What a killed export leaves: its hidden, empty temporary.
            try Data().write(to: URL(fileURLWithPath: folder + "/o/.\(name).0badf00d.tmp"))
            let run = try await SkaldProcess.run(
                ["export", "--db", db, "--channel", Fixture.channel, "--out", "o"], in: folder)
            #expect(run.status == 0, "\(run.output)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/o") == [name])
        }
    }

    @Test func longNamesAreShortenedKeepingTheId() async throws {
        try await withTemporaryFolder { folder in
            let file = try Fixture.write(into: folder, name: "long.json") { object in
                var guild = object["guild"] as? [String: Any] ?? [:]
                guild["name"] = String(repeating: "漢", count: 60)
                object["guild"] = guild
                var channel = object["channel"] as? [String: Any] ?? [:]
                channel["name"] = "ch-" + String(repeating: "é", count: 60)
                object["channel"] = channel
            }
            let imported = try await SkaldProcess.run(["import", "--db", "sqlite:l.sqlite", file], in: folder)
            #expect(imported.status == 0, "\(imported.output)")
            let run = try await SkaldProcess.run(
                ["export", "--db", "sqlite:l.sqlite", "--channel", Fixture.channel, "--out", "lo"], in: folder)
            #expect(run.status == 0, "\(run.output)")
            let names = try FileManager.default.contentsOfDirectory(atPath: folder + "/lo")
            #expect(names.count == 1)
            let name = try #require(names.first)
            #expect(name.utf8.count <= 255)
            #expect(name.hasSuffix("[\(Fixture.channel)].json"))
            #expect(name.hasPrefix(String(repeating: "漢", count: 60)))
        }
    }

    @Test func exportIntoAReadOnlyFolderSaysWhyInWords() async throws {
        try await withTemporaryFolder { folder in
            let db = try await Fixture.importedArchive(in: folder)
            // A file where the output folder should be: the folder cannot be created.
            try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/blocked"))
            let run = try await SkaldProcess.run(
                ["export", "--db", db, "--channel", Fixture.channel, "--out", "blocked/o"], in: folder)
            #expect(run.status == 1)
            #expect(run.output.hasPrefix("error: "))
            #expect(!run.output.contains("NSCocoaErrorDomain"))
            #expect(!run.output.contains("Code="))
        }
    }
}
