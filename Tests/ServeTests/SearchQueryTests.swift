import ArchiveStore
import DiscordModels
import Serve
import Testing

/// The search syntax, parsed without a store.
@Suite struct SearchQueryTests {
    @Test func wordsPhrasesNegationAndOperators() throws {
        let query = try SearchQuery(parsing: #"zebra "at dawn" -cat from:alice in:#general pinned:true 12:30"#)
        #expect(query.search.words == ["zebra", "12", "30"])
        #expect(query.search.phrases == [["at", "dawn"]])
        #expect(query.search.excludedWords == ["cat"])
        #expect(query.from == ["alice"])
        #expect(query.inChannels == ["#general"])
        #expect(query.search.pinned == true)
    }

    @Test func orMakesGroupsOfAlternatives() throws {
        let query = try SearchQuery(parsing: "zebra cat OR dog OR owl -fish OR from:1 bird")
        #expect(query.search.alternatives == [["cat", "dog", "owl"]])
        #expect(query.search.words == ["zebra", "bird"])
        #expect(query.search.excludedWords == ["fish"])
        #expect(query.from == ["1"])
    }

    @Test func datesBoundTheIds() throws {
        let query = try SearchQuery(parsing: "during:2024-02")
        let start = try #require(query.search.minimumId)
        let end = try #require(query.search.maximumId)
        #expect(DiscordTimestamp(date: start.date).rawValue.hasPrefix("2024-02-01T00:00:00"))
        #expect(DiscordTimestamp(date: end.date).rawValue.hasPrefix("2024-03-01T00:00:00"))
        #expect(throws: SearchQueryError.self) { try SearchQuery(parsing: "before:2024-13") }
        #expect(throws: SearchQueryError.self) { try SearchQuery(parsing: "pinned:maybe") }
    }

    @Test func resolvingFillsTheNamesAndKeepsTheRest() throws {
        let query = try SearchQuery(parsing: "zebra from:alice mentions:bob in:general has:image author_type:bot")
        #expect(query.search.authors.isEmpty && query.search.channels.isEmpty && query.search.mentions.isEmpty)
        let resolved = query.resolved(
            authors: [Snowflake(1)], mentions: [Snowflake(2)], channels: [Snowflake(3)], guild: Snowflake(4))
        var expected = MessageSearch(
            words: ["zebra"], authors: [Snowflake(1)], channels: [Snowflake(3)], guild: Snowflake(4))
        expected.mentions = [Snowflake(2)]
        expected.has = [.image]
        expected.authorTypes = [.bot]
        #expect(resolved == expected)
        #expect(!query.isEmpty)
        #expect(try SearchQuery(parsing: "  ").isEmpty)
        #expect(try !SearchQuery(parsing: "mentions:bob").isEmpty)
    }
}
