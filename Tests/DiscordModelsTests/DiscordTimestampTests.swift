import DiscordModels
import Foundation
import Testing

@Suite struct DiscordTimestampTests {
    @Test(arguments: [
        ("2017-07-11T17:27:07.299000+00:00", 1_499_794_027.299),
        ("2017-07-11T17:27:07+00:00", 1_499_794_027.0),
        ("2017-07-11T17:27:07.299Z", 1_499_794_027.299),
        ("2017-07-11T19:27:07.299+02:00", 1_499_794_027.299),
        ("2023-01-06T14:35:25.25+00:00", 1_673_015_725.25),
    ])
    func parsesDiscordForms(text: String, seconds: Double) throws {
        let date = try #require(DiscordTimestamp.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_5)
    }

    @Test func rejectsGarbage() {
        #expect(DiscordTimestamp.parse("yesterday") == nil)
        #expect(DiscordTimestamp.parse("2017-07-11 17:27") == nil)
    }

    @Test func formatsLikeDiscord() {
        let date = Date(timeIntervalSince1970: 1_499_794_027.299)
        #expect(DiscordTimestamp(date: date).rawValue == "2017-07-11T17:27:07.299000+00:00")
        #expect(DiscordTimestamp(date: Date(timeIntervalSince1970: 0)).rawValue == "1970-01-01T00:00:00.000000+00:00")
    }

    @Test func keepsRawTextThroughCodable() throws {
        let raw = #"["2017-07-11T17:27:07.2990+00:00"]"#
        let decoded = try JSONDecoder().decode([DiscordTimestamp].self, from: Data(raw.utf8))
        #expect(String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self) == raw)
    }
}
