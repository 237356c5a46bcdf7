import DiscordModels
import Serve
import Testing

/// The search syntax, parsed without a store.
@Suite struct SearchQueryTests {
    @Test func wordsPhrasesNegationAndOperators() throws {
        let query = try SearchQuery(parsing: #"zebra "at dawn" -cat from:alice in:#general pinned:true 12:30"#)
        #expect(query.words == ["zebra", "12", "30"])
        #expect(query.phrases == [["at", "dawn"]])
        #expect(query.excludedWords == ["cat"])
        #expect(query.from == ["alice"])
        #expect(query.inChannels == ["#general"])
        #expect(query.pinned == true)
    }

    @Test func orMakesGroupsOfAlternatives() throws {
        let query = try SearchQuery(parsing: "zebra cat OR dog OR owl -fish OR from:1 bird")
        #expect(query.alternatives == [["cat", "dog", "owl"]])
        #expect(query.words == ["zebra", "bird"])
        #expect(query.excludedWords == ["fish"])
        #expect(query.from == ["1"])
    }

    @Test func datesBoundTheIds() throws {
        let query = try SearchQuery(parsing: "during:2024-02")
        let start = try #require(query.minimumId)
        let end = try #require(query.maximumId)
        #expect(DiscordTimestamp(date: start.date).rawValue.hasPrefix("2024-02-01T00:00:00"))
        #expect(DiscordTimestamp(date: end.date).rawValue.hasPrefix("2024-03-01T00:00:00"))
        #expect(throws: SearchQueryError.self) { try SearchQuery(parsing: "before:2024-13") }
        #expect(throws: SearchQueryError.self) { try SearchQuery(parsing: "pinned:maybe") }
    }
}
