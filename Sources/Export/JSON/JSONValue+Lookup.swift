import DiscordModels

extension JSONValue: JSONLookup {
    /// The first member named `key` of an object, or `nil` (also for non-objects).
    subscript(key: StaticString) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        let name = key.description
        return members.first { $0.key == name }?.value
    }
}
