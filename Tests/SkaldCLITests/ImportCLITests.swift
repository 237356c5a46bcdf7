import Foundation
import Testing

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
