/// How a run ended. Stored as its raw value.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Started, not finished (or the process died).
    case running
    /// Everything it set out to archive was archived.
    case succeeded
    /// Finished, but some channels failed or were skipped.
    case partial
    /// Stopped by an error.
    case failed
    /// Stopped by the user (SIGINT/SIGTERM).
    case cancelled
}
