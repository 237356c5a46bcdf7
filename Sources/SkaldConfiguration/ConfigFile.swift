import DiscordModels
import FileSafety
import Foundation

/// The config file, in the shape users of the earlier "Discord Archive" tool already have:
///
/// ```json
/// {
///   "database_url": "postgresql://user:password@localhost:5432/discord_archive",
///   "accounts": [ { "name": "MyAccount", "token": "…", "guilds": ["123456789012345678"] } ]
/// }
/// ```
/// Unknown keys are refused with the closest known one (`unknown key "gulids" in accounts[0] — did you mean
/// "guilds"?`): a misspelled key silently ignored would archive what the user meant to leave out.
public struct ConfigFile: Sendable, Decodable {
    /// One token and what it should archive.
    public struct Account: Sendable, Decodable {
        /// The keys an account object may have.
        public static let knownKeys = ["name", "token", "guilds"]
        /// A label for summaries (never the token).
        public var name: String?
        /// The bot token.
        public var token: String
        /// Guild ids to archive; empty or absent means every guild the token can see.
        public var guilds: [Snowflake<Guild>]?
    }

    /// Who may use `skald store serve-commands`' channel commands besides the server's owner and administrators
    /// (`"store_commands": {"allow_users": ["…"], "allow_roles": ["…"]}`), added to `--allow-user`/`--allow-role`.
    public struct StoreCommands: Sendable, Decodable {
        /// The keys the object may have.
        public static let knownKeys = ["allow_users", "allow_roles"]
        /// User ids allowed.
        public var allowUsers: [Snowflake<User>]
        /// Role ids whose members are allowed.
        public var allowRoles: [Snowflake<Role>]

        enum CodingKeys: String, CodingKey {
            case allowUsers = "allow_users"
            case allowRoles = "allow_roles"
        }

        /// Decodes the object; an absent list is empty.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            allowUsers = try container.decodeIfPresent([Snowflake<User>].self, forKey: .allowUsers) ?? []
            allowRoles = try container.decodeIfPresent([Snowflake<Role>].self, forKey: .allowRoles) ?? []
        }
    }

    /// The keys the top-level object may have.
    public static let knownKeys = ["database_url", "accounts", "store_commands"]
    /// Where the archive lives (see ``DatabaseLocation``).
    public var databaseURL: String?
    /// The tokens to archive with.
    public var accounts: [Account]
    /// Who may use the store's channel commands (nil: only the flags, the owner and administrators).
    public var storeCommands: StoreCommands?

    enum CodingKeys: String, CodingKey {
        case databaseURL = "database_url"
        case accounts
        case storeCommands = "store_commands"
    }

    /// Decodes the file's JSON (unknown keys are checked by ``load(path:)``, which sees the raw object).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        databaseURL = try container.decodeIfPresent(String.self, forKey: .databaseURL)
        accounts = try container.decodeIfPresent([Account].self, forKey: .accounts) ?? []
        storeCommands = try container.decodeIfPresent(StoreCommands.self, forKey: .storeCommands)
    }

    /// Reads and validates a config file.
    /// - Throws: `ConfigurationError` for an unreadable file, bad JSON, an unknown key, or an account without a
    ///   token.
    public static func load(path: String) throws -> ConfigFile {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw ConfigurationError.unreadableConfigFile(
                path, reason: "it is a folder; give the path of the JSON file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError.unreadableConfigFile(path, reason: FileProblem.describe(error, at: path))
        }
        if let message = try? JSONSerialization.jsonObject(with: data), let problem = unknownKeyProblem(in: message) {
            throw ConfigurationError.malformedConfigFile(path, reason: problem)
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
        // An account's name is how runs, summaries and logs tell it apart: one name twice would say which failed
        // without saying which one.
        var firstNamed: [String: Int] = [:]
        for (index, account) in file.accounts.enumerated() {
            guard let name = account.name else { continue }
            if let first = firstNamed[name] {
                throw ConfigurationError.malformedConfigFile(
                    path,
                    reason: "accounts[\(first)] and accounts[\(index)] are both named \"\(name)\": give each account "
                        + "a name of its own")
            }
            firstNamed[name] = index
        }
        return file
    }

    /// The first unknown key of the file's object, described with the closest known key.
    static func unknownKeyProblem(in value: Any) -> String? {
        guard let object = value as? [String: Any] else { return nil }
        func check(_ object: [String: Any], known: [String], place: String) -> String? {
            for key in object.keys.sorted() where !known.contains(key) {
                let hint = KeySuggestion.closest(to: key, among: known).map { " — did you mean \"\($0)\"?" }
                return "unknown key \"\(key)\" in \(place)\(hint ?? " (known keys: \(known.joined(separator: ", ")))")"
            }
            return nil
        }
        if let problem = check(object, known: knownKeys, place: "the top-level object") { return problem }
        for (index, account) in (object["accounts"] as? [Any] ?? []).enumerated() {
            guard let account = account as? [String: Any] else { continue }
            if let problem = check(account, known: Account.knownKeys, place: "accounts[\(index)]") { return problem }
        }
        if let access = object["store_commands"] as? [String: Any],
            let problem = check(access, known: StoreCommands.knownKeys, place: "store_commands")
        {
            return problem
        }
        return nil
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
