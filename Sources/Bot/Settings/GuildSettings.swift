import Foundation

/// Per-guild settings: the guild's JSON document merged over the config's `defaults` (objects merge key by key,
/// anything else the guild sets replaces the default).
public enum GuildSettings {
    /// `overrides` merged over `defaults`, both JSON objects (nil: empty). The result's keys are sorted.
    public static func merged(defaults: Data?, overrides: Data?) throws -> Data {
        let base = try object(defaults)
        let top = try object(overrides)
        return try JSONSerialization.data(
            withJSONObject: merge(base, top), options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// A command-line value as JSON text: itself when it is JSON (`true`, `5`, `["link"]`, `"x"`), else a string.
    public static func jsonValue(_ text: String) -> Data {
        let data = Data(text.utf8)
        if (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil { return data }
        return (try? JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed])) ?? data
    }

    static func object(_ data: Data?) throws -> [String: Any] {
        guard let data, !data.isEmpty else { return [:] }
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.coderReadCorrupt)
        }
        return object
    }

    static func merge(_ base: [String: Any], _ top: [String: Any]) -> [String: Any] {
        var result = base
        for (key, value) in top {
            if let nested = value as? [String: Any], let under = base[key] as? [String: Any] {
                result[key] = merge(under, nested)
            } else {
                result[key] = value
            }
        }
        return result
    }
}
