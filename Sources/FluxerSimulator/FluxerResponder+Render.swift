import Foundation

extension FluxerResponder {
    static func render(_ role: FluxerCommunity.Role) -> [String: Any] {
        [
            "id": String(role.id), "name": role.name, "color": role.color, "position": role.position,
            "hoist_position": NSNull(), "permissions": String(role.permissions), "hoist": role.hoist,
            "mentionable": role.mentionable,
        ]
    }

    static func render(_ overwrite: FluxerCommunity.Overwrite) -> [String: Any] {
        [
            "id": String(overwrite.id), "type": overwrite.type, "allow": String(overwrite.allow),
            "deny": String(overwrite.deny),
        ]
    }

    static func render(_ channel: FluxerCommunity.Channel, guildId: UInt64) -> [String: Any] {
        [
            "id": String(channel.id), "guild_id": String(guildId), "name": channel.name,
            "topic": channel.topic ?? NSNull(), "url": NSNull(), "type": channel.type, "position": channel.position,
            "parent_id": channel.parentId.map { String($0) } ?? NSNull(), "bitrate": NSNull(), "user_limit": NSNull(),
            "rtc_region": NSNull(), "last_message_id": NSNull(), "last_pin_timestamp": NSNull(),
            "permission_overwrites": channel.overwrites.map(render), "nsfw": channel.nsfw,
            "rate_limit_per_user": channel.slowmode,
        ]
    }

    static func render(_ webhook: FluxerCommunity.Webhook, guildId: UInt64) -> [String: Any] {
        [
            "id": String(webhook.id), "guild_id": String(guildId), "channel_id": String(webhook.channelId),
            "name": webhook.name, "avatar": NSNull(), "token": webhook.token,
            "user": ["id": "0", "username": "Skald", "discriminator": "0000", "bot": true],
        ]
    }

    static func render(_ message: FluxerCommunity.Message, webhook: FluxerCommunity.Webhook?) -> [String: Any] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let author: [String: Any] = [
            "id": String(message.webhookId ?? 0), "username": message.username, "discriminator": "0000",
            "avatar": NSNull(), "bot": true,
        ]
        return [
            "id": String(message.id), "channel_id": String(message.channelId), "author": author,
            "webhook_id": message.webhookId.map { String($0) } ?? NSNull(), "type": message.type, "flags": 0,
            "content": message.content, "timestamp": formatter.string(from: message.timestamp),
            "edited_timestamp": NSNull(), "pinned": message.pinned, "mention_everyone": false, "mentions": [],
            "mention_roles": [], "embeds": [],
            "attachments": message.attachments.map { file -> [String: Any] in
                let url = "https://fluxerusercontent.test/attachments/\(message.channelId)/\(file.id)/\(file.filename)"
                return [
                    "id": String(file.id), "filename": file.filename, "description": file.description ?? NSNull(),
                    "content_type": file.contentType ?? NSNull(), "size": file.size, "url": url, "proxy_url": url,
                    "width": NSNull(), "height": NSNull(), "flags": 0,
                ]
            }, "stickers": message.stickerIds.map { ["id": String($0)] }, "reactions": [],
            "message_reference": message.replyTo.map { ["message_id": String($0)] as Any } ?? NSNull(),
            "nonce": message.nonce ?? NSNull(),
        ]
    }

    func guildJSON() async -> [String: Any] {
        [
            "id": String(community.guildId), "name": community.guildName, "owner_id": String(community.ownerId),
            "features": [], "roles": await community.rolesDescending().map(Self.render),
        ]
    }

    /// `/__fluxer/truth`: the community as the issue specifies, messages oldest first.
    func truth() async -> [String: Any] {
        let channels = await community.channelsByPosition()
        var rendered: [[String: Any]] = []
        for channel in channels {
            let messages = await community.messages(in: channel.id).map { message -> [String: Any] in
                [
                    "id": String(message.id), "content": message.content, "username": message.username,
                    "avatarUrl": message.avatarURL ?? NSNull(),
                    "replyTo": message.replyTo.map { String($0) } ?? NSNull(),
                    "attachments": message.attachments.map {
                        ["filename": $0.filename, "size": $0.size, "sha256": $0.sha256] as [String: Any]
                    },
                    "pinned": message.pinned,
                    "stickers": message.stickerIds.map { String($0) },
                ]
            }
            rendered.append([
                "id": String(channel.id), "name": channel.name, "type": channel.type,
                "parentId": channel.parentId.map { String($0) } ?? NSNull(),
                "overwrites": channel.overwrites.map(Self.render), "messages": messages,
            ])
        }
        return [
            "guild": [
                "id": String(community.guildId), "name": community.guildName,
                "roles": await community.rolesDescending().map(Self.render),
                "emojis": await community.emojis.map {
                    ["id": String($0.id), "name": $0.name, "animated": $0.animated, "sha256": $0.sha256]
                        as [String: Any]
                },
                "stickers": await community.stickers.map {
                    [
                        "id": String($0.id), "name": $0.name, "description": $0.description ?? NSNull(),
                        "tags": $0.tags, "format": $0.format, "sha256": $0.sha256,
                    ] as [String: Any]
                },
                "channels": rendered,
            ]
        ]
    }
}
