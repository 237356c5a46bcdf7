import Hummingbird

extension Parameters {
    /// A Discord boolean query parameter (discord-api-docs, reference.md, "Boolean Query Strings": `True`, `true` or
    /// `1` for true, `False`, `false` or `0` for false); absent is false.
    /// - Throws: 400 50035 for any other value (the spec types these parameters `boolean`). Before, such a value was
    ///   read as false and answered 200, so a client sending `with_counts=yes` was never told.
    func discordFlag(_ name: String) throws -> Bool {
        guard let value = get(name) else { return false }
        switch value {
        case "True", "true", "1": return true
        case "False", "false", "0": return false
        default:
            throw DiscordAPIError.invalidForm(
                field: name, code: "BOOLEAN_TYPE_CONVERT", message: "Value \"\(value)\" is not a boolean.")
        }
    }
}
