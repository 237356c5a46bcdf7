import Archive
import ArgumentParser
import DiscordModels
import SkaldConfiguration

/// The catch-up flags of the live commands (`skald watch`, `skald bot`): which guilds, and how many message requests
/// the catch-up keeps in flight.
struct CatchUpOptions: ParsableArguments {
    @Option(name: .customLong("guild"), help: ArgumentHelp("Only this guild (repeatable).", valueName: "id"))
    var guilds: [Snowflake<Guild>] = []
    @Option(name: .customLong("concurrency"), help: "Message requests in flight at once during catch-up.")
    var concurrency: Int = 48

    func validate() throws {
        guard (1...512).contains(concurrency) else { throw ValidationError("--concurrency must be 1...512") }
    }

    /// The catch-up's archive configuration: the first account `account` names (for these guilds), its API base,
    /// this concurrency.
    func archiveConfiguration(_ account: AccountOptions, configFile: ConfigFile?) throws -> ArchiveConfiguration {
        let accounts = try account.accounts(configFile: configFile, guilds: guilds)
        var archive = ArchiveConfiguration(accounts: Array(accounts.prefix(1)))
        archive.apiBase = account.apiBase
        archive.concurrency = concurrency
        return archive
    }
}
