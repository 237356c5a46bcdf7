/// What a client does after the connection closed with a code (reference §7, "Close codes").
public enum GatewayCloseDecision: Sendable, Hashable {
    /// Reconnect and resume the session (4000–4003, 4005, 4008, no code, other codes).
    case resume
    /// Reconnect with a new IDENTIFY: the session is gone (4007 bad sequence, 4009 timed out).
    case identify
    /// Do not reconnect (4004 bad token, 4010 invalid shard, 4011 sharding required, 4012 bad version,
    /// 4013 invalid intents, 4014 disallowed intents).
    case fail

    /// The decision for a close code (`nil`: the connection dropped without one).
    public static func forCode(_ code: UInt16?) -> GatewayCloseDecision {
        guard let code else { return .resume }
        switch code {
        case 4004, 4010, 4011, 4012, 4013, 4014: return .fail
        case 4007, 4009: return .identify
        default: return .resume
        }
    }
}
