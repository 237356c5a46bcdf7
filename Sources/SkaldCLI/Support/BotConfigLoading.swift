import Bot
import Foundation
import SkaldConfiguration

/// The bot's config file (`--config`), read once for `skald bot`, `skald settings` and `skald jobs`.
enum BotConfigLoading {
    /// The bot config at `path`, or an empty one; problems become one `error:` line.
    static func load(_ path: String?) throws -> BotConfig {
        guard let path else { return BotConfig() }
        do {
            return try BotConfig.load(path: path)
        } catch let problem as BotConfig.Problem {
            throw ConfigurationError.badValue(problem.description)
        }
    }

    /// The archive's part of the bot config (`database_url`, `accounts`) as the archive's config file.
    static func archiveConfig(_ config: BotConfig, path: String?) throws -> ConfigFile? {
        guard path != nil else { return nil }
        do {
            return try JSONDecoder().decode(ConfigFile.self, from: config.archiveJSON)
        } catch {
            throw ConfigurationError.badValue("the accounts of \(path ?? "the config") are not valid: \(error)")
        }
    }
}
