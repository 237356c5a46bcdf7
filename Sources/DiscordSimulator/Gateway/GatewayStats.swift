/// Gateway counters served under `gateway` in `/__sim/stats`.
public struct GatewayStats: Sendable, Hashable {
    /// Sessions that exist now (connected or waiting to be resumed).
    public var sessions = 0
    /// IDENTIFY payloads received (refused ones included).
    public var identifies = 0
    /// RESUME payloads that succeeded.
    public var resumes = 0
    /// Dispatches (op 0) written to connections, replays included.
    public var eventsSent = 0
}
