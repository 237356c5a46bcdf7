/// Why an export, import, verification or combination failed, with the object or file and position involved.
public struct ExportError: Error, Sendable, CustomStringConvertible {
    enum Code: Sendable {
        case malformedJSON
        case unsupportedDocument
        case io
        case invalidArgument
        case missingObject
    }

    let code: Code
    /// What went wrong, for people.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A JSON text is not valid at `offset` (bytes from the start of the file).
    static func malformed(_ what: String, at offset: Int) -> ExportError {
        ExportError(.malformedJSON, "malformed JSON at byte \(offset): \(what)")
    }

    /// The file is JSON but not a DCE export.
    static func unsupported(_ what: String) -> ExportError { ExportError(.unsupportedDocument, what) }

    /// Reading or writing a file failed.
    static func io(_ what: String) -> ExportError { ExportError(.io, what) }

    /// An option or argument cannot be used.
    static func invalidArgument(_ what: String) -> ExportError { ExportError(.invalidArgument, what) }

    /// Something the export needs is not in the archive.
    static func missing(_ what: String) -> ExportError { ExportError(.missingObject, what) }

    /// Whether the JSON text itself was malformed (as opposed to valid JSON of the wrong shape).
    public var isMalformedJSON: Bool { code == .malformedJSON }

    /// A textual representation.
    public var description: String { message }
}
