import DiscordModels

/// Small text helpers shared by the CSV, plain-text and HTML formats.
enum TextParts {
    /// `name#dddd` for legacy users, `name` for new ones.
    static func authorTag(_ author: JSONValue?) -> String {
        let name = author?["name"]?.string ?? ""
        let discriminator = author?["discriminator"]?.string ?? "0000"
        return discriminator == "0000" || discriminator == "0" ? name : "\(name)#\(discriminator)"
    }

    /// .NET `o`: the fraction padded to 7 digits.
    static func untrimmedDate(_ text: String?) -> String {
        guard let text, let time = DCETime.parse(text) else { return text ?? "" }
        let offset = offsetSeconds(of: text)
        let trimmed = DCETime(seconds: time.seconds, ticks: 0).formatted(offset: offset)
        var fraction = String(time.ticks)
        fraction = String(repeating: "0", count: 7 - fraction.count) + fraction
        return String(trimmed.dropLast(6)) + "." + fraction + String(trimmed.suffix(6))
    }

    /// .NET `g` in en-US with the timestamp's own offset.
    static func generalDate(_ text: String?) -> String {
        guard let text, let time = DCETime.parse(text) else { return text ?? "" }
        return DotNetDateFormat.format(time, offset: offsetSeconds(of: text), letter: "g") ?? text
    }

    /// The UTC offset a timestamp text ends with (`+02:00` → 7200), 0 when it has none.
    static func offsetSeconds(of text: String) -> Int {
        let offsetText = String(text.suffix(6))
        let sign = offsetText.hasPrefix("-") ? -1 : 1
        let parts = offsetText.dropFirst().split(separator: ":").compactMap { Int($0) }
        return parts.count == 2 ? sign * (parts[0] * 3600 + parts[1] * 60) : 0
    }
}
