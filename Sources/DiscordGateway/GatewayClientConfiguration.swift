/// What a ``GatewayClient`` connects with.
public struct GatewayClientConfiguration: Sendable {
    /// The bot token (never logged).
    public var token: String
    /// The gateway URL from `GET /gateway/bot` (`ws://` or `wss://`).
    public var gatewayURL: String
    /// Intents sent in IDENTIFY.
    public var intents: GatewayIntents = .archiver
    /// `[shard id, shard count]`, or nil for one connection with every guild.
    public var shard: (id: Int, count: Int)?
    /// The identify budget from `GET /gateway/bot`: identifies left, milliseconds until reset, max concurrency.
    public var identifyBudget: (remaining: Int, resetAfterMilliseconds: Int, maxConcurrency: Int)?
    /// The session state machine's tunables.
    public var session = GatewaySessionStateMachine.Configuration()
    /// Told `true` when a session is ready (identified or resumed) and `false` when the connection closes (a health
    /// check's "is the gateway connected").
    public var onConnectionChange: (@Sendable (Bool) -> Void)?

    /// A configuration with the archiver's intents.
    public init(token: String, gatewayURL: String) {
        self.token = token
        self.gatewayURL = gatewayURL
    }
}
