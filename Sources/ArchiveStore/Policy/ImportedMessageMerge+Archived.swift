import DiscordModels
import Foundation

extension ImportedMessageMerge {
    /// Which copy of a message a channel shows when the archive and an import both hold it (same channel and id):
    /// the later state, as between two imports. An imported copy edited after the archived one (or edited where the
    /// archived one never was) is shown; otherwise the archived copy, which Discord sent whole, is. Every reader
    /// that puts the two together (`export`, `serve`) asks this, so they show the same history.
    ///
    /// - Parameters:
    ///   - archivedEdited: the archived copy's `edited_timestamp` text (`nil`: never edited).
    ///   - imported: the imported copy's DCE JSON.
    public static func showsImported(archivedEdited: String?, imported: Data) -> Bool {
        guard let importedEdit = Version(json: String(decoding: imported, as: UTF8.self), exportedAt: nil).editedAt
        else { return false }
        guard let archivedEdit = archivedEdited.flatMap(microseconds) else { return true }
        return archivedEdit < importedEdit
    }
}
