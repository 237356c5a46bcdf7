/// How many chunk messages may be in flight at once across every upload of an engine (several files of a folder
/// share the budget, so memory stays bounded by permits × the bytes of one message).
actor UploadPermits {
    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// `count` permits (at least one).
    init(_ count: Int) { available = max(1, count) }

    /// Takes a permit, waiting for one to be returned if none is free.
    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Returns a permit (to the longest waiter, if any).
    func release() {
        if waiting.isEmpty {
            available += 1
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// Runs `body` holding a permit.
    func with<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            release()
            return result
        } catch {
            release()
            throw error
        }
    }
}
