/// Timing and limits of the simulated gateway (Discord's values by default).
public struct GatewayConfiguration: Sendable, Hashable {
    /// HELLO's `heartbeat_interval`, in seconds (Discord: 41.25).
    public var heartbeatInterval: Double = 41.25
    /// Payloads a client may send per `sendWindow` before 4008.
    public var sendLimit = 120
    /// The send window in seconds.
    public var sendWindow: Double = 60
    /// `session_start_limit.total`: identifies per bot per day.
    public var identifyBudget = 1000
    /// `session_start_limit.max_concurrency`: identifies per `identifyConcurrencyWindow`.
    public var maxConcurrency = 1
    /// The identify concurrency window in seconds (Discord: 5).
    public var identifyConcurrencyWindow: Double = 5
    /// How long a detached session can be resumed, in seconds.
    public var resumeWindow: Double = 300
    /// Dispatches kept per session for RESUME replay.
    public var replayLimit = 200_000

    /// How long a connection waits for the client's answer to a close frame the gateway sent (a close code, or the
    /// server stopping) before it drops the connection: a client that never answers then holds neither the connection
    /// nor a shutdown for longer (the WebSocket layer's default is 15 s, longer than the servers' 10 s grace).
    public var closeTimeout: Duration = .seconds(1)

    /// Discord's defaults.
    public init() {}
}
