import Foundation
import Hummingbird

extension FluxerResponder {
    /// Emoji and sticker routes (fluxer-api.md §3.4); nil for any other route.
    func handleExpressions(method: String, template: String, json: Any) async throws -> Response? {
        let body = json as? [String: Any] ?? [:]
        switch (method, template) {
        case ("GET", "guilds/{id}/emojis"):
            return Self.json(await community.emojis.map(Self.render))
        case ("POST", "guilds/{id}/emojis"):
            let emoji = try await community.createEmoji(
                name: Self.string(body["name"]), image: Self.string(body["image"]))
            return Self.json(Self.render(emoji), status: 201)
        case ("POST", "guilds/{id}/emojis/bulk"):
            guard let items = body["emojis"] as? [[String: Any]], (1...50).contains(items.count) else {
                throw FluxerError(400, "INVALID_FORM_BODY", "emojis must hold 1-50 items", path: "emojis")
            }
            var success: [[String: Any]] = []
            var failed: [[String: Any]] = []
            for item in items {
                do throws(FluxerError) {
                    let emoji = try await community.createEmoji(
                        name: Self.string(item["name"]), image: Self.string(item["image"]))
                    success.append(Self.render(emoji))
                } catch {
                    failed.append(["name": Self.string(item["name"]) ?? "", "error": error.code])
                }
            }
            return Self.json(["success": success, "failed": failed])
        case ("GET", "guilds/{id}/stickers"):
            return Self.json(await community.stickers.map(Self.render))
        case ("POST", "guilds/{id}/stickers"):
            let tags: [String]
            if let list = body["tags"] as? [String] {
                tags = list
            } else if body["tags"] == nil || body["tags"] is NSNull {
                tags = []
            } else {
                throw FluxerError(400, "INVALID_FORM_BODY", "tags must be an array", path: "tags")
            }
            let sticker = try await community.createSticker(
                name: Self.string(body["name"]), description: Self.string(body["description"]), tags: tags,
                image: Self.string(body["image"]))
            return Self.json(Self.render(sticker), status: 201)
        default:
            return nil
        }
    }

    static func render(_ emoji: FluxerCommunity.Emoji) -> [String: Any] {
        ["id": String(emoji.id), "name": emoji.name, "animated": emoji.animated]
    }

    static func render(_ sticker: FluxerCommunity.Sticker) -> [String: Any] {
        [
            "id": String(sticker.id), "name": sticker.name, "description": sticker.description ?? NSNull(),
            "tags": sticker.tags, "format_type": sticker.format,
        ]
    }
}
