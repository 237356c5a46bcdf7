import ArgumentParser
import DiscordModels
import Foundation

/// A `--after`/`--before` bound: a message id, or a date (`2024-01-31` or ISO 8601) turned exactly into the
/// first snowflake of that millisecond. A date that does not exist (`2022-02-30`, `2099-13-45`) or lies past the
/// last instant an id can hold is refused, never rolled over.
struct MessageBound: Sendable, Equatable {
    var snowflake: Snowflake<Message>
    /// What the user wrote, for messages.
    var text: String

    /// Parses a bound; the error says what is wrong and which forms are accepted.
    static func parse(_ argument: String) throws -> MessageBound {
        let accepted = "use a date (2024-01-31), an ISO 8601 time (2024-01-31T12:00:00Z) or a message id"
        if !argument.isEmpty, argument.allSatisfy(\.isASCIIDigitCharacter) {
            guard let id = Snowflake<Message>(argument) else {
                throw ValidationError("\"\(argument)\" is too large for a message id (64 bits); \(accepted)")
            }
            return MessageBound(snowflake: id, text: argument)
        }
        let text = argument.count == 10 ? argument + "T00:00:00Z" : argument
        guard let date = DiscordTimestamp.parse(text) else {
            throw ValidationError("\"\(argument)\" is not a date that exists; \(accepted)")
        }
        if let id = Snowflake<Message>(exactly: date) { return MessageBound(snowflake: id, text: argument) }
        let range = Snowflake<Message>.unixMillisecondsRange
        if date.timeIntervalSince1970 * 1000 < Double(range.lowerBound) {
            // Before the Discord epoch: every message is after it.
            return MessageBound(snowflake: Snowflake(0), text: argument)
        }
        let last = DiscordTimestamp(date: Date(timeIntervalSince1970: Double(range.upperBound) / 1000))
        throw ValidationError("\"\(argument)\" is after \(last), the last instant a Discord id can hold")
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
