import Crypto
import Foundation
import MultipartKit
import NIOCore

/// A `multipart/form-data` message body (fluxer-api.md §3.6): `payload_json` and `files[N]`, read in one pass.
/// Files are kept as their name, type, size and SHA-256 only (the fake stores no bytes).
struct FluxerMultipart {
    /// One uploaded file.
    struct File {
        var index: Int
        var filename: String
        var contentType: String?
        var size: Int
        var sha256: String
    }

    /// The `payload_json` part (`{}` when absent).
    var payload: [String: Any] = [:]
    /// The `files[N]` parts in the order sent.
    var files: [File] = []
    /// Names of parts that are neither (a malformed upload).
    var strayParts: [String] = []

    /// Parses `body` with the boundary of `contentType`; nil when malformed.
    init?(body: ByteBuffer, contentType: String) {
        guard let range = contentType.range(of: "boundary=") else { return nil }
        var boundary = String(contentType[range.upperBound...])
        if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
        boundary = boundary.trimmingCharacters(in: ["\""])
        guard !boundary.isEmpty else { return nil }
        let parser = MultipartParser(boundary: boundary)
        var name = ""
        var filename: String?
        var type: String?
        var hasher = SHA256()
        var size = 0
        var json = Data()
        var files: [File] = []
        var stray: [String] = []
        var payload: [String: Any] = [:]
        parser.onHeader = { field, value in
            switch field.lowercased() {
            case "content-disposition":
                name = Self.attribute("name", in: value) ?? ""
                filename = Self.attribute("filename", in: value)
            case "content-type": type = value.trimmingCharacters(in: .whitespaces)
            default: break
            }
        }
        parser.onBody = { chunk in
            if name == "payload_json" {
                json.append(contentsOf: chunk.readableBytesView)
            } else {
                hasher.update(data: Data(chunk.readableBytesView))
                size += chunk.readableBytes
            }
        }
        parser.onPartComplete = {
            if name == "payload_json" {
                payload = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] ?? [:]
            } else if name.hasPrefix("files["), name.hasSuffix("]"), let index = Int(name.dropFirst(6).dropLast()) {
                let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
                files.append(
                    File(index: index, filename: filename ?? "file", contentType: type, size: size, sha256: digest))
            } else {
                stray.append(name)
            }
            name = ""
            filename = nil
            type = nil
            hasher = SHA256()
            size = 0
        }
        do { try parser.execute(body) } catch { return nil }
        self.payload = payload
        self.files = files
        self.strayParts = stray
    }

    /// A quoted parameter of a `Content-Disposition` value (`name="files[0]"`).
    static func attribute(_ name: String, in value: String) -> String? {
        guard let range = value.range(of: " \(name)=\"") ?? value.range(of: ";\(name)=\"") else { return nil }
        let rest = value[range.upperBound...]
        guard let close = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<close])
    }
}
