/// A file an upload refers to could not be read while the request was sent.
struct UploadFileError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "cannot read \(path) for the upload: \(reason)" }
}
