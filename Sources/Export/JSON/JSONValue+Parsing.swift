import DiscordModels
import Foundation

extension JSONValue {
    /// Parses a complete JSON text held in memory (stored JSON: archived Discord objects, imported DCE messages)
    /// with the codebase's one byte scanner, ``JSONScanner``.
    /// - Throws: ``ExportError`` with the byte position of the first problem.
    public static func parse(_ data: Data) throws -> JSONValue {
        do {
            return try JSONScanner.value(of: data)
        } catch let error as JSONScanner.Malformed {
            throw ExportError.malformed(error.reason, at: error.offset)
        }
    }

    /// Parses a complete JSON text held in memory (see ``parse(_:)-(Data)``).
    public static func parse(_ bytes: some Collection<UInt8>) throws -> JSONValue { try parse(Data(bytes)) }
}
