extension Bool {
    /// A Discord boolean query string (discord-api-docs, reference.md, "Boolean Query Strings"): `True`, `true` or
    /// `1` is true, `False`, `false` or `0` is false; nil for any other text (Discord answers it
    /// `400 50035 BOOLEAN_TYPE_CONVERT`).
    public init?(discordQuery text: String) {
        switch text {
        case "True", "true", "1": self = true
        case "False", "false", "0": self = false
        default: return nil
        }
    }
}
