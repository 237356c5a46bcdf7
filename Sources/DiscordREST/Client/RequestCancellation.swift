import AsyncHTTPClient
import NIOConcurrencyHelpers

/// The one request of a ``DiscordClient`` call started on the event loop, and the cancellation of the task waiting for
/// it: the request starts on the loop a moment after the task asked for it, so either may come first, and whichever
/// comes second fails the request with `CancellationError`.
///
/// ```swift
/// let cancellation = RequestCancellation()
/// eventLoop.execute { cancellation.started(http.execute(request: request, delegate: collector, …)) }
/// // from the waiting task's cancellation handler:
/// cancellation.cancel()
/// ```
final class RequestCancellation: Sendable {
    private enum State {
        case waitingToStart
        case started(HTTPClient.Task<ResponseCollector.Collected>)
        case cancelled
    }

    private let state = NIOLockedValueBox(State.waitingToStart)

    /// Records the started request; fails it at once when the waiting task was cancelled before it started.
    func started(_ task: HTTPClient.Task<ResponseCollector.Collected>) {
        let cancelledBefore = state.withLockedValue { state in
            if case .cancelled = state { return true }
            state = .started(task)
            return false
        }
        if cancelledBefore { task.fail(reason: CancellationError()) }
    }

    /// The waiting task was cancelled: fails the request, or has it failed as soon as it starts.
    func cancel() {
        let task = state.withLockedValue { state -> HTTPClient.Task<ResponseCollector.Collected>? in
            defer { state = .cancelled }
            if case .started(let task) = state { return task }
            return nil
        }
        task?.fail(reason: CancellationError())
    }
}
