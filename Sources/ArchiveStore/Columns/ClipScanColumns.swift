import DiscordModels
import Foundation

/// How every backend writes a clip scan's channel list and cursors: JSON text (`["1","2"]`, `{"1":"9"}`).
public enum ClipScanColumns {
    /// Channel ids as a JSON array of strings.
    public static func channels(_ ids: [Snowflake<Channel>]) -> String {
        let data = (try? JSONEncoder().encode(ids.map { String($0.rawValue) })) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Channel ids read back.
    public static func channels(_ text: String) -> [Snowflake<Channel>] {
        let strings = (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
        return strings.compactMap { UInt64($0).map { Snowflake($0) } }
    }

    /// Cursors as a JSON object of strings, keys sorted.
    public static func cursors(_ cursors: [Snowflake<Channel>: Snowflake<Message>]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let plain = Dictionary(
            uniqueKeysWithValues: cursors.map { (String($0.key.rawValue), String($0.value.rawValue)) })
        return String(decoding: (try? encoder.encode(plain)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Cursors read back.
    public static func cursors(_ text: String) -> [Snowflake<Channel>: Snowflake<Message>] {
        let plain = (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
        var result: [Snowflake<Channel>: Snowflake<Message>] = [:]
        for (key, value) in plain {
            if let channel = UInt64(key), let message = UInt64(value) {
                result[Snowflake(channel)] = Snowflake(message)
            }
        }
        return result
    }
}
