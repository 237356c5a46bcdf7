import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// Collects a response on the event loop that reads it, and hands it to the waiting task once, complete: its head,
/// then its body's parts (at most the limit). Awaiting each part of the body as it arrived cost the waiting task a
/// resumption (often a thread's wake-up) per part, and async-http-client's streamed response added a task of its own
/// per request; here the task sleeps until the whole response is in.
///
/// ```swift
/// let collector = ResponseCollector(limit: 64 << 20)
/// let task = http.execute(request: request, delegate: collector, eventLoop: .indifferent, deadline: deadline)
/// let response = try await task.futureResult.get()
/// ```
final class ResponseCollector: HTTPClientResponseDelegate {
    /// A complete response: the head and the body's parts as they arrived.
    struct Collected: Sendable {
        /// The status line and headers.
        let head: HTTPResponseHead
        /// The body's parts.
        let body: CollectedBody
    }

    typealias Response = Collected

    /// What arrived so far. Touched on the task's event loop only; the lock (never contended) makes the class
    /// `Sendable` and lets the waiting task read the head after a failure.
    private let state: NIOLockedValueBox<(head: HTTPResponseHead?, body: CollectedBody)>

    /// A collector for one request, whose body may hold at most `limit` bytes.
    init(limit: Int) {
        state = NIOLockedValueBox((nil, CollectedBody(limit: limit)))
    }

    /// The response's headers, once its head arrived (also when its body then failed).
    var headers: HTTPHeaders? { state.withLockedValue { $0.head?.headers } }

    func didReceiveHead(task: HTTPClient.Task<Collected>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        do {
            try state.withLockedValue { state in
                state.head = head
                try state.body.admit(contentLength: head.headers.first(name: "Content-Length"))
            }
            return task.eventLoop.makeSucceededVoidFuture()
        } catch {
            return task.eventLoop.makeFailedFuture(error)
        }
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Collected>, _ part: ByteBuffer) -> EventLoopFuture<Void> {
        do {
            try state.withLockedValue { try $0.body.append(part) }
            return task.eventLoop.makeSucceededVoidFuture()
        } catch {
            return task.eventLoop.makeFailedFuture(error)
        }
    }

    func didFinishRequest(task: HTTPClient.Task<Collected>) throws -> Collected {
        try state.withLockedValue { state in
            // async-http-client delivers the head before it finishes a request.
            guard let head = state.head else { throw HTTPClientError.remoteConnectionClosed }
            // The parts move to the response: the collector keeps no second reference to them.
            let body = state.body
            state.body = CollectedBody(limit: body.limit)
            return Collected(head: head, body: body)
        }
    }
}
