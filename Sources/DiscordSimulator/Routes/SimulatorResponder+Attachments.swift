import Foundation
import Hummingbird
import HummingbirdCore

extension SimulatorResponder {
    /// `POST /attachments/refresh-urls {"attachment_urls": [...]}` (unofficial, as real clients use it): each URL
    /// whose signature is genuine (expired or not) comes back signed anew; others are left out. At most 50.
    func refreshAttachmentURLs(_ api: APIRequest) async throws -> Response {
        let payload: [String: Any] = try await readPayload(api).0
        guard let urls = payload["attachment_urls"] as? [String] else {
            throw DiscordAPIError.invalidForm(
                field: "attachment_urls", code: "BASE_TYPE_REQUIRED", message: "This field is required")
        }
        guard urls.count <= 50 else {
            throw DiscordAPIError.invalidForm(
                field: "attachment_urls", code: "BASE_TYPE_MAX_LENGTH", message: "Must be 50 or fewer in length.")
        }
        var w = JSONWriter(capacity: 256 * urls.count + 32)
        w.beginObject()
        w.key("refreshed_urls")
        w.beginArray()
        for url in urls {
            guard let components = URLComponents(string: url) else { continue }
            let path = components.path
            let prefix = path.hasPrefix("/cdn/") ? "/cdn" : path.hasPrefix("/media/") ? "/media" : nil
            guard let prefix else { continue }
            let assetPath = String(path.dropFirst(prefix.count))
            let query = URI(url).queryParameters
            let encodedPath = components.percentEncodedPath.dropFirst(prefix.count)
            let verdict = signer.verify(
                path: String(encodedPath), ex: query.get("ex"), issued: query.get("is"), hm: query.get("hm"), now: 0)
            guard verdict == .valid,
                assetPath.hasPrefix("/attachments/") || assetPath.hasPrefix("/ephemeral-attachments/")
            else { continue }
            w.beginObject()
            w.key("original")
            w.string(url)
            w.key("refreshed")
            w.string(
                api.baseURL + prefix + encodedPath + signer.query(path: String(encodedPath), now: UInt64(now())))
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return APIResponse.json(w)
    }
}
