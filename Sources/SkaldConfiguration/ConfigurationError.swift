/// A problem with the user's configuration: flags, environment or config file. Its message says what to do.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case badDatabaseURL
        case unreadableConfigFile
        case malformedConfigFile
        case missingToken
        case badValue
        case implausibleToken
    }

    private let code: Code
    /// What went wrong and what to do, for the user.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A textual representation.
    public var description: String { message }

    /// A database URL that cannot be parsed.
    public static func badDatabaseURL(_ text: String, reason: String) -> Self {
        // The text may hold a password: show only its scheme (a text without one is a bare path: no password).
        guard text.contains(":") else { return Self(.badDatabaseURL, "bad database URL (\(text)): \(reason)") }
        let scheme = text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        return Self(.badDatabaseURL, "bad database URL (\(scheme):…): \(reason)")
    }

    /// A config file that cannot be read.
    public static func unreadableConfigFile(_ path: String, reason: String) -> Self {
        Self(.unreadableConfigFile, "cannot read config file \(path): \(reason)")
    }

    /// A config file that is not the expected JSON.
    public static func malformedConfigFile(_ path: String, reason: String) -> Self {
        Self(
            .malformedConfigFile,
            "config file \(path) is not valid: \(reason). Expected {\"database_url\": …, \"accounts\": [{\"name\", \"token\", \"guilds\"}]}"
        )
    }

    /// No token from any source.
    public static func missingToken() -> Self {
        Self(.missingToken, "no bot token: pass --token, set DISCORD_TOKEN, or give --config with an accounts list")
    }

    /// The fewest characters a token may have. Discord's bot tokens have about 70; anything much shorter is a
    /// truncated paste or a placeholder, and redacting such a short text from messages would garble them.
    public static let minimumTokenLength = 8

    /// Throws when `token` cannot be a real token (too short, or holding spaces or line breaks). The message
    /// names where the token came from, never the token.
    public static func checkPlausible(token: String, source: String) throws {
        if token.count < minimumTokenLength {
            throw Self(
                .implausibleToken,
                "the bot token from \(source) has \(token.count) character(s); a Discord bot token has about 70. "
                    + "Copy the whole token from the Developer Portal (Bot → Reset Token)")
        }
        if token.contains(where: { $0.isWhitespace }) {
            throw Self(
                .implausibleToken,
                "the bot token from \(source) contains spaces or line breaks; copy the token alone (without "
                    + "\"Bot \" or quotes)")
        }
    }

    /// Any other bad value, with the message as given.
    public static func badValue(_ message: String) -> Self { Self(.badValue, message) }
}
