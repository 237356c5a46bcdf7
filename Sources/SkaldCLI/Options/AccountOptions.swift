import Archive
import ArgumentParser
import DiscordModels
import DiscordREST
import Foundation
import Logging
import SkaldConfiguration

/// Which token(s) to use and where Discord is: `--token`, `DISCORD_TOKEN`, `--config`, `--api-base`.
struct AccountOptions: ParsableArguments {
    @Option(
        name: .customLong("token"),
        help: ArgumentHelp(
            "Bot token (else the accounts of --config, else $DISCORD_TOKEN). Never logged.", valueName: "token"))
    var token: String?

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "Config file: {\"database_url\": …, \"accounts\": [{\"name\", \"token\", \"guilds\"}]}.", valueName: "path")
    )
    var configPath: String?

    @Option(
        name: .customLong("api-base"),
        help: ArgumentHelp(
            "Discord API root, e.g. a simulator's http://127.0.0.1:PORT/api/v10.", valueName: "url"))
    var apiBase: String = "https://discord.com/api/v10"

    func validate() throws {
        guard let url = URL(string: apiBase), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host != nil
        else {
            throw ValidationError("--api-base must be an http(s) URL such as https://discord.com/api/v10")
        }
    }

    /// The REST clients of these options (`--api-base`): the one place a command makes its Discord clients. They
    /// share one record of Discord's edge refusing the IP address (the ban is per address): a one-shot command's
    /// clients stop at the first refusal, sending nothing more; a long-running command passes `waitingOutBansAs`
    /// (its name, for the two lines it prints when a ban begins and ends) and its clients wait the ban out, probing;
    /// with `failingFast` they do not wait but fail during the ban, one of them probing when a probe is due
    /// (``EdgeRefusalGate/failingFast()``).
    func clients(logger: Logger, waitingOutBansAs command: String? = nil, failingFast: Bool = false)
        -> DiscordClientFactory
    {
        var clients = DiscordClientFactory(apiBase: apiBase, logger: logger)
        if let command {
            let gate = EdgeRefusalGate(policy: .waitOut(.init()), clock: ContinuousClock(), logger: logger) {
                Console.error("\(command): \(EdgeRefusalGate.describe($0))")
            }
            clients.edgeRefusals = failingFast ? gate.failingFast() : gate
        } else {
            clients.edgeRefusals = EdgeRefusalGate(policy: .stop, clock: ContinuousClock(), logger: logger)
        }
        return clients
    }

    /// The archive engine's I/O for these options: their clients, media through the shared HTTP client, real time
    /// (`waitingOutBansAs`: see ``clients(logger:waitingOutBansAs:)``).
    func io(logger: Logger, waitingOutBansAs command: String? = nil) -> ArchiveIO {
        ArchiveIO(clients: clients(logger: logger, waitingOutBansAs: command))
    }

    /// The config file, if one was given.
    func loadConfigFile() throws -> ConfigFile? {
        try configPath.map { try ConfigFile.load(path: $0) }
    }

    /// The accounts to archive with: `--token` (with `guilds`), else the config file's, else `DISCORD_TOKEN` (with
    /// `guilds`).
    func accounts(configFile: ConfigFile?, guilds: [Snowflake<Guild>]) throws -> [ArchiveConfiguration.Account] {
        let environment = ProcessInfo.processInfo.environment["DISCORD_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        // `--token`, then the accounts of the config file `--config` names, then `DISCORD_TOKEN`: a config given on
        // the command line is meant, and a token left in the environment used to win over it, dropping its
        // accounts' guild lists without a word (every guild the bot sees was archived).
        if let token = token ?? (configFile?.accounts.isEmpty == false ? nil : environment) {
            guard !token.isEmpty else { throw ConfigurationError.missingToken() }
            try ConfigurationError.checkPlausible(token: token, source: self.token != nil ? "--token" : "DISCORD_TOKEN")
            return [ArchiveConfiguration.Account(name: "default", token: token, guilds: guilds)]
        }
        if let configFile, !configFile.accounts.isEmpty {
            return try configFile.accounts.enumerated().map { index, account in
                try ConfigurationError.checkPlausible(
                    token: account.token, source: "accounts[\(index)] of \(configPath ?? "the config file")")
                return ArchiveConfiguration.Account(
                    name: account.name ?? "account \(index + 1)", token: account.token,
                    guilds: guilds.isEmpty ? account.guilds ?? [] : guilds)
            }
        }
        throw ConfigurationError.missingToken()
    }
}
