import Foundation

/// Builds `multipart/form-data` bodies: `payload_json` plus `files[n]`.
enum Multipart {
    /// A body carrying `payload` as `payload_json` and each file as `files[index]`.
    static func body(payload: Data, files: [FileUpload], boundary: String = "skald-\(UUID().uuidString)") -> RequestBody
    {
        var data = Data()
        // Reserved once: a body of several 10 MiB files must not grow by doubling (a transient second copy).
        data.reserveCapacity(payload.count + files.reduce(1024) { $0 + $1.data.count + 512 + $1.filename.utf8.count })
        func append(_ text: String) { data.append(contentsOf: Array(text.utf8)) }
        append("--\(boundary)\r\n")
        append("Content-Disposition: form-data; name=\"payload_json\"\r\n")
        append("Content-Type: application/json\r\n\r\n")
        data.append(payload)
        append("\r\n")
        for (index, file) in files.enumerated() {
            append("--\(boundary)\r\n")
            append(
                "Content-Disposition: form-data; name=\"files[\(index)]\"; filename=\"\(quoted(file.filename))\"\r\n")
            append("Content-Type: \(file.contentType)\r\n\r\n")
            data.append(file.data)
            append("\r\n")
        }
        append("--\(boundary)--\r\n")
        return RequestBody(data: data, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    private static func quoted(_ name: String) -> String {
        name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "")
    }
}
