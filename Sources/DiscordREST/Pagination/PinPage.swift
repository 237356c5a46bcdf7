import DiscordModels
import Foundation

/// One page of `GET /channels/{channel_id}/messages/pins`: items keep their exact JSON.
public struct PinPage: Sendable {
    /// `{pinned_at, message}` items, most recently pinned first.
    public var items: [Decoded<PinnedMessages.Item>]
    /// Whether older pins follow.
    public var hasMore: Bool

    init(decoding data: Data, using decoder: JSONDecoder) throws {
        let members = try JSONScanner.members(["items", "has_more"], in: data)
        items = try members["items"].map { try Decoded<PinnedMessages.Item>.decodeArray($0, using: decoder) } ?? []
        hasMore = try members["has_more"].map { try decoder.decode(Bool.self, from: $0) } ?? false
    }
}
