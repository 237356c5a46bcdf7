import Archive
import ArchiveStore
import ArgumentParser
import ConsoleKitTerminal
import DiscordREST
import Export
import FileSafety
import Foundation
import Mirror
import ObjectStore
import SkaldConfiguration

/// The one place the CLI turns an error into a message and an exit code: `error: <what, on which object, why,
/// what to do>` on standard error, then exit 1 (bad input, configuration or I/O), the code an `ExitCode` carries,
/// or ArgumentParser's own code for usage errors (64) and help (0).
enum CommandFailure {
    /// A failure a command finds itself (not a library error): its message, for the `error:` line.
    struct Message: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }

    /// The message of an error the commands throw, or `nil` for ArgumentParser's own errors.
    static func message(for error: any Error) -> String? {
        switch error {
        case let error as Message: error.text
        case let error as ConfigurationError: error.message
        case let error as ArchiveError: error.message
        case let error as ExportError: error.message
        case let error as ObjectStoreError: error.message
        case let error as FileSafetyError: error.message
        case let error as ArchiveStoreError: storeMessage(error)
        // An edge ban in the archive's words, whichever command met it (each resumes when run again).
        case let error as DiscordRESTError where error.code == .edgeBanned:
            ArchiveError.edgeBanned(underlying: error).message
        case let error as DiscordRESTError: error.description
        case let error as MirrorError: error.message
        case let error as CocoaError: FileProblem.describe(error)
        case let error as POSIXError: FileProblem.describe(error)
        default: nil
        }
    }

    /// `error` if the CLI has words for it (or it is an exit code), else a ``Message`` of its own description: for
    /// the long-running commands, whose gateway refusals (4004, 4014…) and live capture errors speak for themselves.
    static func inOwnWords(_ error: any Error) -> any Error {
        error is ExitCode || message(for: error) != nil ? error : Message("\(error)")
    }

    /// An archive store failure in words: the database's cause without its type names.
    static func storeMessage(_ error: ArchiveStoreError) -> String {
        guard let underlying = error.underlying, error.storageFull == nil else { return "archive: \(error.message)" }
        return "archive: \(error.message): \(FileProblem.describe(underlying))"
    }

    /// Prints `error` and exits with its code. `command` is the command that was running when `run()` threw (a
    /// usage error found there names that command's usage, not the root's).
    /// ` — did you mean `skald archive`?` when the refused first argument is a subcommand's name mistyped.
    static func subcommandHint(for text: String, root: any ParsableCommand.Type) -> String? {
        guard let first = CommandLine.arguments.dropFirst().first, !first.hasPrefix("-"), text.contains("'\(first)'")
        else { return nil }
        let names = root.configuration.subcommands.compactMap { $0.configuration.commandName }
        guard let name = KeySuggestion.closest(to: first, among: names) else { return nil }
        return " — did you mean `\(root.configuration.commandName ?? "skald") \(name)`?"
    }

    static func exit(
        with error: any Error, root: any ParsableCommand.Type, command: (any ParsableCommand.Type)? = nil
    ) -> Never {
        let mode = OutputMode.detect()
        let prefix = "error: ".consoleText(.error)
        if let exit = error as? ExitCode {
            Foundation.exit(exit.rawValue)
        }
        if let message = message(for: error) {
            Console.error(prefix + message.consoleText(), mode)
            Foundation.exit(1)
        }
        let code = root.exitCode(for: error)
        if code == .success {
            Console.out(root.fullMessage(for: error))
            Foundation.exit(0)
        }
        var text = root.message(for: error)
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        if text.isEmpty { text = "\(error)" }
        if command == nil, let hint = subcommandHint(for: text, root: root) { text += hint }
        Console.error(prefix + text.consoleText(), mode)
        var usage = root.fullMessage(for: error).components(separatedBy: "\n").first { $0.hasPrefix("Usage:") }
        if usage != nil, let command, command != root {
            usage = "Usage: " + root.usageString(for: command)
        }
        if let usage { Console.error(usage + "\n  See --help for every option.") }
        Foundation.exit(code.rawValue)
    }
}
