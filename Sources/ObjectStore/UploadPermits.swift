/// How many messages may be in flight at once to each channel, across every upload of an engine (several files of
/// a folder share the budget, so memory stays bounded by permits × the bytes of one message).
///
/// Two per channel by default: a channel's messages share one rate-limit bucket of five posts per five seconds, and
/// with one at a time the bucket waits while each message's bytes go up; with two, the next post is already under
/// way when a slot frees, and the limiter (which counts an answer's `Remaining` as covering the requests in flight
/// it saw) spends all five sends of every window. More than two only holds more bytes in memory.
actor UploadPermits {
    private let perChannel: Int
    private var available: [String: Int] = [:]
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// `perChannel` permits for each channel (at least one).
    init(perChannel: Int) { self.perChannel = max(1, perChannel) }

    /// Takes a permit for `channel`, waiting for one to be returned if none is free.
    func acquire(_ channel: String) async {
        let free = available[channel] ?? perChannel
        if free > 0 {
            available[channel] = free - 1
            return
        }
        await withCheckedContinuation { waiting[channel, default: []].append($0) }
    }

    /// Returns a permit for `channel` (to its longest waiter, if any).
    func release(_ channel: String) {
        if var queue = waiting[channel], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[channel] = queue.isEmpty ? nil : queue
            next.resume()
        } else {
            available[channel, default: perChannel] += 1
        }
    }

    /// Runs `body` holding a permit for `channel`.
    func with<T: Sendable>(_ channel: String, _ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(channel)
        do {
            let result = try await body()
            release(channel)
            return result
        } catch {
            release(channel)
            throw error
        }
    }
}
