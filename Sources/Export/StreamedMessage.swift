import Foundation

/// One message of a channel's document, as stored: what ``DCEExporter/streamChannel(_:selecting:write:)`` is handed
/// for each message it writes.
public enum StreamedMessage: Sendable {
    /// An archived message: Discord's JSON, rendered to DCE's object on the way out.
    case archived(Data)
    /// An imported message: already DCE's object (compact, DCE's escaping), written as it is.
    case imported(Data)
}
