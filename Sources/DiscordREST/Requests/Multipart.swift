import Foundation

/// Builds `multipart/form-data` bodies: `payload_json` plus `files[n]`.
enum Multipart {
    /// A body carrying `payload` as `payload_json` and each file as `files[index]`. The files' bytes are not copied
    /// here: the body refers to them (or to their file regions) until it is assembled to be sent.
    static func body(payload: Data, files: [FileUpload], boundary: String = "skald-\(UUID().uuidString)") -> RequestBody
    {
        var text = "--\(boundary)\r\n"
        text += "Content-Disposition: form-data; name=\"payload_json\"\r\n"
        text += "Content-Type: application/json\r\n\r\n"
        let head: [FileUpload.Content] = [.bytes(Data(text.utf8)), .bytes(payload)]
        let named = files.enumerated().map { (name: "files[\($0.offset)]", file: $0.element) }
        return closing(head, text: "\r\n", files: named, boundary: boundary)
    }

    /// A body of plain form fields (`name=value`) and files under their own part names, without `payload_json`:
    /// the shape of `POST /guilds/{g}/stickers` (name, tags, description, file).
    static func form(
        fields: [(name: String, value: String)], files: [(name: String, file: FileUpload)],
        boundary: String = "skald-\(UUID().uuidString)"
    ) -> RequestBody {
        var text = ""
        for field in fields {
            text += "--\(boundary)\r\n"
            text += "Content-Disposition: form-data; name=\"\(quoted(field.name))\"\r\n\r\n"
            text += field.value + "\r\n"
        }
        return closing([], text: text, files: files, boundary: boundary)
    }

    /// Appends each file as a part after `head` and the pending `text`, then the closing boundary.
    private static func closing(
        _ head: [FileUpload.Content], text pending: String, files: [(name: String, file: FileUpload)],
        boundary: String
    ) -> RequestBody {
        var parts = head
        var text = pending
        for (name, file) in files {
            text += "--\(boundary)\r\n"
            text +=
                "Content-Disposition: form-data; name=\"\(quoted(name))\"; filename=\"\(quoted(file.filename))\"\r\n"
            text += "Content-Type: \(file.contentType)\r\n\r\n"
            parts.append(.bytes(Data(text.utf8)))
            parts.append(file.content)
            text = "\r\n"
        }
        text += "--\(boundary)--\r\n"
        parts.append(.bytes(Data(text.utf8)))
        return RequestBody(parts: parts, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    private static func quoted(_ name: String) -> String {
        name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "")
    }
}
