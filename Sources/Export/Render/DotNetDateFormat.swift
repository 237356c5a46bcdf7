/// The .NET en-US standard date formats DCE uses for `<t:…>` markup (t T d D f F g).
enum DotNetDateFormat {
    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// The text for format letter `letter`, or `nil` for a letter .NET does not know.
    static func format(_ time: DCETime, offset: Int, letter: Character) -> String? {
        let f = time.fields(offset: offset)
        let hour12 = f.hour % 12 == 0 ? 12 : f.hour % 12
        let ampm = f.hour < 12 ? "AM" : "PM"
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let shortTime = "\(hour12):\(two(f.minute)) \(ampm)"
        let longTime = "\(hour12):\(two(f.minute)):\(two(f.second)) \(ampm)"
        let shortDate = "\(f.month)/\(f.day)/\(f.year)"
        let longDate = "\(weekdays[f.weekday]), \(months[f.month - 1]) \(f.day), \(f.year)"
        switch letter {
        case "t": return shortTime
        case "T": return longTime
        case "d": return shortDate
        case "D": return longDate
        case "f": return longDate + " " + shortTime
        case "F": return longDate + " " + longTime
        case "g": return shortDate + " " + shortTime
        default: return nil
        }
    }

    /// .NET `n0` in the invariant culture: rounded half away from zero, thousands separated by commas.
    static func n0(_ value: Double) -> String {
        let rounded = Int64((abs(value) + 0.5).rounded(.down)) * (value < 0 ? -1 : 1)
        let digits = String(abs(rounded))
        var out = ""
        for (position, character) in digits.enumerated() {
            if position > 0 && (digits.count - position) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (rounded < 0 ? "-" : "") + out
    }
}
