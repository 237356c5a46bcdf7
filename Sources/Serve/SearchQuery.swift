import ArchiveStore
import DiscordModels
import Foundation

/// A search as the user typed it (`zebra "at dawn" -cat from:123 in:general before:2024-05`), split into the
/// store's search (``MessageSearch``: words, phrases, negation, `OR`, dates and flags, taken as they are) and the
/// names of `from:`, `mentions:` and `in:`, which the server resolves against the archive
/// (``resolved(authors:mentions:channels:guild:)``).
public struct SearchQuery: Sendable, Hashable {
    /// Everything but the names: authors, mentions, channels and guild are left empty until resolved.
    public var search = MessageSearch()
    /// `from:` values (user ids or names).
    public var from: [String] = []
    /// `in:` values (channel ids or names).
    public var inChannels: [String] = []
    /// `mentions:` values (user ids or names).
    public var mentions: [String] = []

    /// Parses a query; throws ``SearchQueryError`` on an unknown operator or a malformed value.
    public init(parsing text: String) throws {
        let tokens = Self.tokens(of: text)
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            // `a OR b OR c`: one group of alternatives.
            if case .word(let first) = token, Self.isPlain(first), index + 1 < tokens.count,
                tokens[index] == .word("OR"), case .word(let second) = tokens[index + 1], Self.isPlain(second)
            {
                var group = Self.words(of: first) + Self.words(of: second)
                index += 2
                while index + 1 < tokens.count, tokens[index] == .word("OR"), case .word(let next) = tokens[index + 1],
                    Self.isPlain(next)
                {
                    group += Self.words(of: next)
                    index += 2
                }
                search.alternatives.append(group)
                continue
            }
            switch token {
            case .phrase(let phrase):
                let parts = Self.words(of: phrase)
                if parts.count == 1 { search.words += parts } else if !parts.isEmpty { search.phrases.append(parts) }
            case .word(let word):
                try apply(word)
            }
        }
    }

    private mutating func apply(_ word: String) throws {
        // An `OR` with no plain word on one side joins nothing: it is dropped.
        if word == "OR" { return }
        if word.hasPrefix("-"), word.count > 1 {
            search.excludedWords += Self.words(of: String(word.dropFirst()))
            return
        }
        guard let colon = word.firstIndex(of: ":"), colon != word.startIndex else {
            search.words += Self.words(of: word)
            return
        }
        let key = word[..<colon].lowercased()
        let value = String(word[word.index(after: colon)...])
        if value.isEmpty, ["from", "in", "mentions"].contains(key) {
            let example = key == "in" ? "in:general" : "\(key):name (or a user id)"
            throw SearchQueryError("\(key): names what to search for, with no space after the colon: \(example)")
        }
        switch key {
        case "from":
            from.append(value)
        case "in":
            inChannels.append(value)
        case "before":
            let range = try Self.dateRange(value, operator: key)
            search.maximumId = Swift.min(search.maximumId ?? range.lowerBound, range.lowerBound)
        case "after":
            let range = try Self.dateRange(value, operator: key)
            search.minimumId = Swift.max(search.minimumId ?? range.upperBound, range.upperBound)
        case "during":
            let range = try Self.dateRange(value, operator: key)
            search.minimumId = Swift.max(search.minimumId ?? range.lowerBound, range.lowerBound)
            search.maximumId = Swift.min(search.maximumId ?? range.upperBound, range.upperBound)
        case "pinned": search.pinned = try Self.flag(value, operator: key)
        case "edited": search.edited = try Self.flag(value, operator: key)
        case "deleted": search.deleted = try Self.flag(value, operator: key)
        case "has":
            guard let content = MessageSearch.Content(rawValue: value.lowercased()) else {
                throw SearchQueryError(
                    "has: takes " + MessageSearch.Content.allCases.map(\.rawValue).joined(separator: ", ")
                        + " (got \(value))")
            }
            search.has.append(content)
        case "mentions":
            mentions.append(value)
        case "author_type":
            guard let type = MessageSearch.AuthorType(rawValue: value.lowercased()) else {
                throw SearchQueryError("author_type: takes user, bot or webhook (got \(value))")
            }
            search.authorTypes.append(type)
        default:
            // Not an operator (e.g. a URL or a time like 12:30): search it as text.
            search.words += Self.words(of: word)
        }
    }

    /// The store's search with the names resolved: `authors` for `from:`, `mentions` for `mentions:`, `channels`
    /// for `in:`, limited to `guild` when given.
    public func resolved(
        authors: [Snowflake<User>], mentions: [Snowflake<User>] = [], channels: [Snowflake<Channel>],
        guild: Snowflake<Guild>?
    ) -> MessageSearch {
        var resolved = search
        resolved.authors = authors
        resolved.mentions = mentions
        resolved.channels = channels
        resolved.guild = guild
        return resolved
    }

    /// The words and phrase words to highlight in results.
    public var highlightedWords: [String] { search.words + search.phrases.flatMap { $0 } }

    /// Whether the query holds nothing to search by.
    public var isEmpty: Bool { search == MessageSearch() && from.isEmpty && inChannels.isEmpty && mentions.isEmpty }

    // MARK: Lexing

    enum Token: Equatable {
        case word(String)
        case phrase(String)
    }

    static func tokens(of text: String) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var inQuote = false
        for character in text {
            if character == "\"" {
                if inQuote {
                    tokens.append(.phrase(current))
                } else if !current.isEmpty {
                    tokens.append(.word(current))
                }
                current = ""
                inQuote.toggle()
            } else if character.isWhitespace && !inQuote {
                if !current.isEmpty { tokens.append(.word(current)) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(inQuote ? .phrase(current) : .word(current)) }
        return tokens
    }

    /// The index's words of a piece of text: letters and digits, as the full-text tokenizers split them.
    static func words(of text: String) -> [String] { GuildSearchParameters.words(of: text) }

    /// Whether a word is plain text (not `-word`, not `key:value`).
    static func isPlain(_ word: String) -> Bool { !word.hasPrefix("-") && !word.contains(":") && word != "OR" }

    static func flag(_ value: String, operator key: String) throws -> Bool {
        switch value.lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default: throw SearchQueryError("\(key): takes true or false (got \(value))")
        }
    }

    /// The ids of messages sent in a UTC day, month or year: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    static func dateRange(_ value: String, operator key: String) throws -> Range<Snowflake<Message>> {
        let parts = value.split(separator: "-").map { Int($0) }
        guard (1...3).contains(parts.count), parts.allSatisfy({ $0 != nil }), let year = parts[0] else {
            throw SearchQueryError("\(key): takes a date as YYYY, YYYY-MM or YYYY-MM-DD (got \(value))")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let month = parts.count > 1 ? parts[1]! : 1
        let day = parts.count > 2 ? parts[2]! : 1
        guard (1...12).contains(month), (1...31).contains(day),
            let start = calendar.date(from: DateComponents(year: year, month: month, day: day))
        else {
            throw SearchQueryError("\(key): \(value) is not a date")
        }
        let unit: Calendar.Component = parts.count == 1 ? .year : parts.count == 2 ? .month : .day
        guard let end = calendar.date(byAdding: unit, value: 1, to: start) else {
            throw SearchQueryError("\(key): \(value) is not a date")
        }
        return Snowflake<Message>(date: start)..<Snowflake<Message>(date: end)
    }
}
