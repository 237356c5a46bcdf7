/// The service a ``DiscordClient`` talks to, in the words its errors use: the service's name and the options that
/// set its token and address. One client code serves Discord, Fluxer (a mirror's target) and Discord as a mirror's
/// source or target; each error names the service and the option to change, not always "Discord" and
/// `DISCORD_TOKEN`.
///
/// ```swift
/// configuration.service = RESTService(name: "target Fluxer", tokenOption: "--target-token", apiOption: "--target-api")
/// ```
public struct RESTService: Sendable, Hashable {
    /// How errors name the service: `Discord`, `target Fluxer`.
    public var name: String
    /// Where the token comes from, for "set a valid token (…)": `DISCORD_TOKEN`, `--target-token`.
    public var tokenOption: String
    /// The option that sets the API base, for "check … and the network": `--api-base`, `--target-api`.
    public var apiOption: String

    /// A service named `name` whose token and API base are set by `tokenOption` and `apiOption`.
    public init(name: String, tokenOption: String, apiOption: String) {
        self.name = name
        self.tokenOption = tokenOption
        self.apiOption = apiOption
    }

    /// Discord, its token from `DISCORD_TOKEN` (or `--token`) and its address from `--api-base`: the archive's,
    /// live capture's and the bot's client.
    public static let discord = RESTService(name: "Discord", tokenOption: "DISCORD_TOKEN", apiOption: "--api-base")

    /// What to do about a 401: the token is wrong.
    var invalidTokenAdvice: String {
        "the bot token is invalid or was reset; set a valid token (\(tokenOption)) and retry"
    }

    /// What to do when the host cannot be reached.
    var unreachableAdvice: String { "Check \(apiOption) and the network, then rerun" }
}
