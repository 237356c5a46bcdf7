import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real `skald` executable, run in a folder: what the user types, what the user sees. Its output is drained by
/// a thread outside Swift's concurrency pool and awaited (``TestSupport/ChildProcess``), so the simulator or server
/// the child talks to keeps its threads while a test waits, even with suites running in parallel.
struct SkaldProcess {
    /// What a finished run printed and returned.
    struct Result {
        var status: Int32
        var output: String
    }

    /// The debug (or release) build of `skald`, or `SKALD_BINARY`.
    static func binary() throws -> String {
        try SkaldBinary.path()
    }

    private let child: ChildProcess

    /// Starts `skald ARGUMENTS` in `folder` (standard output and error together, no `DISCORD_TOKEN`).
    init(_ arguments: [String], in folder: String, environment extra: [String: String] = [:]) throws {
        child = try ChildProcess(
            executable: try Self.binary(), arguments: arguments, in: folder, environment: Self.environment(extra))
    }

    /// Starts `skald ARGUMENTS` in `folder` under a file-size limit of `fileSizeLimit` bytes (`ulimit -f`, set by
    /// `/bin/sh` before it execs the binary, with SIGXFSZ ignored): a write past it fails with `EFBIG`, as on a full
    /// disk, without the mount privileges a small file system would need.
    init(_ arguments: [String], in folder: String, fileSizeLimit: Int) throws {
        let blocks = max(1, fileSizeLimit / 512)  // POSIX `ulimit -f` counts 512-byte blocks
        child = try ChildProcess(
            executable: "/bin/sh",
            arguments: ["-c", "ulimit -f \(blocks) && trap '' XFSZ && exec \"$0\" \"$@\"", try Self.binary()]
                + arguments,
            in: folder, environment: Self.environment())
    }

    /// This process's environment without `DISCORD_TOKEN` and `SKALD_LOG_LEVEL`, with `NO_COLOR`, then `extra`.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["DISCORD_TOKEN"] = nil
        environment["SKALD_LOG_LEVEL"] = nil
        environment["NO_COLOR"] = "1"
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    /// Runs `skald ARGUMENTS` in `folder` to the end.
    static func run(_ arguments: [String], in folder: String, environment: [String: String] = [:]) async throws
        -> Result
    {
        try await SkaldProcess(arguments, in: folder, environment: environment).finish()
    }

    /// Waits until the output contains `marker` (an event the process reports), returning what was read since the
    /// last wait; `nil` when the output ended first.
    func waitForOutput(containing marker: String) async -> String? {
        await child.waitForOutput(containing: marker)
    }

    /// Sends a signal.
    func send(_ signal: Int32) { child.send(signal) }

    /// Whether the process exited.
    var hasExited: Bool { child.hasExited }

    /// Waits for the exit and returns the status.
    func waitForExit() async -> Int32 { await child.waitForExit() }

    /// Reads the rest of the output and waits for the exit.
    func finish(prefix: String = "") async -> Result {
        let rest = await child.waitForEnd()
        let status = await child.waitForExit()
        return Result(status: status, output: prefix + rest)
    }
}

/// A temporary folder for one test, removed afterwards.
func withTemporaryFolder<T>(_ body: (String) async throws -> T) async throws -> T {
    try await TemporaryDirectory.with(prefix: "cli-tests", body)
}

/// The DCE export fixture (channel 1012224565567721552, 35 messages from 2023-01-06).
enum Fixture {
    static let channel = "1012224565567721552"
    static let guild = "748545324524575035"

    static var generalPath: String {
        get throws {
            try #require(Bundle.module.path(forResource: "general", ofType: "json", inDirectory: "Fixtures"))
        }
    }

    /// Copies the fixture into `folder`, changed by `edit`, and returns its path. The members are written in DCE's
    /// order (guild, channel, dateRange, messages): the importer reads the channel before the messages.
    static func write(
        into folder: String, name: String = "general.json", edit: (inout [String: Any]) -> Void = { _ in }
    ) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: try generalPath))
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        edit(&object)
        var parts: [String] = []
        for key in ["guild", "channel", "dateRange", "messages"] {
            guard let value = object[key] else { continue }
            let json = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])
            parts.append("\"\(key)\": " + String(decoding: json, as: UTF8.self))
        }
        let path = (folder as NSString).appendingPathComponent(name)
        try Data(("{" + parts.joined(separator: ", ") + "}").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The fixture's message ids.
    static var messageIds: [UInt64] {
        get throws {
            let data = try Data(contentsOf: URL(fileURLWithPath: try generalPath))
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            let messages = object?["messages"] as? [[String: Any]] ?? []
            return messages.compactMap { ($0["id"] as? String).flatMap(UInt64.init) }.sorted()
        }
    }

    /// An archive in `folder/a.sqlite` holding the fixture.
    static func importedArchive(in folder: String) async throws -> String {
        let result = try await SkaldProcess.run(["import", "--db", "sqlite:a.sqlite", try generalPath], in: folder)
        #expect(result.status == 0, "\(result.output)")
        return "sqlite:a.sqlite"
    }
}
