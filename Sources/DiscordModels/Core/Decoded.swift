import Foundation

/// A decoded payload together with the exact JSON bytes it was decoded from, so the archive stays lossless
/// when Discord adds fields the model does not know.
public struct Decoded<Value: Sendable>: Sendable {
    /// The typed value.
    public let value: Value
    /// The JSON text exactly as received.
    public let json: Data

    /// Pairs a value with its source JSON.
    public init(value: Value, json: Data) {
        self.value = value
        self.json = json
    }
}

extension Decoded where Value: Decodable {
    /// Decodes one JSON object, keeping its bytes.
    public init(decoding json: Data, using decoder: JSONDecoder = JSONDecoder()) throws {
        self.init(value: try decoder.decode(Value.self, from: json), json: json)
    }

    /// Decodes a JSON array, keeping each element's exact bytes. One decoder call for the whole array: a
    /// `JSONDecoder` call has a set-up cost of about a tenth of a message's decode.
    public static func decodeArray(_ json: Data, using decoder: JSONDecoder = JSONDecoder()) throws -> [Decoded<Value>]
    {
        let elements = try JSONScanner.elements(of: json)
        let values = try decoder.decode([Value].self, from: json)
        guard values.count == elements.count else {
            throw JSONScanner.Malformed(
                offset: 0, reason: "\(values.count) values decoded from \(elements.count) elements")
        }
        return zip(values, elements).map { Decoded(value: $0, json: $1) }
    }
}

extension Decoded: Equatable where Value: Equatable {}
