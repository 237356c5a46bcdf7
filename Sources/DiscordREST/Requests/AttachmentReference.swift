/// `attachments[]` in a message payload: links `files[id]` to its file name and description.
struct AttachmentReference: Sendable, Hashable, Encodable {
    let id: Int
    let filename: String
    let description: String?
}
