import DiscordModels
import Foundation

/// The config file, in the shape users of the earlier "Discord Archive" tool already have:
///
/// ```json
/// {
///   "database_url": "postgresql://user:password@localhost:5432/discord_archive",
///   "accounts": [ { "name": "MyAccount", "token": "…", "guilds": ["123456789012345678"] } ]
/// }
/// ```
/// Unknown keys are ignored, so a config written for that tool loads unchanged.
public struct ConfigFile: Sendable, Decodable {
    /// One token and what it should archive.
    public struct Account: Sendable, Decodable {
        /// The name.
        public var name: String?
        /// The token.
        public var token: String
        /// Guild ids to archive; empty or absent means every guild the token can see.
        public var guilds: [Snowflake<Guild>]?
    }

    /// The database url.
    public var databaseURL: String?
    /// The accounts.
    public var accounts: [Account]

    enum CodingKeys: String, CodingKey {
        case databaseURL = "database_url"
        case accounts
    }

    /// Decodes the value from its JSON form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        databaseURL = try container.decodeIfPresent(String.self, forKey: .databaseURL)
        accounts = try container.decodeIfPresent([Account].self, forKey: .accounts) ?? []
    }

    /// Reads and validates a config file.
    /// - Throws: `ConfigurationError` for an unreadable file, bad JSON, or an account without a token.
    public static func load(path: String) throws -> ConfigFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError.unreadableConfigFile(path, cause: error)
        }
        let file: ConfigFile
        do {
            file = try JSONDecoder().decode(ConfigFile.self, from: data)
        } catch let error as DecodingError {
            throw ConfigurationError.malformedConfigFile(path, reason: Self.describe(error))
        } catch {
            throw ConfigurationError.malformedConfigFile(path, reason: "\(error)")
        }
        for (index, account) in file.accounts.enumerated() where account.token.isEmpty {
            throw ConfigurationError.malformedConfigFile(path, reason: "accounts[\(index)] has an empty token")
        }
        return file
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "bad value at \(path(context))"
        case .keyNotFound(let key, let context): return "missing key \(path(context)).\(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
