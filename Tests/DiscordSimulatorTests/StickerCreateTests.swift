import DiscordModels
import DiscordSimulator
import Foundation
import Testing

/// `POST /guilds/{g}/stickers` as the docs and the OpenAPI spec's `create_guild_sticker` describe it: a multipart
/// form of plain fields (name, tags, description, file), PNG/APNG/GIF (Lottie only for verified or partnered
/// guilds), 512 KiB, slots by boost tier; and what Discord's webhooks ignore (`sticker_ids`, `message_reference`).
@Suite struct StickerCreateTests {
    /// A form of plain fields and one `file` part, as `POST /guilds/{g}/stickers` takes it.
    static func form(
        _ http: SimHTTP, _ path: String, fields: [(String, String)], file: (name: String, bytes: [UInt8])?
    ) async throws -> SimHTTP.Reply {
        let boundary = "skald-sticker-boundary-41c"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; ".utf8)
            body += Array("filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return try await http.send(
            .POST, path, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 200)
    static let gif: [UInt8] = Array("GIF89a".utf8) + [UInt8](repeating: 3, count: 200)

    @Test func createsStickersWithinTheRules() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let path = "/guilds/\(sim.guildIDs[0])/stickers"
            let before = try await http.get(path).array.count
            let made = try await Self.form(
                http, path, fields: [("name", "Longship"), ("tags", "⛵,ship"), ("description", "A ship")],
                file: ("ship.png", Self.png))
            #expect(made.status == 201)
            #expect(made.object["name"] as? String == "Longship" && made.object["tags"] as? String == "⛵,ship")
            #expect(made.object["format_type"] as? Int == 1 && made.object["type"] as? Int == 2)
            #expect(made.object["description"] as? String == "A ship")
            let id = try #require(snowflake(made.object, "id"))
            let animated = try await Self.form(
                http, path, fields: [("name", "Spin"), ("tags", "spin")], file: ("spin.gif", Self.gif))
            #expect(animated.status == 201 && animated.object["format_type"] as? Int == 4)
            #expect(animated.object["description"] is NSNull)
            // Listed and fetched like the generated ones.
            let listed = try await http.get(path).array
            #expect(listed.count == before + 2 && listed.contains { snowflake($0, "id") == id })
            #expect(try await http.get("\(path)/\(id)").object["name"] as? String == "Longship")

            // Refusals: JSON instead of a form, missing tags, a short name, a bad description, too large, not an
            // image, Lottie in a guild that is neither verified nor partnered.
            let json = try await http.send(.POST, path, json: #"{"name":"Json","tags":"x"}"#)
            #expect(json.status == 400 && json.object["code"] as? Int == 50035)
            let badFields = [
                [("name", "NoTags")], [("name", "X"), ("tags", "x")],
                [("name", "Ok"), ("tags", "x"), ("description", "d")],
            ]
            for fields in badFields {
                let refused = try await Self.form(http, path, fields: fields, file: ("a.png", Self.png))
                #expect(refused.status == 400 && refused.object["code"] as? Int == 50035, "\(fields)")
            }
            let large = try await Self.form(
                http, path, fields: [("name", "Huge"), ("tags", "x")],
                file: ("huge.png", Self.png + [UInt8](repeating: 1, count: 512 << 10)))
            #expect(large.status == 400 && large.object["code"] as? Int == 50045)
            let text = try await Self.form(
                http, path, fields: [("name", "Text"), ("tags", "x")], file: ("a.txt", Array("hello".utf8)))
            #expect(text.status == 400 && text.object["code"] as? Int == 50046)
            let lottie = try await Self.form(
                http, path, fields: [("name", "Lottie"), ("tags", "x")], file: ("a.json", Array(#"{"v":"5.7"}"#.utf8)))
            #expect(lottie.status == 400)

            // Slots: the generated guilds report boost tier 1, 15 stickers.
            var count = listed.count
            while count < 15 {
                let one = try await Self.form(
                    http, path, fields: [("name", "Fill \(count)"), ("tags", "x")], file: ("f.png", Self.png))
                #expect(one.status == 201)
                count += 1
            }
            let full = try await Self.form(
                http, path, fields: [("name", "One more"), ("tags", "x")], file: ("f.png", Self.png))
            #expect(full.status == 400 && full.object["code"] as? Int == 30039)
        }
    }

    /// Discord's webhook execute takes no `sticker_ids`, `message_reference` or `nonce` (the OpenAPI spec's
    /// `IncomingWebhookRequestPartial`): they are ignored, and a message of stickers alone is empty (50006).
    @Test func webhookExecuteIgnoresStickersRepliesAndNonces() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let guild = sim.guildIDs[0]
            let channel = sim.messageChannelIDs(guild: guild)[0]
            let sticker = try #require(try await http.get("/guilds/\(guild)/stickers").array.first?["id"] as? String)
            let latest = try #require(try await http.get("/channels/\(channel)/messages?limit=1").array.first)
            let replied = try #require(latest["id"] as? String)
            let hook = try await http.send(.POST, "/channels/\(channel)/webhooks", json: #"{"name":"Mirror"}"#).object
            let execute = "/webhooks/\(hook["id"] as? String ?? "")/\(hook["token"] as? String ?? "")?wait=true"
            let anonymous = SimHTTP(sim: sim, token: nil)
            let onlySticker = try await anonymous.send(.POST, execute, json: #"{"sticker_ids":["\#(sticker)"]}"#)
            #expect(onlySticker.status == 400 && onlySticker.object["code"] as? Int == 50006)
            let body =
                #"{"content":"a reply","sticker_ids":["\#(sticker)"],"message_reference":{"message_id":"\#(replied)"},"#
                + #""nonce":"n-1","enforce_nonce":true}"#
            let posted = try await anonymous.send(.POST, execute, json: body)
            #expect(posted.status == 200)
            #expect(posted.object["type"] as? Int == 0 && posted.object["message_reference"] == nil)
            #expect(posted.object["sticker_items"] == nil && posted.object["nonce"] == nil)
            let again = try await anonymous.send(.POST, execute, json: body)
            #expect(snowflake(again.object, "id") != snowflake(posted.object, "id"))
        }
    }

    /// A bot message may name up to 3 of its guild's stickers, a runtime-created one included; the message shows
    /// each as it is (`sticker_items` with its own name), `GET /guilds/{g}` lists created stickers beside the
    /// generated ones, and an id that is no sticker of the guild is refused (50081).
    @Test func botMessagesShowCreatedStickersByName() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let guild = sim.guildIDs[0]
            let channel = sim.messageChannelIDs(guild: guild)[0]
            let made = try await Self.form(
                http, "/guilds/\(guild)/stickers", fields: [("name", "Longship"), ("tags", "ship")],
                file: ("ship.png", Self.png))
            let id = try #require(made.object["id"] as? String)
            let listed = try await http.get("/guilds/\(guild)").object["stickers"] as? [[String: Any]] ?? []
            #expect(listed.contains { $0["id"] as? String == id && $0["name"] as? String == "Longship" })

            let sent = try await http.send(.POST, "/channels/\(channel)/messages", json: #"{"sticker_ids":["\#(id)"]}"#)
            #expect(sent.status == 200)
            let items = sent.object["sticker_items"] as? [[String: Any]] ?? []
            #expect(items.count == 1 && items.first?["name"] as? String == "Longship")
            #expect(items.first?["id"] as? String == id && items.first?["format_type"] as? Int == 1)

            let unknown = try await http.send(.POST, "/channels/\(channel)/messages", json: #"{"sticker_ids":["42"]}"#)
            #expect(unknown.status == 400 && unknown.object["code"] as? Int == 50081)
            let four = try await http.send(
                .POST, "/channels/\(channel)/messages", json: #"{"sticker_ids":["\#(id)","\#(id)","\#(id)","\#(id)"]}"#)
            #expect(four.status == 400 && four.object["code"] as? Int == 50035)
        }
    }
}
