import ArgumentParser
import DiscordModels

extension Snowflake: ExpressibleByArgument {
    /// A decimal id on the command line.
    public init?(argument: String) {
        self.init(argument)
    }
}
