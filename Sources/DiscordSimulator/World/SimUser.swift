/// A generated user (human or bot).
struct SimUser: Sendable, Hashable {
    let id: UInt64
    let username: String
    let globalName: String?
    let avatarHash: String?
    let isBot: Bool
    let joinedMilliseconds: UInt64
    /// Indices into the guild's roles.
    let roleIndices: [Int]
}
