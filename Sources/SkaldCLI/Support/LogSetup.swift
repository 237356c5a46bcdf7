import ArgumentParser
import Foundation
import Logging

/// A command whose log level the user can choose: it carries ``LoggingOptions`` (`--log-level`, `--verbose`).
protocol LogLevelChoosing {
    /// The command's logging flags.
    var logging: LoggingOptions { get }
}

extension LogLevelChoosing {
    /// The level the user asked for on the command line, if any.
    var requestedLogLevel: Logger.Level? { logging.requestedLevel }
}

/// `--log-level LEVEL` and `--verbose`: one option group, shared by every command that logs.
struct LoggingOptions: ParsableArguments {
    @Option(
        name: .customLong("log-level"),
        help: ArgumentHelp(
            "Log to standard error from this level: trace, debug, info, notice, warning, error, critical "
                + "(default: $SKALD_LOG_LEVEL, else error).",
            valueName: "level"),
        transform: LogSetup.parseLevel)
    var logLevel: Logger.Level?

    @Flag(
        name: .customLong("verbose"),
        help: "Log requests, gateway and rate-limit decisions to standard error (--log-level debug).")
    var verbose = false

    /// `--log-level`, else `--verbose` (debug).
    var requestedLevel: Logger.Level? { logLevel ?? (verbose ? .debug : nil) }
}

/// Bootstraps swift-log once, in `main`, before any command creates a logger: standard error, at the level of
/// `--log-level` (or `--verbose`: debug), else `SKALD_LOG_LEVEL`, else `error`. Tokens never reach a log line:
/// the REST client logs routes, never headers.
enum LogSetup {
    static func parseLevel(_ text: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ValidationError(
                "\"\(text)\" is not a log level: use trace, debug, info, notice, warning, error or critical")
        }
        return level
    }

    static func bootstrap(for command: any ParsableCommand) {
        var chosen = (command as? any LogLevelChoosing)?.requestedLogLevel
        if chosen == nil, let text = ProcessInfo.processInfo.environment["SKALD_LOG_LEVEL"], !text.isEmpty {
            chosen = try? parseLevel(text)
            if chosen == nil {
                FileHandle.standardError.write(
                    Data("warning: SKALD_LOG_LEVEL=\(text) is not a log level; using error\n".utf8))
            }
        }
        let level = chosen ?? .error
        // Every logger made afterwards (`Logger(label:)`) starts at this level: no global to consult.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
