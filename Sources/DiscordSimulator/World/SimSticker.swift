/// A generated guild sticker.
struct SimSticker: Sendable, Hashable {
    let id: UInt64
    let name: String
    let description: String?
    let tags: String
    let formatType: Int
    let creatorIndex: Int
}
