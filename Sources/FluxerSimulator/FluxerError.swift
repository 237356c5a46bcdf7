/// A Fluxer error answer: status, string code, message, and for validation errors the path.
struct FluxerError: Error, Sendable {
    var status: Int
    var code: String
    var message: String
    var path: String?

    init(_ status: Int, _ code: String, _ message: String, path: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.path = path
    }

    /// The JSON envelope (fluxer-api.md §4).
    var json: [String: Any] {
        var body: [String: Any] = ["code": code, "message": message]
        if code == "INVALID_FORM_BODY" {
            body["message"] = "Input Validation Error"
            body["errors"] = [["path": path ?? "root", "message": message]]
        }
        return body
    }
}
