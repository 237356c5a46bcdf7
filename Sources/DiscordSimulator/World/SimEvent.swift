/// A generated scheduled event.
struct SimEvent: Sendable, Hashable {
    let id: UInt64
    let channelId: UInt64?
    let creatorIndex: Int
    let name: String
    let description: String?
    let startMilliseconds: UInt64
    let endMilliseconds: UInt64?
    let status: Int
    let entityType: Int
    let location: String?
    let userCount: Int
}
