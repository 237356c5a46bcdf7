import FileSafety

/// An error from an archive store: what failed, on which object, and what to do.
public struct ArchiveStoreError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case invalidPage
        case invalidJSON
        case unknownRun
        case database
        case unsupportedSchema
        case unsupportedOperation
        case full
        case absent
    }

    private let code: Code
    /// A human-readable explanation naming the object involved.
    public let message: String
    /// The backend's own error, when there is one.
    public let underlying: (any Error & Sendable)?
    /// The limit reached, for a ``full(_:storage:underlying:)`` error.
    public let storageFull: StorageFull?
    /// What failed, for a ``full(_:storage:underlying:)`` error ("could not store a page of channel 1 in PATH").
    private let failedAction: String?

    private init(
        _ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil, storageFull: StorageFull? = nil,
        failedAction: String? = nil
    ) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.storageFull = storageFull
        self.failedAction = failedAction
    }

    /// A page was inconsistent (a message or checkpoint of another channel); nothing of it was stored.
    public static func invalidPage(_ message: String) -> Self { Self(.invalidPage, message) }
    /// Stored JSON must be valid UTF-8 text; nothing of the batch was stored.
    public static func invalidJSON(_ message: String) -> Self { Self(.invalidJSON, message) }
    /// A run id that was never started.
    public static func unknownRun(_ message: String) -> Self { Self(.unknownRun, message) }
    /// The database failed (I/O, lock, constraint).
    public static func database(_ message: String, underlying: any Error & Sendable) -> Self {
        Self(.database, message, underlying: underlying)
    }
    /// The database could not be written for want of room (disk, quota, file-size limit, the server's disk);
    /// nothing of the transaction was stored. The message says what failed, where, and what to do
    /// (``StorageFull/sentence(then:)``: free space, then run the same command again: it resumes where it stopped).
    public static func full(_ what: String, storage: StorageFull, underlying: any Error & Sendable) -> Self {
        Self(
            .full, "\(what): \(storage.sentence(then: StorageFull.resumes))", underlying: underlying,
            storageFull: storage, failedAction: what)
    }

    /// A ``full(_:storage:underlying:)`` error's message for a command whose rerun is another one (`store put`
    /// resumes through `store resume`); nil for any other error.
    public func fullMessage(rerun: String, then: String?) -> String? {
        guard let storageFull, let failedAction else { return nil }
        return "\(failedAction): \(storageFull.sentence(rerun: rerun, then: then))"
    }
    /// The database was written by a newer Skald with migrations this one does not know.
    public static func unsupportedSchema(_ message: String) -> Self { Self(.unsupportedSchema, message) }

    /// A command that reads an archive found none where it was told to look (a database or schema without
    /// Skald's tables); nothing was created.
    public static func absent(_ message: String) -> Self { Self(.absent, message) }

    /// The backend does not implement this operation yet.
    public static func unsupportedOperation(_ message: String) -> Self { Self(.unsupportedOperation, message) }

    /// Whether this is an ``invalidPage(_:)`` error.
    public var isInvalidPage: Bool { code == .invalidPage }
    /// Whether this is an ``invalidJSON(_:)`` error.
    public var isInvalidJSON: Bool { code == .invalidJSON }
    /// Whether this is an ``unsupportedOperation(_:)`` error (its message says what to do instead).
    public var isUnsupportedOperation: Bool { code == .unsupportedOperation }
    /// Whether the archive a reading command was pointed at does not exist (``absent(_:)``).
    public var isAbsent: Bool { code == .absent }

    /// A textual representation.
    public var description: String {
        if storageFull != nil { return "archive store: \(message)" }
        if let underlying { return "archive store: \(message) (\(underlying))" }
        return "archive store: \(message)"
    }
}
