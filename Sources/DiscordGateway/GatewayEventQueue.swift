import Foundation

/// The events between the socket side and the handler: the socket side never waits, the handler takes everything
/// that arrived since its last turn at once (so a slow commit is followed by one larger batch, not a backlog of
/// single-event commits).
final class GatewayEventQueue: @unchecked Sendable {
    // @unchecked Sendable: `buffer`, `finished` and `waiter` are only touched while holding `lock`.
    private let lock = NSLock()
    private var buffer: [GatewayEvent] = []
    private var finished = false
    private var waiter: CheckedContinuation<[GatewayEvent]?, Never>?

    func yield(_ event: GatewayEvent) {
        let waiting: CheckedContinuation<[GatewayEvent]?, Never>? = lock.withLock {
            guard !finished else { return nil }
            buffer.append(event)
            guard let waiter else { return nil }
            self.waiter = nil
            return waiter
        }
        if let waiting { waiting.resume(returning: take()) }
    }

    func finish() {
        let waiting: CheckedContinuation<[GatewayEvent]?, Never>? = lock.withLock {
            finished = true
            defer { waiter = nil }
            return waiter
        }
        waiting?.resume(returning: nil)
    }

    private func take() -> [GatewayEvent]? {
        lock.withLock {
            if buffer.isEmpty { return finished ? nil : [] }
            defer { buffer.removeAll(keepingCapacity: true) }
            return buffer
        }
    }

    /// Everything received since the last call, waiting for at least one event; nil once finished and drained.
    func next() async -> [GatewayEvent]? {
        if let batch = take(), !batch.isEmpty { return batch }
        if lock.withLock({ finished && buffer.isEmpty }) { return nil }
        return await withCheckedContinuation { continuation in
            let ready: [GatewayEvent]?? = lock.withLock {
                if !buffer.isEmpty {
                    defer { buffer.removeAll(keepingCapacity: true) }
                    return .some(buffer)
                }
                if finished { return .some(nil) }
                waiter = continuation
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
