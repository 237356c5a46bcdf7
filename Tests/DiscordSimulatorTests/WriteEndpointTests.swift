import DiscordModels
import DiscordSimulator
import Foundation
import Testing

/// The write endpoints a cloner uses (§3.5, checklist items 25–29), over loopback HTTP.
@Suite(.serialized) struct WriteEndpointTests {
    @Test func createMessageJSONAndNonce() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
            let posted = try await http.send(.POST, "/channels/\(channel)/messages", json: #"{"content":"hello saga"}"#)
            #expect(posted.status == 200)
            #expect(posted.object["content"] as? String == "hello saga")
            #expect(snowflake(posted.object["author"] as? [String: Any] ?? [:], "id") == sim.botUserIDs[0].rawValue)
            #expect(snowflake(posted.object, "channel_id") == channel.rawValue)
            // enforce_nonce: the same nonce returns the same message; without enforce_nonce a second message is made.
            let body = #"{"content":"once","nonce":"n-42","enforce_nonce":true}"#
            let first = try await http.send(.POST, "/channels/\(channel)/messages", json: body)
            let second = try await http.send(.POST, "/channels/\(channel)/messages", json: body)
            #expect(first.status == 200 && second.status == 200)
            #expect(
                snowflake(first.object, "id") != nil && snowflake(first.object, "id") == snowflake(second.object, "id"))
            #expect(first.object["nonce"] as? String == "n-42")
            let loose = #"{"content":"twice","nonce":"n-43"}"#
            let a = try await http.send(.POST, "/channels/\(channel)/messages", json: loose)
            let b = try await http.send(.POST, "/channels/\(channel)/messages", json: loose)
            #expect(snowflake(a.object, "id") != snowflake(b.object, "id"))
            // Limits: empty 50006, content > 2000 50035.
            #expect(
                try await http.send(.POST, "/channels/\(channel)/messages", json: "{}").object["code"] as? Int == 50006)
            let long = String(repeating: "a", count: 2001)
            let tooLong = try await http.send(.POST, "/channels/\(channel)/messages", json: #"{"content":"\#(long)"}"#)
            #expect(tooLong.status == 400 && tooLong.object["code"] as? Int == 50035)
            // Nothing can be posted into a category or a forum.
            let listed = try await http.get("/guilds/\(sim.guildIDs[0])/channels").array
            let category = try #require(listed.first { $0["type"] as? Int == 4 })
            let refused = try await http.send(
                .POST, "/channels/\(category["id"] as? String ?? "")/messages", json: #"{"content":"x"}"#)
            #expect(refused.status == 400 && refused.object["code"] as? Int == 50008)
        }
    }

    @Test func createMessageMultipartWithFiles() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
            let text = Array("rune text\n".utf8)
            let image = (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let payload =
                #"{"content":"files","attachments":[{"id":0,"filename":"notes.txt","description":"the notes"},"#
                + #"{"id":1,"filename":"pic.png"}]}"#
            let reply = try await http.multipart(
                "/channels/\(channel)/messages", payload: payload,
                files: [
                    ("files[0]", "notes.txt", "text/plain", text),
                    ("files[1]", "pic.png", "image/png", image),
                ])
            #expect(reply.status == 200)
            let attachments = reply.object["attachments"] as? [[String: Any]] ?? []
            #expect(attachments.count == 2)
            #expect(attachments.map { $0["filename"] as? String } == ["notes.txt", "pic.png"])
            #expect(attachments.map { $0["size"] as? Int } == [text.count, image.count])
            #expect(attachments.first?["description"] as? String == "the notes")
            #expect(attachments.last?["content_type"] as? String == "image/png")
            // The signed URL serves exactly the uploaded bytes.
            let url = try #require(attachments.last?["url"] as? String)
            #expect(url.contains("?ex=") && url.contains("&hm="))
            let download = try await http.get(url)
            #expect(download.status == 200 && download.body == image)
            // More than 10 files: 30015.
            let many = (0..<11).map { ("files[\($0)]", "f\($0).txt", "text/plain", text) }
            let refused = try await http.multipart(
                "/channels/\(channel)/messages", payload: #"{"content":"x"}"#, files: many)
            #expect(refused.status == 400 && refused.object["code"] as? Int == 30015)
        }
    }

    /// The test-only upload pause (`/__sim/uploads/hold`): after the posts it lets through, a post with files waits
    /// with nothing created; released, it goes on; dropped, its connection is cut and no message exists. Posts
    /// without files are never held.
    @Test func heldUploadsGoOnOrAreDropped() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
            let path = "/channels/\(channel)/messages"
            func upload(_ name: String) async throws -> SimHTTP.Reply {
                try await http.multipart(
                    path, payload: #"{"content":"up"}"#, files: [("files[0]", name, "text/plain", Array("ok".utf8))])
            }
            let hold = try await http.send(.POST, "/__sim/uploads/hold", api: false, json: #"{"after":1}"#)
            #expect(hold.status == 200)
            #expect(try await upload("first.txt").status == 200)
            #expect(try await http.send(.POST, path, json: #"{"content":"no files"}"#).status == 200)
            let second = Task { try await upload("second.txt") }
            let held = try await http.get("/__sim/uploads/held?wait=1", api: false).object
            #expect(held["held"] as? Int == 1 && held["total"] as? Int == 1)
            #expect(sim.uploadCounts().attachments == 1)
            let released = try await http.send(.POST, "/__sim/uploads/release", api: false, json: "{}")
            #expect(released.object["released"] as? Int == 1)
            #expect(try await second.value.status == 200)
            #expect(sim.uploadCounts().attachments == 2)

            await sim.holdUploads(after: 0)
            let third = Task { try? await upload("third.txt") }
            await sim.waitUntilUploadsHeld(1)
            #expect(await sim.releaseUploads(drop: true) == 1)
            #expect(await third.value?.status != 200)  // cut off: no answer, or a broken one
            #expect(sim.uploadCounts().attachments == 2)
            #expect(try await upload("fourth.txt").status == 200)  // the hold is over
        }
    }

    /// A file whose bytes look like the form's framing (CRLFs, dashes, most of the boundary) comes back byte for
    /// byte: the parser ends a part only at a whole `CRLF--boundary`.
    @Test func multipartFileThatLooksLikeItsBoundary() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
            var tricky: [UInt8] = []
            for k in 0..<4000 {
                tricky += Array("\r\n--skald-test-boundary-7f3\(k % 10)\r\n\r\n--".utf8)
            }
            tricky += Array("\r\n-".utf8)
            let reply = try await http.multipart(
                "/channels/\(channel)/messages", payload: #"{"content":"tricky"}"#,
                files: [("files[0]", "tricky.bin", "application/octet-stream", tricky)])
            #expect(reply.status == 200)
            let attachment = try #require((reply.object["attachments"] as? [[String: Any]])?.first)
            #expect(attachment["size"] as? Int == tricky.count)
            let download = try await http.get(try #require(attachment["url"] as? String))
            #expect(download.status == 200 && download.body == tricky)
        }
    }

    @Test func webhooksCreateAndExecute() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
            for name in ["My Discord Mirror", "clyde", ""] {
                let bad = try await http.send(.POST, "/channels/\(channel)/webhooks", json: #"{"name":"\#(name)"}"#)
                #expect(bad.status == 400 && bad.object["code"] as? Int == 50035, "name \(name)")
            }
            let created = try await http.send(.POST, "/channels/\(channel)/webhooks", json: #"{"name":"Skald Mirror"}"#)
            #expect(created.status == 200)
            let hookId = try #require(snowflake(created.object, "id"))
            let token = try #require(created.object["token"] as? String)
            #expect(created.object["name"] as? String == "Skald Mirror")
            #expect(snowflake(created.object, "channel_id") == channel.rawValue)

            let anonymous = SimHTTP(sim: sim, token: nil)
            let quiet = try await anonymous.send(.POST, "/webhooks/\(hookId)/\(token)", json: #"{"content":"no wait"}"#)
            #expect(quiet.status == 204 && quiet.body.isEmpty)
            let loud = try await anonymous.send(
                .POST, "/webhooks/\(hookId)/\(token)?wait=true", json: #"{"content":"waited","username":"Old Bot"}"#)
            #expect(loud.status == 200)
            #expect(snowflake(loud.object, "webhook_id") == hookId)
            let author = loud.object["author"] as? [String: Any] ?? [:]
            #expect(snowflake(author, "id") == hookId && author["username"] as? String == "Old Bot")
            // Both executions landed in the channel, newest first.
            let latest = try await http.get("/channels/\(channel)/messages?limit=2")
            #expect(latest.array.map { $0["content"] as? String } == ["waited", "no wait"])
            let badToken = try await anonymous.send(.POST, "/webhooks/\(hookId)/wrong", json: #"{"content":"x"}"#)
            #expect(badToken.status == 401 && badToken.object["code"] as? Int == 50027)

            // A forum needs thread_name or thread_id; thread_name makes a post whose first message shares its id.
            let listed = try await http.get("/guilds/\(sim.guildIDs[0])/channels").array
            let forum = try #require(listed.first { $0["type"] as? Int == 15 }.flatMap { snowflake($0, "id") })
            let forumHook = try await http.send(.POST, "/channels/\(forum)/webhooks", json: #"{"name":"Poster"}"#)
                .object
            let forumPath = "/webhooks/\(forumHook["id"] as? String ?? "")/\(forumHook["token"] as? String ?? "")"
            let noThread = try await anonymous.send(.POST, forumPath, json: #"{"content":"lost"}"#)
            #expect(noThread.status == 400)
            let post = try await anonymous.send(
                .POST, forumPath + "?wait=true", json: #"{"content":"first post","thread_name":"A new saga"}"#)
            #expect(post.status == 200)
            let threadId = try #require(snowflake(post.object, "channel_id"))
            #expect(snowflake(post.object, "id") == threadId)
            let thread = try await http.get("/channels/\(threadId)").object
            #expect(thread["type"] as? Int == 11 && thread["name"] as? String == "A new saga")
            #expect(snowflake(thread, "parent_id") == forum && snowflake(thread, "last_message_id") == threadId)
            // The forum's last_message_id is its newest post.
            #expect(snowflake(try await http.get("/channels/\(forum)").object, "last_message_id") == threadId)
        }
    }

    @Test func structureWrites() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let guild = sim.guildIDs[0]
            let channel = try await http.send(
                .POST, "/guilds/\(guild)/channels", json: #"{"name":"cloned-general","type":0,"topic":"copied"}"#)
            #expect(channel.status == 201)
            let channelId = try #require(snowflake(channel.object, "id"))
            #expect(
                channel.object["name"] as? String == "cloned-general" && channel.object["last_message_id"] is NSNull)
            let listed = try await http.get("/guilds/\(guild)/channels").array
            #expect(listed.contains { snowflake($0, "id") == channelId })

            let role = try await http.send(
                .POST, "/guilds/\(guild)/roles", json: #"{"name":"Readers","permissions":"66560","hoist":true}"#)
            #expect(role.status == 200)
            let roleId = try #require(snowflake(role.object, "id"))
            #expect(role.object["permissions"] as? String == "66560" && role.object["hoist"] as? Bool == true)
            #expect(try await http.get("/guilds/\(guild)/roles").array.contains { snowflake($0, "id") == roleId })

            let put = try await http.send(
                .PUT, "/channels/\(channelId)/permissions/\(roleId)", json: #"{"type":0,"allow":"1024","deny":"2048"}"#)
            #expect(put.status == 204 && put.body.isEmpty)
            let reread = try await http.get("/channels/\(channelId)").object
            let overwrites = reread["permission_overwrites"] as? [[String: Any]]
            let overwrite = overwrites?.first { snowflake($0, "id") == roleId }
            #expect(overwrite?["allow"] as? String == "1024" && overwrite?["deny"] as? String == "2048")

            // Granting ADMINISTRATOR (8) or BAN_MEMBERS (4), which the bot lacks: 403 50013 everywhere.
            let adminRole = try await http.send(
                .POST, "/guilds/\(guild)/roles", json: #"{"name":"x","permissions":"8"}"#)
            #expect(adminRole.status == 403 && adminRole.object["code"] as? Int == 50013)
            let adminOverwrite = try await http.send(
                .PUT, "/channels/\(channelId)/permissions/\(roleId)", json: #"{"type":0,"allow":"4","deny":"0"}"#)
            #expect(adminOverwrite.status == 403 && adminOverwrite.object["code"] as? Int == 50013)
            let adminChannel = try await http.send(
                .POST, "/guilds/\(guild)/channels",
                json: #"{"name":"x","permission_overwrites":[{"id":"\#(roleId)","type":0,"allow":"8","deny":"0"}]}"#)
            #expect(adminChannel.status == 403 && adminChannel.object["code"] as? Int == 50013)
        }
    }
}
