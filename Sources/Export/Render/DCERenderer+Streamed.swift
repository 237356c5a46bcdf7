import DiscordModels
import Foundation

extension DCERenderer {
    /// The DCE object of a streamed message (archived messages rendered, imported ones read as they are).
    /// With `--media`, its assets downloaded and linked (``ExportAssets``).
    func node(for message: StreamedMessage) async throws -> JSONValue {
        let node: JSONValue
        switch message {
        case .archived(let json): node = await messageNode(try JSONValue.parse(json))
        case .imported(let json): node = try importedNode(json)
        }
        guard let assets else { return node }
        return await assets.linking(node)
    }

    /// An imported message's DCE object as this export writes it: 2.47's type names, its timestamps in this
    /// export's zone, and its local asset paths (an imported `--media` export) linked from the file being written.
    func importedNode(_ json: Data) throws -> JSONValue {
        var node = Self.currentNames(try JSONValue.parse(json), of: .message)
        if isInAnotherZone(node["timestamp"]?.string) { node = inThisZone(node) }
        guard let importedAssets, DCEAssetFields.mayHoldLocalPath(json) else { return node }
        return importedAssets.rewrite(node)
    }

    /// Whether an imported message's `timestamp` carries another offset than this export's zone gives its instant:
    /// the file was exported without `--utc`, or in another zone (DCE 2.41+ writes every timestamp in the exporting
    /// machine's zone, §1.2). Its offset is compared, its text is not (so `--utc` on a `--utc` file costs nothing).
    func isInAnotherZone(_ timestamp: String?) -> Bool {
        guard let timestamp else { return false }
        return !timeZone.hasItsOffset(timestamp)
    }

    /// `node` with every timestamp (`timestamp`, `timestampEdited`, `callEndedTimestamp`, at any depth: embeds, a
    /// forwarded message) written in this export's zone, as DCE would have written them.
    func inThisZone(_ node: JSONValue) -> JSONValue {
        switch node {
        case .object(var members):
            for index in members.indices {
                switch (members[index].key, members[index].value) {
                case ("timestamp", .string(let text)), ("timestampEdited", .string(let text)),
                    ("callEndedTimestamp", .string(let text)):
                    if let converted = timeZone.format(text) { members[index].value = .string(converted) }
                default:
                    members[index].value = inThisZone(members[index].value)
                }
            }
            return .object(members)
        case .array(let elements): return .array(elements.map(inThisZone))
        default: return node
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
        if assets != nil {
            // `--media`: each asset's URL replaced by its file's link, through a tree.
            let linked = try await node(for: message)
            w.node(linked)
            return linked["timestamp"]?.string
        }
        switch message {
        case .archived(let json):
            // Straight from the stored bytes: fields are looked up in place, no tree per message.
            return await writeMessage(try JSONSlice(json), to: &w)
        case .imported(let json):
            // Stored compact in DCE's escaping: re-indented byte for byte, no tree.
            let slice = try JSONSlice(json)
            let timestamp = slice["timestamp"]?.string
            if Self.currentName(slice["type"]?.string, of: .message) != nil || isInAnotherZone(timestamp)
                || (importedAssets != nil && DCEAssetFields.mayHoldLocalPath(json))
            {
                // An older export's digit type, timestamps in another zone, or a `--media` export's local paths:
                // through a tree.
                let node = try importedNode(json)
                w.node(node)
                return node["timestamp"]?.string
            }
            try w.reindented(slice)
            return timestamp
        }
    }
}
