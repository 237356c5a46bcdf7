import DiscordModels
import DiscordREST
import DiscordSimulator
import Foundation
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
        var config = SimulatorConfiguration()
        config.seed = 31
        config.guilds = 1
        config.channelsPerGuild = 6
        config.messagesPerChannel = 20
        config.threadsPerGuild = 0
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
}
