import ArchiveStore
import DiscordModels
import DiscordREST

/// A failure that stops a whole `skald archive` run (exit code 1): bad token, unknown guild or channel.
/// Failures of single channels are not errors: they are listed in the ``ArchiveSummary``.
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case badToken
        case unreachable
        case edgeBanned
        case unknownGuild
        case unknownChannel
        case storage
    }

    private let code: Code
    /// What went wrong and what to do.
    public let message: String
    /// The error underneath, if any (never holds the token: `DiscordRESTError` redacts it).
    public let underlying: (any Error)?

    private init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// A textual representation.
    public var description: String { message }

    /// Whether the run stopped because Discord's edge refuses the address (``edgeBanned(underlying:)``): a
    /// long-running command owes the work and does it once the ban ends.
    public var isEdgeBan: Bool { code == .edgeBanned }

    /// Discord refused the token (401).
    public static func badToken(account: String, underlying: any Error) -> Self {
        Self(
            .badToken,
            "\(account): Discord rejected the bot token (401 Unauthorized). Check the token in --token, "
                + "DISCORD_TOKEN or the config file; it may have been reset.",
            underlying: underlying)
    }

    /// The Discord API (or the simulator) cannot be reached at all.
    public static func unreachable(account: String, apiBase: String, underlying: DiscordRESTError) -> Self {
        Self(
            .unreachable,
            "\(account): cannot reach the Discord API at \(apiBase): \(underlying.note ?? "\(underlying)")",
            underlying: underlying)
    }

    /// Discord's edge refuses requests from this IP address (an invalid-request ban): the run stopped sending at
    /// once, committing what it had fetched.
    public static func edgeBanned(underlying: DiscordRESTError) -> Self {
        let retryAfter = underlying.retryAfter
        return Self(
            .edgeBanned,
            DiscordRESTError.edgeBanExplanation(status: underlying.status, retryAfter: retryAfter)
                + ". Skald stopped sending at once; nothing stored was lost. Run the same command again later: "
                + "it resumes where it stopped.",
            underlying: underlying)
    }

    /// A requested guild the token cannot see.
    public static func unknownGuild(_ id: Snowflake<Guild>, account: String) -> Self {
        Self(
            .unknownGuild,
            "\(account): guild \(id) is not visible to this bot. Check the id, and that the bot was invited to it "
                + "(`skald archive` without --guild lists what it can see).")
    }

    /// A channel named by `option` (`--channel`, `--exclude-channel`) that no archived guild has.
    public static func unknownChannel(_ id: Snowflake<Channel>, option: String = "--channel") -> Self {
        Self(
            .unknownChannel,
            "channel \(id) was not found in any guild this bot can see. Check the id given to \(option).")
    }

    /// The archive could not be written (a full disk says which file system to free and that a rerun resumes).
    public static func storage(_ underlying: any Error) -> Self {
        if let store = underlying as? ArchiveStoreError, store.storageFull != nil {
            return Self(.storage, "the archive could not be written: \(store.message)", underlying: underlying)
        }
        return Self(.storage, "the archive could not be written: \(underlying)", underlying: underlying)
    }
}
