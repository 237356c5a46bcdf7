import ArchiveStore
import DiscordModels
import Foundation

/// The links an export writes for the local assets of imported `--media` exports (see ``LocalAssetResolver``):
/// a file in the archive's media folder (`ab/<sha256>.<ext>`) or an absolute path is written as DCE 2.41+ writes a
/// downloaded asset (``DCEAssetLink``): relative to the exported file's folder, or absolute when that would start
/// with `../`, percent-encoded in HTML. So an imported export written again into its own folder gives back its own
/// paths (on this system's separator). Without a folder (windowed exports, whose files sit at several depths) every
/// link is absolute. Other local paths (an import made before they were resolved) are written as stored.
struct ImportedAssetLinks {
    /// The archive's media folder, absolute.
    let mediaRoot: String
    /// DCE's rule from the file being written.
    let assetLink: DCEAssetLink
    /// Where a server answers the media folder (`/media/`): a copied asset is linked there, and nothing else is
    /// rewritten (a path outside the folder is never served). `nil` for a file written to disk.
    let servedPrefix: String?

    init(mediaRoot: String, assetLink: DCEAssetLink) {
        self.mediaRoot = URL(fileURLWithPath: mediaRoot).standardizedFileURL.path
        self.assetLink = assetLink
        servedPrefix = nil
    }

    /// Links for a document a server streams: each copied asset where the server answers the media folder.
    init(servedUnder prefix: String) {
        mediaRoot = ""
        assetLink = DCEAssetLink(outputDirectory: nil, encodedForHTML: false)
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
        return assetLink.link(toFile: absolute)
    }
}
