import DiscordModels
import Foundation

extension DCERenderer {
    /// The DCE object of a streamed message (archived messages rendered, imported ones read as they are).
    func node(for message: StreamedMessage) async throws -> JSONValue {
        switch message {
        case .archived(let json): return await messageNode(try JSONValue.parse(json))
        case .imported(let json): return try JSONValue.parse(json)
        }
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
            try w.reindented(slice)
            return slice["timestamp"]?.string
        }
    }
}
