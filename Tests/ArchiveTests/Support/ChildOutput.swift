import Foundation

/// The output of a child process, collected as it is written, with a callback per complete line: tests react to
/// what the child reports (an event) instead of waiting for time to pass.
final class ChildOutput: @unchecked Sendable {
    // @unchecked Sendable: every mutable member below is read and written only while `lock` is held.
    private let lock = NSLock()
    private var pending = Data()
    private var collected = Data()
    private var ended = false
    private var waiter: CheckedContinuation<String, Never>?

    /// Starts reading `handle` (the read end of the child's stdout/stderr pipe); `onLine` is called for each line,
    /// in order, on the reading thread.
    init(_ handle: FileHandle, onLine: @escaping @Sendable (String) -> Void) {
        handle.readabilityHandler = { [self] handle in
            let chunk = handle.availableData
            if chunk.isEmpty {
                handle.readabilityHandler = nil
                end()
                return
            }
            for line in append(chunk) { onLine(line) }
        }
    }

    private func append(_ chunk: Data) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        collected.append(chunk)
        pending.append(chunk)
        var lines: [String] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
            pending = Data(pending[pending.index(after: newline)...])
        }
        return lines
    }

    private func end() {
        lock.lock()
        ended = true
        let waiter = self.waiter
        self.waiter = nil
        let text = String(decoding: collected, as: UTF8.self)
        lock.unlock()
        waiter?.resume(returning: text)
    }

    /// Waits for the end of the output (the child exited and its end of the pipe closed); returns all of it.
    func waitForEnd() async -> String {
        await withCheckedContinuation { continuation in
            lock.lock()
            if ended {
                let text = String(decoding: collected, as: UTF8.self)
                lock.unlock()
                continuation.resume(returning: text)
            } else {
                waiter = continuation
                lock.unlock()
            }
        }
    }
}
