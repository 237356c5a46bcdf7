import ArgumentParser
import DiscordModels
import Foundation

extension Snowflake: ExpressibleByArgument {
    /// A decimal id on the command line.
    public init?(argument: String) {
        self.init(argument)
    }
}

/// A `--after`/`--before` bound: a message id, or a date (`2024-01-31` or ISO 8601) turned into a snowflake.
struct MessageBound: ExpressibleByArgument, Sendable {
    var snowflake: Snowflake<Message>

    init?(argument: String) {
        if let id = Snowflake<Message>(argument) {
            snowflake = id
            return
        }
        let text = argument.count == 10 ? argument + "T00:00:00Z" : argument
        guard let date = DiscordTimestamp.parse(text) else { return nil }
        snowflake = Snowflake(date: date)
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
