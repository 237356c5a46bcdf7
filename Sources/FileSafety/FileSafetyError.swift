/// A file Skald was asked to write, replace or read could not be: the message names the file, the cause in words
/// and what to do.
public struct FileSafetyError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case notARegularFile
        case cannotCreate
        case cannotReplace
        case cannotRead
    }

    private let code: Code
    /// What went wrong, on which file, and what to do.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }

    /// The destination exists and is not a regular file: Skald will not replace it.
    public static func notARegularFile(_ path: String, kind: String) -> Self {
        Self(
            .notARegularFile,
            "\(path) is \(kind); Skald replaces only a regular file, so nothing was written. "
                + "Choose another output path, or move it away first")
    }

    /// A file (or its temporary twin) cannot be created.
    public static func cannotCreate(_ path: String, cause: String) -> Self {
        Self(.cannotCreate, "cannot create \(path): \(cause)")
    }

    /// A finished temporary file cannot be renamed into place.
    public static func cannotReplace(_ path: String, cause: String) -> Self {
        Self(.cannotReplace, "cannot write \(path): \(cause)")
    }

    /// A file cannot be read.
    public static func cannotRead(_ path: String, cause: String) -> Self {
        Self(.cannotRead, "cannot read \(path): \(cause)")
    }
}
