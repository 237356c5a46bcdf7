import Crypto
import FormData
import Foundation
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
        var hasher = SHA256()
        var size = 0
        var json = Data()
        var files: [File] = []
        var stray: [String] = []
        var payload: [String: Any] = [:]
        let read = FormData.read(
            body, contentType: contentType,
            bytes: { part, chunk in
                if part.name == "payload_json" {
                    json.append(contentsOf: chunk.readableBytesView)
                } else {
                    hasher.update(data: Data(chunk.readableBytesView))
                    size += chunk.readableBytes
                }
            },
            complete: { part in
                let name = part.name
                if name == "payload_json" {
                    payload = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] ?? [:]
                } else if name.hasPrefix("files["), name.hasSuffix("]"), let index = Int(name.dropFirst(6).dropLast()) {
                    let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
                    files.append(
                        File(
                            index: index, filename: part.filename ?? "file", contentType: part.contentType, size: size,
                            sha256: digest))
                } else {
                    stray.append(name)
                }
                hasher = SHA256()
                size = 0
            })
        guard read else { return nil }
        self.payload = payload
        self.files = files
        self.strayParts = stray
    }
}
