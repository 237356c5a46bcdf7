import Export
import FileSafety
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Copies one stored clip file out of the archive's media folder for `skald clips export`, checked against the
/// content hash the archive recorded for it, and put in place whole (a temporary file renamed over the target), so
/// an interrupted export never leaves a partial copy that a rerun would keep.
enum ClipFileCopy {
    /// What became of one clip's file.
    enum Outcome: Equatable {
        /// Copied now, or an identical copy was already there (a rerun, or two clips of one file).
        case copied
        /// The archive records a stored file, but the media folder has none at that path.
        case missing
        /// The file's bytes do not hash to what the archive recorded: left out, not copied.
        case damaged
    }

    /// Copies `source` to `target` if its SHA-256 is `sha256` (lowercase hex).
    /// - Throws: ``ExportError`` when the source cannot be read or the target written.
    static func copy(from source: String, to target: String, sha256 expected: String) throws -> Outcome {
        guard FileDestination.kind(at: source) == .regularFile else { return .missing }
        let (hash, bytes) = try FileSink.sha256(ofFile: source)
        guard hash == expected.lowercased() else { return .damaged }
        // The copies are named by their hash: one of the same size already there is this file.
        if FileDestination.kind(at: target) == .regularFile,
            let size = try? FileManager.default.attributesOfItem(atPath: target)[.size] as? Int, size == bytes
        {
            return .copied
        }
        // Changed between the check and the copy: keep nothing rather than bytes the hash does not vouch for.
        guard try FileSink.copy(from: source, to: target) == hash else {
            unlink(target)
            return .damaged
        }
        return .copied
    }
}
