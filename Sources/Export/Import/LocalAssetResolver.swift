import ArchiveStore
import DiscordModels
import FileSafety
import Foundation

/// The local files a `--media` export links to (§14.1, §18.11), found for the archive: DCE wrote each downloaded
/// asset's path relative to the export file's folder (`\` on Windows, sometimes doubled, `../` before 2.41) or
/// absolute (2.41+), and the archive does not know that folder once the file is imported. Each path is resolved
/// against the export file's folder (then, if it is not there, looked for by its last two components and its name
/// beside the file: an export folder copied from another machine), and stored as
///
/// - `ab/<sha256>.<ext>` inside the archive's media folder when the import copies media (`skald import --media`):
///   the file is copied there, named by its content like `skald archive --media`'s downloads;
/// - else the file's absolute path where it is;
/// - or, when no file is found, as written (so a copy of the file elsewhere imports unchanged), counted as missing.
///
/// `skald export` writes these relative to its own file (see ``ImportedAssetLinks``), `skald serve` serves the
/// copied ones under `/media/`.
final class LocalAssetResolver: @unchecked Sendable {
    // Used by one file's reader at a time (its read-ahead thread, or the staged read after it).

    /// The export file's folder, absolute.
    let folder: String
    /// The archive's media folder files are copied into, or nil to link them where they are.
    let mediaRoot: String?
    /// Stored form of each path met (avatars and emoji repeat on every message).
    private var resolved: [String: String] = [:]
    /// Local paths that named no file (each counted once).
    private(set) var missing: [String] = []
    /// Files copied into the media folder (each counted once).
    private(set) var copied = 0
    /// Local paths resolved (each counted once).
    var linked: Int { resolved.count }

    init(exportFile: String, mediaRoot: String?) {
        let absolute = URL(fileURLWithPath: exportFile).standardizedFileURL
        folder = absolute.deletingLastPathComponent().path
        self.mediaRoot = mediaRoot.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    }

    /// `value` (a DCE message, guild or channel object) with its local asset paths in their stored form.
    /// - Throws: ``ExportError`` when a file cannot be copied into the media folder.
    func resolve(_ value: JSONValue) throws -> JSONValue {
        var failure: Error?
        let result = DCEAssetFields.rewritingLocalPaths(value) { path in
            do {
                return try self.stored(path)
            } catch {
                failure = failure ?? error
                return nil
            }
        }
        if let failure { throw failure }
        return result
    }

    /// The stored form of one local path.
    private func stored(_ path: String) throws -> String {
        if let known = resolved[path] { return known }
        let result: String
        if let found = locate(path) {
            result = try mediaRoot.map { try copy(found, into: $0) } ?? found
        } else {
            missing.append(path)
            result = path
        }
        resolved[path] = result
        return result
    }

    /// Where the file `path` names is: where the path says (not for a Windows drive path), else beside the export.
    private func locate(_ path: String) -> String? {
        let parts = path.split(whereSeparator: { $0 == "\\" || $0 == "/" }).map(String.init)
        let first = Array(parts.first?.utf8 ?? "".utf8)
        let isWindowsDrive = first.count == 2 && first[1] == UInt8(ascii: ":") && path.utf8.count > 2
        let isAbsolute = path.hasPrefix("/")
        let joined = parts.joined(separator: "/")
        let expected = URL(fileURLWithPath: isAbsolute ? "/" + joined : folder + "/" + joined).standardizedFileURL.path
        var candidates: [String] = isWindowsDrive ? [] : [expected]
        // Beside the export file: an export folder moved or copied from another machine keeps `X.json_Files/name`.
        if parts.count >= 2 { candidates.append(folder + "/" + parts.suffix(2).joined(separator: "/")) }
        if let name = parts.last { candidates.append(folder + "/" + name) }
        let found = candidates.first { candidate in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }
        return found.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    }

    /// Copies `file` into the media folder under its content's name (kept if already there); returns that name.
    private func copy(_ file: String, into root: String) throws -> String {
        let digest = try FileSink.sha256(ofFile: file).hash
        let relative = MediaPath.relativePath(sha256: digest, filename: (file as NSString).lastPathComponent)
        let destination = root + "/" + relative
        if FileDestination.kind(at: destination) == .regularFile { return relative }
        do {
            _ = try FileSink.copy(from: file, to: destination)
        } catch let error as ExportError {
            throw ExportError.io(
                "cannot copy the media file \(file) into the media folder \(root): \(error.message); check the folder "
                    + "(--media-root), or import without --media")
        }
        copied += 1
        return relative
    }
}
