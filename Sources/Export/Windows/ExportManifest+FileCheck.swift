import Foundation

extension ExportManifest.Entry {
    /// Why the entry's file no longer is what the manifest recorded (missing, or other bytes), or `nil` when its hash
    /// and size match. The one check `verify`, `combine` and `export --window --repair` make.
    func fileProblem(channelDirectory directory: String) throws -> String? {
        if let missing = missingFile(channelDirectory: directory) { return missing }
        let (hash, bytes) = try FileSink.sha256(ofFile: directory + "/" + path)
        return fileProblem(sha256: hash, bytes: bytes)
    }

    /// Why the entry's file is not there, or `nil` when it is.
    func missingFile(channelDirectory directory: String) -> String? {
        FileManager.default.fileExists(atPath: directory + "/" + path)
            ? nil : "\(path): listed in the manifest but missing"
    }

    /// Why a file of this hash and size is not the one the manifest recorded, or `nil` when it is (for a file hashed
    /// as it was read for something else: ``DCEFileScanner/readToEnd()``).
    func fileProblem(sha256 hash: String, bytes: Int) -> String? {
        guard hash == facts.sha256, bytes == facts.bytes else {
            return "\(path): sha256 \(hash) (\(bytes) bytes) differs from the manifest's \(facts.sha256)"
        }
        return nil
    }
}
