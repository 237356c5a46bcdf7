import AsyncHTTPClient
import DiscordModels
import DiscordREST
import DiscordSimulator
import Foundation
import TestSupport
import Testing

/// Write endpoints against the simulator (the cloner's calls).
@Suite(.serialized) struct SimulatorWriteTests {
    /// The first readable text channel where the bot may post.
    func postableChannel(_ client: DiscordClient, _ admin: SimulatorAdmin, guild: Snowflake<Guild>) async throws
        -> (Snowflake<Channel>, Decoded<Message>)
    {
        for channel in try await admin.readableTextChannels(in: guild) {
            do {
                let message = try await client.createMessage(
                    in: channel, MessageCreate(content: "hello", nonce: "n-1", enforceNonce: true))
                return (channel, message)
            } catch let error as DiscordRESTError where error.code == .forbidden {
                continue
            }
        }
        throw CancellationError()
    }

    @Test func messagesFilesWebhooksChannelsRolesAndOverwrites() async throws {
        let config = SimulatorConfiguration.testWorld(seed: 31, channels: 6, messages: 20, rateLimits: .discord)
        try await withSimulator(config) { sim, client, _ in
            let admin = SimulatorAdmin(baseURL: sim.baseURL)
            let guild = sim.guildIDs[0]
            let (channel, first) = try await postableChannel(client, admin, guild: guild)
            #expect(first.value.content == "hello")
            // A repeated nonce with enforce_nonce returns the same message.
            let again = try await client.createMessage(
                in: channel, MessageCreate(content: "hello", nonce: "n-1", enforceNonce: true))
            #expect(again.value.id == first.value.id)

            // Multipart: payload_json + files[n], linked by attachments[].id.
            let files = [
                FileUpload(filename: "a.txt", contentType: "text/plain", data: Data("alpha".utf8)),
                FileUpload(filename: "b.bin", data: Data(repeating: 7, count: 1000)),
            ]
            let withFiles = try await client.createMessage(in: channel, MessageCreate(content: "files"), files: files)
            #expect(withFiles.value.attachments.map(\.filename) == ["a.txt", "b.bin"])
            #expect(withFiles.value.attachments.map(\.size) == [5, 1000])

            // Webhooks: create, execute with overrides (wait → message; no wait → nil).
            let webhook = try await client.createWebhook(in: channel, name: "Skald mirror")
            let token = try #require(webhook.value.token)
            let posted = try await client.executeWebhook(
                webhook.value.id, token: token,
                WebhookMessage(content: "replayed", username: "Ada", avatarURL: "https://example.com/a.png"))
            #expect(posted?.value.webhookId?.rawValue == webhook.value.id.rawValue)
            #expect(posted?.value.author?.username == "Ada")
            let silent = try await client.executeWebhook(
                webhook.value.id, token: token, WebhookMessage(content: "quiet"), wait: false)
            #expect(silent == nil)
            let badToken = await #expect(throws: DiscordRESTError.self) {
                _ = try await client.executeWebhook(
                    webhook.value.id, token: "wrong-token", WebhookMessage(content: "x"))
            }
            #expect(!String(describing: badToken).contains("wrong-token"))

            // Structure.
            let created = try await client.createChannel(in: guild, ChannelCreate(name: "restored", type: .guildText))
            #expect(created.value.name == "restored")
            let role = try await client.createRole(
                in: guild, RoleCreate(name: "Archivist", permissions: [.viewChannel]))
            #expect(role.value.name == "Archivist")
            try await client.editChannelPermissions(
                in: created.value.id,
                PermissionOverwrite(id: role.value.id.cast(), type: PermissionOverwrite.roleType, allow: [.viewChannel])
            )
            let reread = try await client.channel(created.value.id)
            #expect(reread.value.permissionOverwrites?.contains { $0.id.rawValue == role.value.id.rawValue } == true)

            // Delete, then the message is gone.
            try await client.deleteMessage(withFiles.value.id, in: channel)
            let gone = await #expect(throws: DiscordRESTError.self) {
                _ = try await client.message(withFiles.value.id, in: channel)
            }
            #expect(gone?.code == .notFound)
        }
    }

    /// Files given as regions of a file on disk are read from it when the post is sent, and again when it is
    /// retried after a fault: the attachments hold exactly the regions' bytes, whether the body is assembled in one
    /// buffer or (above `bufferedBodyLimit`) streamed in slices.
    @Test(arguments: [false, true])
    func fileRegionsAreReadFromTheFileForEveryAttempt(streamed: Bool) async throws {
        var config = SimulatorConfiguration.testWorld(seed: 47, channels: 4, messages: 5, rateLimits: .discord)
        config.faultRate = 0.3
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skald-region-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("source.bin").path
        let source = Data((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) })
        try source.write(to: URL(fileURLWithPath: path))
        let configure: (inout DiscordClientConfiguration) -> Void = {
            $0.retry = RetryPolicy(maxRetries: 20, initialBackoff: .zero, maxBackoff: .zero)
            $0.requestTimeout = TestDeadline.clientRequest
            if streamed { $0.bufferedBodyLimit = 64 << 10 }
        }
        try await withSimulator(config, configure: configure) { sim, client, admin in
            let (channel, _) = try await postableChannel(client, admin, guild: sim.guildIDs[0])
            for round in 0..<6 {
                let offset = 1000 * round + 17
                let length = (2 << 20) + 7 * round
                let files = [
                    FileUpload(filename: "head.txt", contentType: "text/plain", data: Data("head \(round)".utf8)),
                    FileUpload(
                        filename: "region.bin",
                        content: .fileRegion(path: path, offset: Int64(offset), length: Int64(length))),
                    FileUpload(filename: "empty.bin", content: .fileRegion(path: path, offset: 0, length: 0)),
                ]
                #expect(files[1].count == Int64(length))
                let create = MessageCreate(content: "region \(round)", nonce: "region-\(round)", enforceNonce: true)
                let message = try await client.createMessage(in: channel, create, files: files)
                #expect(message.value.attachments.map(\.size) == [Data("head \(round)".utf8).count, length, 0])
                let stored = try await download(message.value.attachments[1].url)
                #expect(stored == source[offset..<(offset + length)])
                #expect(try await download(message.value.attachments[0].url) == Data("head \(round)".utf8))
            }
            let stats = try await admin.stats()
            let faults = stats["faults"] as? [String: Any] ?? [:]
            #expect(SimulatorAdmin.int(faults["total"]) > 0, "the simulator injected no fault")

            // A region of a file that is gone fails with the path named, without retrying the post blindly.
            try FileManager.default.removeItem(atPath: path)
            let error = await #expect(throws: DiscordRESTError.self) {
                _ = try await client.createMessage(
                    in: channel, MessageCreate(content: "gone"),
                    files: [FileUpload(filename: "x", content: .fileRegion(path: path, offset: 0, length: 10))])
            }
            #expect(String(describing: error).contains("cannot read \(path)"))
        }
    }

    /// The bytes behind a (signed) CDN URL.
    func download(_ url: String) async throws -> Data {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: TestDeadline.request)
        #expect(response.status == .ok)
        return Data(try await response.body.collect(upTo: 64 << 20).readableBytesView)
    }
}
