/// Gateway opcodes (v10).
public enum GatewayOpcode: Int, Sendable, Hashable {
    /// An event (`t`, `s`, `d`).
    case dispatch = 0
    /// A heartbeat, either way.
    case heartbeat = 1
    /// Starts a new session.
    case identify = 2
    /// Updates the presence.
    case presenceUpdate = 3
    /// Resumes a session.
    case resume = 6
    /// The server asks for a reconnect and resume.
    case reconnect = 7
    /// Asks for guild members.
    case requestGuildMembers = 8
    /// The session is invalid; `d` tells whether it can be resumed.
    case invalidSession = 9
    /// The first payload: the heartbeat interval.
    case hello = 10
    /// A heartbeat was received.
    case heartbeatAck = 11
}
