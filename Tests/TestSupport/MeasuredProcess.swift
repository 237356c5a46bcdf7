import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process run to its end with its own peak resident set, free of the test process's.
///
/// `wait4` on a child spawned from the test process would not do: `posix_spawn` starts the child on the parent's
/// memory (vfork), and at `exec` Linux folds that memory's high-water mark into the child's `ru_maxrss`, so every
/// figure would be at least the test process's own peak. A small Python process stands between: it forks the
/// program from its own few MiB, waits for it with `wait4` and writes the program's `ru_maxrss` to a file.
public struct MeasuredProcess: Sendable {
    /// The exit status (128 + the signal when a signal ended it).
    public var status: Int32
    /// Standard output and error together.
    public var output: String
    /// The program's peak resident set (`ru_maxrss`), in bytes.
    public var peakResidentBytes: Int

    /// The stand-in parent: `python3 -c SCRIPT FOLDER PEAK-FILE PROGRAM ARGUMENTS...`.
    static let parentScript = """
        import os, sys
        folder, peak, program = sys.argv[1], sys.argv[2], sys.argv[3:]
        os.chdir(folder)
        pid = os.fork()
        if pid == 0:
            os.execv(program[0], program)
        _, status, usage = os.wait4(pid, 0)
        with open(peak, "w") as out:
            out.write(str(usage.ru_maxrss))
        code = os.waitstatus_to_exitcode(status)
        sys.exit(code if code >= 0 else 128 - code)
        """

    /// Runs `executable ARGUMENTS` in `folder` with the environment `environment`, waiting for its exit on a
    /// thread of its own (so the caller's cooperative threads stay free for servers in this process).
    public static func run(
        _ executable: String, _ arguments: [String], in folder: String, environment: [String: String]
    ) async throws -> MeasuredProcess {
        let outputPath = folder + "/.measured-\(UUID().uuidString).log"
        let peakPath = outputPath + ".peak"
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: peakPath)
        }
        let pid = try spawn(
            ["/usr/bin/env", "python3", "-c", parentScript, folder, peakPath, executable] + arguments,
            environment: environment, outputPath: outputPath)
        let status = await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            Thread {
                var raw: Int32 = 0
                while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: raw & 0x7F == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F))
            }.start()
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard let kib = (try? String(contentsOfFile: peakPath, encoding: .utf8)).flatMap({ Int($0) }) else {
            throw MeasuredProcessFailed(executable: executable, reason: "no peak was reported (is python3 on PATH?)")
        }
        return MeasuredProcess(status: status, output: output, peakResidentBytes: kib * 1024)  // ru_maxrss: KiB
    }

    private static func spawn(_ argv: [String], environment: [String: String], outputPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        _ = Spawning.addCloseFrom(&actions, 3)  // no other test's pipe kept open by this child
        let arguments = argv.map { strdup($0) } + [nil]
        let variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in arguments { free(pointer) }
            for pointer in variables { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, nil, arguments, variables)
        guard result == 0 else {
            throw MeasuredProcessFailed(executable: argv[0], reason: String(cString: strerror(result)))
        }
        return pid
    }
}

/// A measured process could not be run.
public struct MeasuredProcessFailed: Error, CustomStringConvertible {
    /// The program.
    public var executable: String
    /// Why.
    public var reason: String
    /// What failed.
    public var description: String { "could not measure \(executable): \(reason)" }
}
