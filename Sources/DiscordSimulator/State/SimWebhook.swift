/// A webhook created through the API.
struct SimWebhook: Sendable, Hashable {
    let id: UInt64
    let token: String
    let channelId: UInt64
    let guildId: UInt64
    var name: String
    let creatorId: UInt64
}
