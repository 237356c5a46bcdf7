/// The shape of Discord's timestamp markup, `<t:SECONDS>` or `<t:SECONDS:STYLE>`, read once for both renderers
/// (the DCE text of an export and the viewer's HTML); each decides what it accepts and how it shows the time.
struct TimestampMarkup {
    /// The seconds as written (digits only; the sign is in ``negative``).
    var digits: String
    /// A leading `-`.
    var negative: Bool
    /// The style letter after the second colon, if any (any letter, digit or `_`; a renderer narrows it).
    var style: Character?
    /// The index just after the closing `>`.
    var end: Int

    /// Reads the markup whose `<` is at `start` (the caller has seen `<t:`); nil when the shape does not match.
    static func scan(_ s: [Unicode.Scalar], at start: Int) -> TimestampMarkup? {
        var j = start + 3
        var negative = false
        if j < s.count, s[j] == "-" {
            negative = true
            j += 1
        }
        let digitsStart = j
        while j < s.count, s[j].value >= 48, s[j].value <= 57 { j += 1 }
        guard j > digitsStart, j < s.count else { return nil }
        let digits = String(String.UnicodeScalarView(s[digitsStart..<j]))
        var style: Character?
        if s[j] == ":" {
            guard j + 2 < s.count, s[j + 2] == ">",
                s[j + 1].properties.isAlphabetic || s[j + 1].properties.numericType != nil || s[j + 1] == "_"
            else { return nil }
            style = Character(s[j + 1])
            j += 2
        }
        guard s[j] == ">" else { return nil }
        return TimestampMarkup(digits: digits, negative: negative, style: style, end: j + 1)
    }
}
