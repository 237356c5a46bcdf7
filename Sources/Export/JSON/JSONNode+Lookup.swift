extension JSONNode: JSONLookup {
    /// The first member named `key` of an object, or `nil` (also for non-objects).
    subscript(key: StaticString) -> JSONNode? {
        guard case .object(let members) = self else { return nil }
        let name = key.description
        return members.first { $0.key == name }?.value
    }

    /// Whether this is an object.
    var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}
