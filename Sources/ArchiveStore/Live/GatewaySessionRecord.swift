import Foundation

/// A gateway session as the archive keeps it: enough to resume after a restart.
public struct GatewaySessionRecord: Sendable, Hashable, Codable {
    /// Which connection: `"<shard>/<count>"`, `"0/1"` without sharding.
    public var key: String
    /// READY's `session_id`.
    public var sessionId: String
    /// The sequence of the last event committed.
    public var sequence: Int
    /// READY's `resume_gateway_url`.
    public var resumeURL: String
    /// When it was last written.
    public var updatedAt: Date

    /// Makes a record.
    public init(key: String, sessionId: String, sequence: Int, resumeURL: String, updatedAt: Date) {
        self.key = key
        self.sessionId = sessionId
        self.sequence = sequence
        self.resumeURL = resumeURL
        self.updatedAt = updatedAt
    }
}
