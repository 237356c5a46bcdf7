/// What a session needs to be resumed: its id, the last sequence handled and the URL to resume on. Live capture
/// commits it with the events it covers, so a restarted process resumes where the archive stands.
public struct GatewayResumeState: Sendable, Hashable, Codable {
    /// READY's `session_id`.
    public var sessionId: String
    /// The sequence of the last dispatch handled.
    public var sequence: Int
    /// READY's `resume_gateway_url`.
    public var resumeURL: String

    /// Creates a resume state.
    public init(sessionId: String, sequence: Int, resumeURL: String) {
        self.sessionId = sessionId
        self.sequence = sequence
        self.resumeURL = resumeURL
    }
}
