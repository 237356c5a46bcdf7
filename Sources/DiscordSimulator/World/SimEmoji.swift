/// A generated custom emoji.
struct SimEmoji: Sendable, Hashable {
    let id: UInt64
    let name: String
    let animated: Bool
    let creatorIndex: Int
}
