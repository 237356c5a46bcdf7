import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pseudo-terminal pair: the child writes to its terminal side (an interactive terminal to `isatty`), the test
/// reads everything written from the other side.
final class Pseudoterminal: Sendable {
    /// The test's side.
    private let primary: Int32
    /// The child's side, handed to `Process` (standard output or standard error).
    let terminal: FileHandle

    init() throws {
        primary = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard primary >= 0, let name = Self.unlockedTerminalName(primary) else { throw POSIXError(.ENXIO) }
        let secondary = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard secondary >= 0 else { throw POSIXError(.ENXIO) }
        var size = winsize(ws_row: 40, ws_col: 120, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(secondary, UInt(TIOCSWINSZ), &size)
        terminal = FileHandle(fileDescriptor: secondary, closeOnDealloc: true)
    }

    deinit { close(primary) }

    /// Unlocks the terminal side of the pair `primary` opened and returns its path. Glibc's module leaves out
    /// `grantpt`/`unlockpt`/`ptsname`, so on Linux this is their two `ioctl`s (`TIOCSPTLCK`, `TIOCGPTN`).
    private static func unlockedTerminalName(_ primary: Int32) -> String? {
        #if os(Linux)
            var unlock: Int32 = 0
            var number: UInt32 = 0
            let setLock: UInt = 0x4004_5431  // TIOCSPTLCK
            let getNumber: UInt = 0x8004_5430  // TIOCGPTN
            guard ioctl(primary, setLock, &unlock) == 0, ioctl(primary, getNumber, &number) == 0 else { return nil }
            return "/dev/pts/\(number)"
        #else
            guard grantpt(primary) == 0, unlockpt(primary) == 0, let name = ptsname(primary) else { return nil }
            return String(cString: name)
        #endif
    }

    /// Closes the test's copy of the terminal side (after the child started), so the end of the child ends the
    /// reading.
    func closeTerminalSide() { try? terminal.close() }

    /// Everything the child writes, until every copy of the terminal side is closed (the child exited): the read
    /// blocks on that event. Line ends come as the terminal writes them (`\r\n`).
    func readToEnd() -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(primary, &buffer, buffer.count)
            if count > 0 {
                bytes += buffer[0..<count]
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break  // EIO: the terminal side was closed by its last holder
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// `skald ARGUMENTS` with standard output and/or standard error on a terminal, as a person at a terminal runs it
/// (`TERM=xterm-256color`, no `CI`, no `NO_COLOR` unless `environment` sets it).
struct TerminalRun {
    /// What standard output showed.
    var output: String
    /// What standard error showed.
    var error: String
    /// The exit status.
    var status: Int32

    /// Runs to the end; `outputOnTerminal`/`errorOnTerminal` choose which streams are a terminal (the others are
    /// pipes).
    static func run(
        _ arguments: [String], in folder: String, outputOnTerminal: Bool, errorOnTerminal: Bool,
        environment extra: [String: String] = [:]
    ) async throws -> TerminalRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try SkaldProcess.binary())
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var environment = ProcessInfo.processInfo.environment
        for key in ["DISCORD_TOKEN", "SKALD_LOG_LEVEL", "NO_COLOR", "CI"] { environment[key] = nil }
        environment["TERM"] = "xterm-256color"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let outputTerminal = outputOnTerminal ? try Pseudoterminal() : nil
        let errorTerminal = errorOnTerminal ? try Pseudoterminal() : nil
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        process.standardOutput = outputTerminal?.terminal ?? outputPipe
        process.standardError = errorTerminal?.terminal ?? errorPipe
        try process.run()
        outputTerminal?.closeTerminalSide()
        errorTerminal?.closeTerminalSide()
        // Both streams are read at once (neither fills while the other is read), on threads of their own: the
        // reads block, and the simulator the child talks to needs the test's concurrency threads.
        let errorHandle = errorPipe.fileHandleForReading
        let outputHandle = outputPipe.fileHandleForReading
        async let error = Self.blocking {
            errorTerminal?.readToEnd() ?? String(decoding: errorHandle.readDataToEndOfFile(), as: UTF8.self)
        }
        async let output = Self.blocking {
            outputTerminal?.readToEnd() ?? String(decoding: outputHandle.readDataToEndOfFile(), as: UTF8.self)
        }
        let (shown, reported) = await (output, error)
        await Self.blocking { process.waitUntilExit() }
        return TerminalRun(output: shown, error: reported, status: process.terminationStatus)
    }

    /// Runs `work` (a read that blocks until the child writes or ends) on a thread outside Swift's concurrency pool.
    private static func blocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }
}
