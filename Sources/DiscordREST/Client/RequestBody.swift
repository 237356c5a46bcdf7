import Foundation

/// A request body and its content type.
struct RequestBody: Sendable {
    let data: Data
    let contentType: String

    /// A JSON body from an `Encodable` value.
    static func json(_ value: some Encodable) throws -> RequestBody {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return RequestBody(data: try encoder.encode(value), contentType: "application/json")
    }
}
