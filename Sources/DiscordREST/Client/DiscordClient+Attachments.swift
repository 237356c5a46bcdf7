import DiscordModels
import Foundation

extension DiscordClient {
    /// `POST /attachments/refresh-urls` (unofficial; see the reference's note): fresh signed URLs for up to 50
    /// attachment URLs, keyed by the URL sent. URLs Discord does not recognise are absent.
    public func refreshAttachmentURLs(_ urls: [String]) async throws -> [String: String] {
        struct Body: Encodable {
            let attachmentURLs: [String]
            enum CodingKeys: String, CodingKey { case attachmentURLs = "attachment_urls" }
        }
        struct Answer: Decodable, Sendable {
            struct Pair: Decodable, Sendable {
                let original: String
                let refreshed: String
            }
            let refreshedURLs: [Pair]
            enum CodingKeys: String, CodingKey { case refreshedURLs = "refreshed_urls" }
        }
        let answer: Decoded<Answer> = try await object(
            Route(.post, "/attachments/refresh-urls", template: "/attachments/refresh-urls"),
            body: .json(Body(attachmentURLs: Array(urls.prefix(50)))))
        return Dictionary(answer.value.refreshedURLs.map { ($0.original, $0.refreshed) }, uniquingKeysWith: { $1 })
    }
}
