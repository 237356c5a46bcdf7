import DiscordModels
import Hummingbird

extension Parameters {
    /// A Discord boolean query parameter (discord-api-docs, reference.md, "Boolean Query Strings": `True`, `true` or
    /// `1` for true, `False`, `false` or `0` for false); absent is false.
    /// - Throws: 400 50035 for any other value (the spec types these parameters `boolean`). Before, such a value was
    ///   read as false and answered 200, so a client sending `with_counts=yes` was never told.
    func discordFlag(_ name: String) throws -> Bool {
        guard let text = get(name) else { return false }
        guard let value = Bool(discordQuery: text) else {
            throw DiscordAPIError.invalidForm(
                field: name, code: "BOOLEAN_TYPE_CONVERT", message: "Value \"\(text)\" is not a boolean.")
        }
        return value
    }
}
