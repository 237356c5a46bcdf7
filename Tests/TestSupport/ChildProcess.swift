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
/// The child is spawned with `posix_spawn` holding only its standard input (`/dev/null`), output and error: every
/// other descriptor of the test process is closed in it, and the pipe's ends are close-on-exec, so a child spawned
/// by a test running beside this one never holds a copy of this pipe (its end of output would then wait for that
/// other child's exit).
///
/// A wait cancelled (a test's time limit) kills the child, so the wait ends and no child outlives its test.
///
/// ```swift
/// let child = try ChildProcess(executable: path, arguments: ["serve", "--port", "0"], in: folder)
/// let ready = await child.waitForOutput(containing: "listening")
/// child.send(SIGTERM)
/// let rest = await child.waitForEnd()
/// let status = await child.waitForExit()
/// ```
public final class ChildProcess: @unchecked Sendable {
    // @unchecked Sendable: `state` is read and written only while holding `lock`; the other members are set in
    // `init` and never change.

    private struct Waiter {
        /// The text awaited, or `nil` for the end of the output.
        var marker: String?
        var continuation: CheckedContinuation<String?, Never>
    }

    private struct State {
        var output = Data()
        /// How much of `output` an earlier ``waitForOutput(containing:)`` returned.
        var consumed = 0
        /// Where the line not yet passed to `onLine` starts.
        var lineStart = 0
        var ended = false
        /// The exit status (the signal's number when a signal ended the child), once it exited.
        var status: Int32?
        var waiters: [Waiter] = []
        var exitWaiters: [CheckedContinuation<Int32, Never>] = []

        /// The unconsumed output as text.
        var unread: String { String(decoding: output[consumed...], as: UTF8.self) }

        /// The complete lines not yet passed on (and at the end, the last one without its line end).
        mutating func takeLines() -> [String] {
            var lines: [String] = []
            var start = lineStart
            while let newline = output[start...].firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(String(decoding: output[start..<newline], as: UTF8.self))
                start = newline + 1
            }
            if ended && start < output.count {
                lines.append(String(decoding: output[start...], as: UTF8.self))
                start = output.count
            }
            lineStart = start
            return lines
        }

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

    /// The child's process identifier.
    public let processIdentifier: pid_t
    private let lock = NSLock()
    private var state = State()

    /// Starts `executable ARGUMENTS` in `folder` (the current folder when `nil`) with `environment`; `onLine` is
    /// called with each line of output and the child, in order, on the thread that reads it (before any waiter is
    /// answered), so a test can act on a line the moment it is read (e.g. kill the child on its third `channel` line).
    public init(
        executable: String, arguments: [String], in folder: String? = nil, environment: [String: String],
        onLine: (@Sendable (_ line: String, _ child: ChildProcess) -> Void)? = nil
    ) throws {
        var ends: [Int32] = [0, 0]
        guard Spawning.pipe2(&ends, O_CLOEXEC) == 0 else {
            throw ChildProcessFailed(executable: executable, code: errno)
        }
        let (reading, writing) = (ends[0], ends[1])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writing, 1)  // dup2 clears close-on-exec on 1 and 2
        posix_spawn_file_actions_adddup2(&actions, writing, 2)
        _ = Spawning.addCloseFrom(&actions, 3)
        if let folder { _ = Spawning.addChangeDirectory(&actions, folder) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group (as Foundation's `Process` does) and no signal blocked, whichever thread spawns it.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var spawned: pid_t = 0
        let result = posix_spawn(&spawned, executable, &actions, &attributes, argv, envp)
        close(writing)
        guard result == 0 else {
            close(reading)
            throw ChildProcessFailed(executable: executable, code: result)
        }
        let pid = spawned
        processIdentifier = pid
        // A thread of its own blocks on the pipe, then on the exit: the events are delivered from here.
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(reading, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                let (lines, answered) = lock.withLock {
                    if count > 0 { state.output.append(contentsOf: buffer[0..<count]) } else { state.ended = true }
                    return (onLine == nil ? [] : state.takeLines(), state.takeSatisfied())
                }
                for line in lines { onLine?(line, self) }
                for (continuation, text) in answered { continuation.resume(returning: text) }
                if count <= 0 { break }
            }
            close(reading)
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
            let status = raw & 0x7F == 0 ? (raw >> 8) & 0xFF : raw & 0x7F  // as Foundation's `terminationStatus`
            let waiters = lock.withLock {
                state.status = status
                defer { state.exitWaiters = [] }
                return state.exitWaiters
            }
            for waiter in waiters { waiter.resume(returning: status) }
        }
    }

    /// Everything the child wrote so far.
    public var output: String { lock.withLock { String(decoding: state.output, as: UTF8.self) } }

    /// Whether the child exited (and its output ended).
    public var hasExited: Bool { lock.withLock { state.status != nil } }

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

    /// Waits for the child's exit (after the end of its output) and returns its status: the exit code, or the number
    /// of the signal that ended it (as Foundation's `Process.terminationStatus`).
    public func waitForExit() async -> Int32 {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let status = lock.withLock {
                    if state.status == nil { state.exitWaiters.append(continuation) }
                    return state.status
                }
                if let status { continuation.resume(returning: status) }
            }
        } onCancel: {
            send(SIGKILL)
        }
    }

    /// Sends `signal` to the child, unless it has exited (its identifier may then be another process's).
    public func send(_ signal: Int32) {
        lock.withLock {
            if state.status == nil { _ = kill(processIdentifier, signal) }
        }
    }

    /// A cancelled wait (a test's time limit expired) kills the child: its output then ends, the wait returns, and
    /// no child outlives the test that started it.
    private func wait(for marker: String?) async -> String? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let answered = lock.withLock {
                    state.waiters.append(Waiter(marker: marker, continuation: continuation))
                    return state.takeSatisfied()
                }
                for (continuation, text) in answered { continuation.resume(returning: text) }
            }
        } onCancel: {
            send(SIGKILL)
        }
    }
}

/// A child process could not be started.
public struct ChildProcessFailed: Error, CustomStringConvertible {
    /// The program.
    public var executable: String
    /// The `errno` value.
    public var code: Int32
    /// What failed.
    public var description: String { "could not start \(executable): \(String(cString: strerror(code)))" }
}
