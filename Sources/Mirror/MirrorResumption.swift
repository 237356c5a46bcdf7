import DiscordREST

/// When a mirror stopped by its target goes on by itself: after a 5xx or a network failure that outlasted the
/// client's retries (a target down or overloaded "for a while"), the run is planned again from what the archive
/// recorded and resumed after a wait, the same path as a rerun of the command (intents found again on the target,
/// nothing sent twice). Failures without progress in between are counted; past ``maxResumes`` of them, or on any
/// other failure (a refused token or permission, a bad request), the run stops with its error.
///
/// A pure decision, tested without I/O:
/// ```swift
/// var resumption = MirrorResumption()
/// if case .resume(let wait) = resumption.failed(error, progressed: left < leftBefore) { try await clock.sleep(for: wait) }
/// ```
public struct MirrorResumption: Sendable {
    /// The decision after a failed run.
    public enum Decision: Sendable, Equatable {
        /// Plan again and continue after this wait.
        case resume(after: Duration)
        /// Stop with the error.
        case stop
    }

    /// Resumes in a row without progress before the run stops.
    public var maxResumes = 6
    /// The first wait; each further one in a row doubles, up to ``longestWait``.
    public var firstWait: Duration = .seconds(5)
    /// The longest wait.
    public var longestWait: Duration = .seconds(60)
    /// Failures in a row without progress so far.
    public private(set) var failuresInARow = 0

    /// A policy with the default waits (5 s doubling to 60 s, six resumes: about three minutes of a failing target).
    public init() {}

    /// The decision after a run failed with `error`; `progressed`: the run sent or made something before failing
    /// (the count in a row starts again).
    public mutating func failed(_ error: any Error, progressed: Bool) -> Decision {
        guard Self.isTransient(error) else { return .stop }
        if progressed { failuresInARow = 0 }
        guard failuresInARow < maxResumes else { return .stop }
        let wait = min(firstWait * (1 << min(failuresInARow, 16)), longestWait)
        failuresInARow += 1
        return .resume(after: wait)
    }

    /// Whether a rerun can get past `error` without a change by the user: the target answered 5xx, could not be
    /// reached after it had been (a wrong address fails at the first request, before any run), or had deleted the
    /// mirror's webhook (the engine retired it; the next plan makes another).
    public static func isTransient(_ error: any Error) -> Bool {
        let rest = (error as? MirrorError)?.underlying as? DiscordRESTError ?? error as? DiscordRESTError
        guard let rest else { return false }
        // A deleted webhook: the engine retired it, and the next plan makes a new one.
        return rest.code == .server || rest.code == .transport || MirrorEngine.isUnknownWebhook(rest)
    }
}
