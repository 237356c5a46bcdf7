import DiscordModels

/// The calendar windows of a windowed export (`--window`), in UTC.
public enum ExportWindow: String, Sendable, Codable, CaseIterable {
    case hour
    case day
    case week

    /// The window holding a message id, as its key and folder (`dt=2026/02/27`, `dt=2026/02/27/18` for hours,
    /// the Monday for weeks) and its bounds as snowflakes (`low` ≤ id < `high`).
    func window(of id: UInt64) -> (key: String, low: UInt64, high: UInt64) {
        let time = DCETime(snowflake: id)
        let f = time.fields(offset: 0)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let dayStart = time.seconds - Int64(f.hour * 3600 + f.minute * 60 + f.second)
        let start: Int64
        let length: Int64
        let key: String
        switch self {
        case .hour:
            start = dayStart + Int64(f.hour * 3600)
            length = 3600
            key = "dt=\(f.year)/\(two(f.month))/\(two(f.day))/\(two(f.hour))"
        case .day:
            start = dayStart
            length = 86_400
            key = "dt=\(f.year)/\(two(f.month))/\(two(f.day))"
        case .week:
            let sinceMonday = (f.weekday + 6) % 7
            start = dayStart - Int64(sinceMonday) * 86_400
            length = 7 * 86_400
            let m = DCETime(seconds: start).fields(offset: 0)
            key = "dt=\(m.year)/\(two(m.month))/\(two(m.day))"
        }
        return (key, Self.snowflake(seconds: start), Self.snowflake(seconds: start + length))
    }

    static func snowflake(seconds: Int64) -> UInt64 {
        Snowflake<AnyTag>(clampingUnixMilliseconds: seconds * 1000).rawValue
    }
}
