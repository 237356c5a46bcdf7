import FileSafety
import Foundation
import SkaldConfiguration

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks once, before a run with `--media` asks Discord for anything, that the media folder can be made and
/// written. Before, a folder that could not be written (read-only, another user's, a file in its place) failed every
/// download on its own, each with its own line, and the run ended "partial" after spending its requests.
enum MediaFolderCheck {
    /// Creates `directory` if needed and checks that this process may create files in it.
    /// - Throws: ``ConfigurationError`` naming the folder, the cause and what to do.
    static func requireWritable(_ directory: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), !isFolder.boolValue {
            throw refusal(directory, "it is a file, not a folder")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw refusal(directory, FileProblem.describe(error, at: directory))
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            throw refusal(directory, FileProblem.describe(errno: errno, at: directory))
        }
    }

    private static func refusal(_ directory: String, _ cause: String) -> ConfigurationError {
        ConfigurationError.badValue(
            "cannot write downloaded attachments to the media folder \(directory): \(cause). Make it a writable "
                + "folder, or run without --media")
    }
}
