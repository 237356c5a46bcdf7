import Hummingbird

extension Parameters {
    /// A Discord boolean query parameter: `true`, `True` and `1` are true; anything else, or no value, is false.
    func discordFlag(_ name: String) -> Bool {
        guard let value = get(name) else { return false }
        return value == "true" || value == "True" || value == "1"
    }
}
