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
    /// this concurrency. A config of several accounts is said to run with its first (`command` names the command).
    func archiveConfiguration(_ account: AccountOptions, configFile: ConfigFile?, command: String) throws
        -> ArchiveConfiguration
    {
        let accounts = try account.accounts(configFile: configFile, guilds: guilds)
        if accounts.count > 1 {
            // Before, the others were left out without a word.
            Console.error(
                "\(command): the config names \(accounts.count) accounts; live capture runs with the first "
                    + "(\(accounts[0].name)), the others are not captured live (`skald archive` uses them all)")
        }
        var archive = ArchiveConfiguration(accounts: Array(accounts.prefix(1)))
        archive.apiBase = account.apiBase
        archive.concurrency = concurrency
        return archive
    }
}
