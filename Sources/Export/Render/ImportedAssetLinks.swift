import ArchiveStore
import DiscordModels
import Foundation

/// The links an export writes for the local assets of imported `--media` exports (see ``LocalAssetResolver``):
/// a file in the archive's media folder (`ab/<sha256>.<ext>`) or an absolute path is written as DCE 2.41+ writes a
/// downloaded asset (§14.1): relative to the exported file's folder, or absolute when that would start with `../`.
/// So an imported export written again into its own folder gives back its own paths (on this system's separator).
/// Without a folder (windowed exports, whose files sit at several depths) every link is absolute. Other local paths
/// (an import made before they were resolved) are written as stored.
struct ImportedAssetLinks {
    /// The archive's media folder, absolute.
    let mediaRoot: String
    /// The folder of the file being written, absolute; nil for absolute links.
    let outputDirectory: String?
    /// Where a server answers the media folder (`/media/`): a copied asset is linked there, and nothing else is
    /// rewritten (a path outside the folder is never served). `nil` for a file written to disk.
    let servedPrefix: String?

    init(mediaRoot: String, outputDirectory: String?) {
        self.mediaRoot = URL(fileURLWithPath: mediaRoot).standardizedFileURL.path
        self.outputDirectory = outputDirectory.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        servedPrefix = nil
    }

    /// Links for a document a server streams: each copied asset where the server answers the media folder.
    init(servedUnder prefix: String) {
        mediaRoot = ""
        outputDirectory = nil
        servedPrefix = prefix
    }

    /// `object` (an imported message, guild or channel) with its local asset paths written for this file.
    func rewrite(_ object: JSONValue) -> JSONValue {
        DCEAssetFields.rewritingLocalPaths(object, link(for:))
    }

    /// The link for one stored local path; nil keeps it.
    func link(for stored: String) -> String? {
        if let servedPrefix { return ImportedDiscordForm.servedLink(stored, prefix: servedPrefix) }
        let absolute: String
        if MediaPath.isContentAddressed(stored) {
            absolute = mediaRoot + "/" + stored
        } else if stored.hasPrefix("/") {
            absolute = stored
        } else {
            return nil
        }
        let standardized = URL(fileURLWithPath: absolute).standardizedFileURL.path
        guard let outputDirectory else { return standardized }
        let relative = OutputPath.relative(standardized, from: outputDirectory)
        return relative.hasPrefix("../") ? standardized : relative
    }
}
