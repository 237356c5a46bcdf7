import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process whose output (standard output and error together, through one pipe) is drained as it comes by
/// a thread of its own, and whose events (a line it printed, the end of its output, its exit) the tests
/// await without holding a thread of Swift's concurrency pool: in-process servers the child talks to keep their
/// threads while the test waits.
///
/// ```swift
/// let child = try ChildProcess(executable: path, arguments: ["serve", "--port", "0"], in: folder)
/// let ready = await child.waitForOutput(containing: "listening")
/// child.send(SIGTERM)
/// let rest = await child.waitForEnd()
/// let status = await child.waitForExit()
/// ```
public final class ChildProcess: @unchecked Sendable {
    // @unchecked Sendable: `state` is read and written only while holding `lock`; `process` is configured before
    // `run()` and afterwards only asked for its identifier and status.

    private struct Waiter {
        /// The text awaited, or `nil` for the end of the output.
        var marker: String?
        var continuation: CheckedContinuation<String?, Never>
    }

    private struct State {
        var output = Data()
        /// How much of `output` an earlier ``waitForOutput(containing:)`` returned.
        var consumed = 0
        var ended = false
        var exited = false
        var waiters: [Waiter] = []
        var exitWaiters: [CheckedContinuation<Void, Never>] = []

        /// The unconsumed output as text.
        var unread: String { String(decoding: output[consumed...], as: UTF8.self) }

        /// Removes the waiters the output now satisfies and returns them with what each is answered.
        mutating func takeSatisfied() -> [(CheckedContinuation<String?, Never>, String?)] {
            var answered: [(CheckedContinuation<String?, Never>, String?)] = []
            var kept: [Waiter] = []
            for waiter in waiters {
                if let marker = waiter.marker {
                    let text = unread
                    if text.contains(marker) {
                        consumed = output.count
                        answered.append((waiter.continuation, text))
                    } else if ended {
                        answered.append((waiter.continuation, nil))
                    } else {
                        kept.append(waiter)
                    }
                } else if ended {
                    answered.append((waiter.continuation, unread))
                    consumed = output.count
                } else {
                    kept.append(waiter)
                }
            }
            waiters = kept
            return answered
        }
    }

    /// The running process.
    public let process = Process()
    private let lock = NSLock()
    private var state = State()

    /// Starts `executable ARGUMENTS` in `folder` (the current folder when `nil`) with `environment`.
    public init(executable: String, arguments: [String], in folder: String? = nil, environment: [String: String])
        throws
    {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading
        // A thread of its own blocks on the pipe, then on the exit: the events are delivered from here.
        Thread.detachNewThread { [self] in
            while true {
                let chunk = output.availableData  // blocks until output or the end of it
                let answered = lock.withLock {
                    if chunk.isEmpty { state.ended = true } else { state.output.append(chunk) }
                    return state.takeSatisfied()
                }
                for (continuation, text) in answered { continuation.resume(returning: text) }
                if chunk.isEmpty { break }
            }
            process.waitUntilExit()
            let waiters = lock.withLock {
                state.exited = true
                defer { state.exitWaiters = [] }
                return state.exitWaiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    /// Waits until the output not yet returned contains `marker` (an event the child reports) and returns that
    /// output; `nil` when the output ended first.
    public func waitForOutput(containing marker: String) async -> String? {
        await wait(for: marker)
    }

    /// Waits for the end of the output (the child and every copy of its pipe closed) and returns what no earlier
    /// ``waitForOutput(containing:)`` returned.
    public func waitForEnd() async -> String {
        await wait(for: nil) ?? ""
    }

    /// Waits for the child's exit and returns its status.
    public func waitForExit() async -> Int32 {
        await withCheckedContinuation { continuation in
            let exited = lock.withLock {
                if !state.exited { state.exitWaiters.append(continuation) }
                return state.exited
            }
            if exited { continuation.resume() }
        }
        return process.terminationStatus
    }

    /// Sends `signal` to the child.
    public func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    private func wait(for marker: String?) async -> String? {
        await withCheckedContinuation { continuation in
            let answered = lock.withLock {
                state.waiters.append(Waiter(marker: marker, continuation: continuation))
                return state.takeSatisfied()
            }
            for (continuation, text) in answered { continuation.resume(returning: text) }
        }
    }
}
