/// A sticker as a message shows it (`sticker_items`: id, name, format), taken from the guild's sticker when the
/// message is made, so a sticker created at runtime reads as itself.
struct SimStickerItem: Sendable, Hashable {
    let id: UInt64
    let name: String
    let formatType: Int

    init(_ sticker: SimSticker) {
        id = sticker.id
        name = sticker.name
        formatType = sticker.formatType
    }
}
