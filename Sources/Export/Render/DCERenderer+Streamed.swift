import DiscordModels
import Foundation

extension DCERenderer {
    /// The DCE object of a streamed message (archived messages rendered, imported ones read as they are).
    func node(for message: StreamedMessage) async throws -> JSONValue {
        switch message {
        case .archived(let json): return await messageNode(try JSONValue.parse(json))
        case .imported(let json): return Self.currentNames(try JSONValue.parse(json), of: .message)
        }
    }

    /// What carries a `type` DCE names (§4, §5.1).
    enum NamedKind {
        case channel, message
    }

    /// An imported DCE object with its `type` as DCE 2.47 writes it: older versions wrote some types as digit
    /// strings (`"19"` for a reply before 2.26, `"18"` for a thread starter before 2.36, `"11"` for a thread channel
    /// before 2.35) where 2.47 writes a name (`Reply`, `ThreadCreated`, `GuildPublicThread`). Numbers 2.47 does not
    /// name stay as they are.
    static func currentNames(_ object: JSONValue, of kind: NamedKind) -> JSONValue {
        guard case .object(var members) = object,
            let index = members.firstIndex(where: { $0.key == "type" }),
            let named = currentName(members[index].value.string, of: kind)
        else { return object }
        members[index].value = .string(named)
        return .object(members)
    }

    /// DCE 2.47's name for a `type` written as a digit string it names; nil when it needs no change.
    static func currentName(_ type: String?, of kind: NamedKind) -> String? {
        guard let type, let number = Int(type), !type.isEmpty, type.allSatisfy(\.isASCII) else { return nil }
        let name = kind == .message ? DCENames.messageType(number) : DCENames.channelType(number)
        return name == type ? nil : name
    }

    /// Writes the DCE object of a streamed message to `w`.
    /// - Returns: its DCE `timestamp` text.
    func write(_ message: StreamedMessage, to w: inout DCEPrettyWriter) async throws -> String? {
        switch message {
        case .archived(let json):
            // Straight from the stored bytes: fields are looked up in place, no tree per message.
            return await writeMessage(try JSONSlice(json), to: &w)
        case .imported(let json):
            // Stored compact in DCE's escaping: re-indented byte for byte, no tree.
            let slice = try JSONSlice(json)
            if Self.currentName(slice["type"]?.string, of: .message) != nil {
                // An older export's digit type (rare): renamed through a tree.
                w.node(Self.currentNames(try JSONValue.parse(json), of: .message))
            } else {
                try w.reindented(slice)
            }
            return slice["timestamp"]?.string
        }
    }
}
