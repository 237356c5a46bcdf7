import ArchiveStore
import ArgumentParser
import Bot
import DiscordModels
import Foundation

/// `skald settings`: per-guild settings of the bot, merged over the config's defaults.
struct SettingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Read and change a guild's bot settings (merged over the config's defaults).",
        discussion: """
            A guild's settings are a JSON document stored in the archive, merged over the `defaults` of the bot's \
            config file (which clip kinds, which channels, the auto-download size limit, the reaction to a saved \
            clip…). Every change is kept in a history (`skald settings get --guild ID --history`).

            Examples:
              skald settings get --guild 123 --config bot.yaml
              skald settings get --guild 123 max_download_mb
              skald settings set --guild 123 clip_kinds '["link","attachment"]'
              skald settings set --guild 123 reaction 🎬
            """,
        subcommands: [SettingsGet.self, SettingsSet.self]
    )
}

/// `skald settings get`.
struct SettingsGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Print a guild's merged settings, or one key of them.")

    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("config"), help: ArgumentHelp("The bot's config file (its defaults).", valueName: "path"))
    var configPath: String?
    @Option(name: .customLong("guild"), help: ArgumentHelp("The guild.", valueName: "id"))
    var guild: Snowflake<Guild>
    @Flag(name: .customLong("history"), help: "Print the history of changes instead (one JSON line each).")
    var history = false
    @Argument(help: "One key (default: every setting).") var key: String?

    func run() async throws {
        let config = try BotConfigLoading.load(configPath)
        let location = try database.location(configFile: BotConfigLoading.archiveConfig(config, path: configPath))
        try await StoreFactory.withExisting(location) { store in
            if history {
                for change in try await store.guildSettingChanges(guild) where key == nil || change.key == key {
                    let row: [String: Any] = [
                        "key": change.key, "old": change.oldValue ?? NSNull(), "new": change.newValue ?? NSNull(),
                        "at": DiscordTimestamp.format(change.at),
                    ]
                    let data = try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys])
                    Console.out(String(decoding: data, as: UTF8.self))
                }
            } else {
                let merged = try GuildSettings.merged(
                    defaults: config.defaults, overrides: try await store.guildSettings(guild))
                if let key {
                    let object = try JSONSerialization.jsonObject(with: merged) as? [String: Any] ?? [:]
                    guard let value = object[key] else {
                        throw CommandFailure.Message(
                            "\(key) is not set for guild \(guild) (nor in the config's defaults)")
                    }
                    let data = try JSONSerialization.data(
                        withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
                    Console.out(String(decoding: data, as: UTF8.self))
                } else {
                    Console.out(String(decoding: merged, as: UTF8.self))
                }
            }
        }
    }
}

/// `skald settings set`.
struct SettingsSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Set one key of a guild's settings (JSON, or text); --unset removes it.")

    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("config"), help: ArgumentHelp("The bot's config file.", valueName: "path"))
    var configPath: String?
    @Option(name: .customLong("guild"), help: ArgumentHelp("The guild.", valueName: "id"))
    var guild: Snowflake<Guild>
    @Flag(name: .customLong("unset"), help: "Remove the key (the default applies again).") var unset = false
    @Argument(help: ArgumentHelp("The key (KEY=VALUE also works).", valueName: "key")) var keyArgument: String
    /// Everything after the key, a leading `-` included: `-5` is a value to judge (a negative number), not an
    /// unknown option; `-- -5` gives the same.
    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("The value: JSON (true, 5, [\"link\"]) or plain text.", valueName: "value"))
    var valueArguments: [String] = []

    /// The key, from `KEY VALUE` or `KEY=VALUE`.
    var key: String { keyArgument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? keyArgument }

    /// The value, from `KEY VALUE`, `KEY -- VALUE` or `KEY=VALUE`; nil when none was given.
    var value: String? {
        if let equals = keyArgument.firstIndex(of: "=") {
            return String(keyArgument[keyArgument.index(after: equals)...])
        }
        return valueArguments.first { $0 != "--" }
    }

    func validate() throws {
        let values = valueArguments.filter { $0 != "--" }
        if let option = values.first(where: { $0.hasPrefix("--") && Double($0) == nil }) {
            throw ValidationError("unknown option \(option) (a value that starts with -- goes after --: KEY -- VALUE)")
        }
        if values.count + (keyArgument.contains("=") ? 1 : 0) > 1 {
            throw ValidationError(
                "give one VALUE (got \(values.count + (keyArgument.contains("=") ? 1 : 0))): quote a value with spaces, "
                    + "or write a list as JSON, e.g. '[\"link\", \"embed\"]'")
        }
        if unset != (value == nil) {
            throw ValidationError(unset ? "--unset takes no value" : "give a VALUE or --unset")
        }
        if key.isEmpty { throw ValidationError("the key must not be empty") }
        if let value {
            let json = GuildSettings.jsonValue(value)
            let parsed = (try? JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])) ?? value
            if let problem = GuildSettingsSchema.problem(key: key, value: parsed) { throw ValidationError(problem) }
        }
    }

    func run() async throws {
        let config = try BotConfigLoading.load(configPath)
        let location = try database.location(configFile: BotConfigLoading.archiveConfig(config, path: configPath))
        let known = try await StoreFactory.withReady(location) { store in
            try await store.setGuildSetting(guild, key: key, value: value.map(GuildSettings.jsonValue), at: Date())
            return try await store.object(.guild, id: guild.cast()) != nil
        }
        Console.out(unset ? "\(key) unset for guild \(guild)" : "\(key) set for guild \(guild)")
        if !known {
            // Kept (the bot may join later), but a mistyped id would otherwise be kept without a word.
            Console.error(
                "note: the archive holds no guild \(guild) yet: the setting applies once the bot sees it; if the bot "
                    + "is already there, check the id (`skald stats` lists the archived guilds)")
        }
    }
}
