import Foundation

/// The signed CDN URLs of chunk attachments the engine has seen, keyed by (message id, attachment index), so a
/// download reuses them instead of fetching each message again. They are never persisted (the manifest keeps ids,
/// never links): an expired one is renewed with `POST /attachments/refresh-urls` or by fetching its message.
actor SignedURLCache {
    /// Where an attachment sits.
    struct Key: Hashable, Sendable {
        var messageId: String
        var slot: Int
    }

    private var urls: [Key: String] = [:]

    /// The URL known for `key`, unless it expires within `margin` seconds of `now` (by its `ex` parameter).
    func url(for key: Key, now: Date, margin: TimeInterval = 60) -> String? {
        guard let url = urls[key] else { return nil }
        if let expiry = Self.expiry(of: url), expiry.timeIntervalSince(now) < margin { return nil }
        return url
    }

    /// The last URL known for `key`, expired or not (what `refresh-urls` takes).
    func anyURL(for key: Key) -> String? { urls[key] }

    /// Every URL known of the message `messageId`, by attachment index.
    func urls(ofMessage messageId: String) -> [Key: String] { urls.filter { $0.key.messageId == messageId } }

    /// Remembers every attachment URL of a message.
    func remember(messageId: String, urls list: [String]) {
        for (slot, url) in list.enumerated() { urls[Key(messageId: messageId, slot: slot)] = url }
    }

    /// Remembers one URL.
    func remember(_ url: String, for key: Key) { urls[key] = url }

    /// When a signed URL expires: its `ex` query parameter, hexadecimal seconds since the Unix epoch.
    static func expiry(of url: String) -> Date? {
        guard let query = URLComponents(string: url)?.queryItems,
            let hex = query.first(where: { $0.name == "ex" })?.value, let seconds = UInt64(hex, radix: 16)
        else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
