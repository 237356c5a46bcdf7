import Foundation

/// A request body and its content type.
struct RequestBody: Sendable {
    let data: Data
    let contentType: String
    /// A body streamed from memory and files instead of `data` (uploads of files on disk).
    var streamed: StreamedBody? = nil

    /// A JSON body from an `Encodable` value.
    static func json(_ value: some Encodable) throws -> RequestBody {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return RequestBody(data: try encoder.encode(value), contentType: "application/json")
    }
}
