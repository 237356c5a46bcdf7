import DiscordModels

/// Builds the ``JSONValue`` of a DCE value from the renderer's tokens (for the formats that read messages as nodes).
struct JSONValueBuilder: DCEValueWriter {
    private enum Contents {
        case object([JSONValue.Member])
        case array([JSONValue])
    }

    /// An open container and the key it will be the value of in its parent.
    private struct Frame {
        var key: String?
        var contents: Contents
    }

    private var stack: [Frame] = []
    private var pendingKey: String?
    /// The finished top value (`null` until one is complete).
    private(set) var result: JSONValue = .null

    private mutating func add(_ value: JSONValue, key: String?) {
        guard var frame = stack.popLast() else {
            result = value
            return
        }
        switch frame.contents {
        case .object(var members):
            members.append(JSONValue.Member(key ?? "", value))
            frame.contents = .object(members)
        case .array(var values):
            values.append(value)
            frame.contents = .array(values)
        }
        stack.append(frame)
    }

    private mutating func add(_ value: JSONValue) {
        let key = pendingKey
        pendingKey = nil
        add(value, key: key)
    }

    private mutating func push(_ contents: Contents) {
        stack.append(Frame(key: pendingKey, contents: contents))
        pendingKey = nil
    }

    private mutating func pop() {
        guard let frame = stack.popLast() else { return }
        switch frame.contents {
        case .object(let members): add(.object(members), key: frame.key)
        case .array(let values): add(.array(values), key: frame.key)
        }
    }

    mutating func beginObject() { push(.object([])) }
    mutating func endObject() { pop() }
    mutating func beginArray() { push(.array([])) }
    mutating func endArray() { pop() }
    mutating func key(_ name: StaticString) { pendingKey = name.description }
    mutating func string(_ text: String?) { add(.string(text)) }
    mutating func bool(_ value: Bool) { add(.bool(value)) }
    mutating func int(_ value: Int) { add(.int(value)) }
    mutating func null() { add(.null) }
    mutating func node(_ value: JSONValue) { add(value) }
}
