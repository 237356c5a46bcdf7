import DiscordModels
import Foundation
import Testing

/// `--after`/`--before` dates convert exactly into snowflakes up to the largest 42-bit timestamp; dates that do not
/// exist and inverted ranges are refused. Through the real binary, on the 35-message fixture of 2023-01-06.
@Suite("Date bounds") struct DateBoundTests {
    /// Messages exported with `arguments`, or `nil` when the export failed (with its output).
    func count(_ arguments: [String], in folder: String) async throws -> (Int?, String) {
        try? FileManager.default.removeItem(atPath: folder + "/o")
        let run = try await SkaldProcess.run(
            ["export", "--db", "sqlite:a.sqlite", "--channel", Fixture.channel, "--out", "o"] + arguments, in: folder)
        guard run.status == 0 else { return (nil, run.output) }
        var total = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: folder + "/o") where name.hasSuffix(".json") {
            let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/o/" + name))
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            total += (object?["messages"] as? [Any])?.count ?? 0
        }
        return (total, run.output)
    }

    @Test func datesConvertExactlyUpToTheLastSnowflakeInstant() async throws {
        try await withTemporaryFolder { folder in
            _ = try await Fixture.importedArchive(in: folder)
            #expect(try await count([], in: folder).0 == 35)
            #expect(try await count(["--after", "2015-01-01"], in: folder).0 == 35)  // the Discord epoch
            #expect(try await count(["--after", "2014-06-01"], in: folder).0 == 35)  // before it: everything
            #expect(try await count(["--after", "2084-12-31"], in: folder).0 == 0)  // past Int64.max as a snowflake
            #expect(try await count(["--after", "2100-01-01"], in: folder).0 == 0)
            #expect(try await count(["--before", "2100-01-01"], in: folder).0 == 35)
            #expect(try await count(["--after", "2154-05-15T07:35:11.103Z"], in: folder).0 == 0)  // the last instant
            let beyond = try await count(["--after", "2154-05-15T07:35:11.104Z"], in: folder)
            #expect(beyond.0 == nil)
            #expect(beyond.1.contains("last instant a Discord id can hold"))

            // Millisecond exactness at each message's id: a date bound is the first id of its millisecond.
            let ids = try Fixture.messageIds
            let instants = Set(ids.map { Snowflake<Message>($0).unixMilliseconds }).sorted()
            for ms in instants.prefix(2) + instants.suffix(1) {
                let at = DiscordTimestamp(date: Date(timeIntervalSince1970: Double(ms) / 1000)).rawValue
                let next = DiscordTimestamp(date: Date(timeIntervalSince1970: Double(ms + 1) / 1000)).rawValue
                let before = ids.filter { Snowflake<Message>($0).unixMilliseconds < ms }.count
                let through = ids.filter { Snowflake<Message>($0).unixMilliseconds <= ms }.count
                #expect(try await count(["--after", at], in: folder).0 == ids.count - before, "\(at)")
                #expect(try await count(["--after", next], in: folder).0 == ids.count - through, "\(next)")
                #expect(try await count(["--before", at], in: folder).0 == before, "\(at)")
                #expect(try await count(["--before", next], in: folder).0 == through, "\(next)")
            }
        }
    }

    @Test(arguments: [
        "2099-13-45", "2022-02-30", "2023-02-29", "2024-01-31T24:00:00Z", "2024-1-31", "yesterday",
        "99999999999999999999",
    ])
    func impossibleDatesAreRefused(text: String) async throws {
        try await withTemporaryFolder { folder in
            _ = try await Fixture.importedArchive(in: folder)
            let (exported, output) = try await count(["--after", text], in: folder)
            #expect(exported == nil)
            #expect(output.contains("error: "))
            #expect(output.contains(text))
        }
    }

    @Test func leapDaysExist() async throws {
        try await withTemporaryFolder { folder in
            _ = try await Fixture.importedArchive(in: folder)
            #expect(try await count(["--after", "2024-02-29"], in: folder).0 == 0)
            #expect(try await count(["--after", "2000-02-29"], in: folder).0 == 35)
        }
    }

    @Test func anInvertedRangeIsRefused() async throws {
        try await withTemporaryFolder { folder in
            _ = try await Fixture.importedArchive(in: folder)
            let (exported, output) = try await count(["--after", "2022-01-01", "--before", "2021-01-01"], in: folder)
            #expect(exported == nil)
            #expect(output.contains("--after 2022-01-01 is not earlier than --before 2021-01-01"))
        }
    }
}
