import DiscordModels
import Foundation
import Testing

@Suite struct SnowflakeTests {
    @Test func timestampExtractionMatchesTheDocs() {
        // discord-api-docs: 175928847299117063 was made at 2016-04-30 11:18:25.796 UTC.
        let id: Snowflake<Message> = "175928847299117063"
        #expect(id.unixMilliseconds == 1_462_015_105_796)
        #expect(id.worker == 1)
        #expect(id.process == 0)
        #expect(id.increment == 7)
    }

    @Test func cursorFromDate() {
        let date = Date(timeIntervalSince1970: 1_704_067_200)  // 2024-01-01Z
        #expect(Snowflake<Message>(date: date).rawValue == 1_191_168_914_227_200_000)
        #expect(Snowflake<Message>(date: Date(timeIntervalSince1970: 0)).rawValue == 0)
    }

    @Test func constructionRoundTrips() {
        let id = Snowflake<Channel>(unixMilliseconds: 1_704_067_200_123, worker: 3, process: 4, increment: 4095)
        #expect(id.unixMilliseconds == 1_704_067_200_123)
        #expect(id.worker == 3 && id.process == 4 && id.increment == 4095)
    }

    @Test func codableAsDecimalString() throws {
        let id: Snowflake<Guild> = "18446744073709551615"
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == #"["18446744073709551615"]"#)
        #expect(try JSONDecoder().decode([Snowflake<Guild>].self, from: data) == [id])
        // Numbers are tolerated, garbage is not.
        #expect(try JSONDecoder().decode([Snowflake<Guild>].self, from: Data("[42]".utf8)) == [Snowflake(42)])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Snowflake<Guild>].self, from: Data(#"["12a"]"#.utf8))
        }
    }

    @Test func comparesNumericallyNotLexically() {
        let small: Snowflake<Message> = "9"
        let large: Snowflake<Message> = "10"
        #expect(small < large)
    }
}
