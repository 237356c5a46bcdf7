import Foundation
import MultipartKit
import NIOCore

/// `multipart/form-data` bodies as both simulators read them: the boundary taken from the `Content-Type` header,
/// then one pass of multipart-kit's streaming parser that hands over each part's bytes as they come, with the part's
/// `Content-Disposition` name and filename and its `Content-Type`. What a simulator keeps of a part is its own.
public enum FormData {
    /// What a part's headers say.
    public struct PartHeaders: Sendable, Equatable {
        /// The `name` parameter of its `Content-Disposition` (empty when missing).
        public var name = ""
        /// The `filename` parameter of its `Content-Disposition`, if any.
        public var filename: String?
        /// Its `Content-Type`, if any.
        public var contentType: String?

        /// Headers with these values.
        public init(name: String = "", filename: String? = nil, contentType: String? = nil) {
            self.name = name
            self.filename = filename
            self.contentType = contentType
        }
    }

    /// The `boundary` parameter of a `Content-Type` value, unquoted; `nil` when missing or empty.
    public static func boundary(of contentType: String) -> String? {
        guard let range = contentType.range(of: "boundary=") else { return nil }
        var boundary = String(contentType[range.upperBound...])
        if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
        boundary = boundary.trimmingCharacters(in: ["\""])
        return boundary.isEmpty ? nil : boundary
    }

    /// Reads `body` in one pass: `bytes` for each piece of a part's content, `complete` at the end of each part.
    /// Returns `false` when the `Content-Type` has no boundary or the body is malformed.
    public static func read(
        _ body: ByteBuffer, contentType: String, bytes: (PartHeaders, ByteBuffer) -> Void,
        complete: (PartHeaders) -> Void
    ) -> Bool {
        guard let boundary = boundary(of: contentType) else { return false }
        return withoutActuallyEscaping(bytes) { bytes in
            withoutActuallyEscaping(complete) { complete in
                let parser = MultipartParser(boundary: boundary)
                var part = PartHeaders()
                parser.onHeader = { field, value in
                    switch field.lowercased() {
                    case "content-disposition":
                        part.name = attribute("name", in: value) ?? ""
                        part.filename = attribute("filename", in: value)
                    case "content-type":
                        part.contentType = value.trimmingCharacters(in: .whitespaces)
                    default: break
                    }
                }
                parser.onBody = { chunk in bytes(part, chunk) }
                parser.onPartComplete = {
                    complete(part)
                    part = PartHeaders()
                }
                defer {
                    // The parser keeps the closures; drop them before the non-escaping originals go away.
                    parser.onHeader = { _, _ in }
                    parser.onBody = { _ in }
                    parser.onPartComplete = {}
                }
                do {
                    try parser.execute(body)
                    return true
                } catch {
                    return false
                }
            }
        }
    }

    /// A quoted parameter of a `Content-Disposition` value (`name="files[0]"`).
    static func attribute(_ name: String, in value: String) -> String? {
        guard let range = value.range(of: " \(name)=\"") ?? value.range(of: ";\(name)=\"") else { return nil }
        let rest = value[range.upperBound...]
        guard let close = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<close])
    }
}
