import ArchiveStore

/// Why live capture stopped with an error.
public struct LiveError: Error, CustomStringConvertible, Sendable {
    /// What failed and what to do.
    public let message: String

    /// What failed and what to do.
    public var description: String { message }

    /// The archive had no room for a batch of events: capture stopped without acknowledging them, so the stored
    /// session resumes before them (or, when Discord refuses the resume, the gap is filled through REST).
    public static func storageFull(_ error: ArchiveStoreError) -> LiveError {
        LiveError(
            message: "live capture stopped: archive: \(error.message) (the events received since the last commit "
                + "were not stored; the next run receives them again)")
    }

    /// The gateway could not be reached or described.
    public static func gatewayUnavailable(_ detail: String) -> LiveError {
        LiveError(message: "cannot reach the gateway: \(detail)")
    }
}
