import Foundation
import MultipartKit
import NIOCore

/// A `multipart/form-data` body read with multipart-kit's streaming parser (one pass over the bytes): parts with
/// their name, optional filename, content type and bytes.
struct MultipartForm {
    struct Part {
        var name: String
        var filename: String?
        var contentType: String?
        var body: [UInt8]
    }

    var parts: [Part] = []

    /// Parses `body` with the boundary from a `Content-Type` header; nil when malformed or without a part.
    init?(body: ByteBuffer, contentType: String) {
        guard let range = contentType.range(of: "boundary=") else { return nil }
        var boundary = String(contentType[range.upperBound...])
        if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
        boundary = boundary.trimmingCharacters(in: ["\""])
        guard !boundary.isEmpty else { return nil }
        let parser = MultipartParser(boundary: boundary)
        var parts: [Part] = []
        var current = Part(name: "", filename: nil, contentType: nil, body: [])
        parser.onHeader = { name, value in
            switch name.lowercased() {
            case "content-disposition":
                current.name = Self.attribute("name", in: value) ?? ""
                current.filename = Self.attribute("filename", in: value)
            case "content-type":
                current.contentType = value.trimmingCharacters(in: .whitespaces)
            default: break
            }
        }
        parser.onBody = { chunk in current.body.append(contentsOf: chunk.readableBytesView) }
        parser.onPartComplete = {
            parts.append(current)
            current = Part(name: "", filename: nil, contentType: nil, body: [])
        }
        do { try parser.execute(body) } catch { return nil }
        guard !parts.isEmpty else { return nil }
        self.parts = parts
    }

    /// A quoted parameter of a `Content-Disposition` value (`name="files[0]"`).
    static func attribute(_ name: String, in value: String) -> String? {
        guard let range = value.range(of: " \(name)=\"") ?? value.range(of: ";\(name)=\"") else { return nil }
        let rest = value[range.upperBound...]
        guard let close = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<close])
    }
}
