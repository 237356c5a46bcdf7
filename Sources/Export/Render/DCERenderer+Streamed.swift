import Foundation

extension DCERenderer {
    /// The DCE object of a streamed message (archived messages rendered, imported ones read as they are).
    func node(for message: StreamedMessage) async throws -> JSONNode {
        switch message {
        case .archived(let json): return await messageNode(try JSONNode.parse(json))
        case .imported(let json): return try JSONNode.parse(json)
        }
    }

    /// Writes the DCE object of a streamed message to `w`.
    /// - Returns: its DCE `timestamp` text.
    func write(_ message: StreamedMessage, to w: inout DCEPrettyWriter) async throws -> String? {
        switch message {
        case .archived(let json):
            return await writeMessage(try JSONNode.parse(json), to: &w)
        case .imported(let json):
            let node = try JSONNode.parse(json)
            w.node(node)
            return node["timestamp"]?.string
        }
    }
}
