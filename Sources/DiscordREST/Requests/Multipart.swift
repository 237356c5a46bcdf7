import Foundation

/// Builds `multipart/form-data` bodies: `payload_json` plus `files[n]`.
enum Multipart {
    /// A body carrying `payload` as `payload_json` and each file as `files[index]`. The files' bytes are not copied
    /// here: the body refers to them (or to their file regions) until it is assembled to be sent.
    static func body(payload: Data, files: [FileUpload], boundary: String = "skald-\(UUID().uuidString)") -> RequestBody
    {
        var parts: [FileUpload.Content] = []
        var text = ""
        text += "--\(boundary)\r\n"
        text += "Content-Disposition: form-data; name=\"payload_json\"\r\n"
        text += "Content-Type: application/json\r\n\r\n"
        parts.append(.bytes(Data(text.utf8)))
        parts.append(.bytes(payload))
        text = "\r\n"
        for (index, file) in files.enumerated() {
            text += "--\(boundary)\r\n"
            text += "Content-Disposition: form-data; name=\"files[\(index)]\"; "
            text += "filename=\"\(quoted(file.filename))\"\r\n"
            text += "Content-Type: \(file.contentType)\r\n\r\n"
            parts.append(.bytes(Data(text.utf8)))
            parts.append(file.content)
            text = "\r\n"
        }
        text += "--\(boundary)--\r\n"
        parts.append(.bytes(Data(text.utf8)))
        return RequestBody(parts: parts, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// A body of plain form fields (`name=value`) and files under their own part names, without `payload_json`:
    /// the shape of `POST /guilds/{g}/stickers` (name, tags, description, file).
    static func form(
        fields: [(name: String, value: String)], files: [(name: String, file: FileUpload)],
        boundary: String = "skald-\(UUID().uuidString)"
    ) -> RequestBody {
        var parts: [FileUpload.Content] = []
        var text = ""
        for field in fields {
            text += "--\(boundary)\r\n"
            text += "Content-Disposition: form-data; name=\"\(quoted(field.name))\"\r\n\r\n"
            text += field.value + "\r\n"
        }
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
