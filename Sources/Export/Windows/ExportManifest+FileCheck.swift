import Foundation

extension ExportManifest.Entry {
    /// Why the entry's file no longer is what the manifest recorded (missing, or other bytes), or `nil` when its hash
    /// and size match. The one check `verify`, `combine` and `export --window --repair` make.
    func fileProblem(channelDirectory directory: String) throws -> String? {
        let path = directory + "/" + self.path
        guard FileManager.default.fileExists(atPath: path) else {
            return "\(self.path): listed in the manifest but missing"
        }
        let (hash, bytes) = try FileSink.sha256(ofFile: path)
        guard hash == facts.sha256, bytes == facts.bytes else {
            return "\(self.path): sha256 \(hash) (\(bytes) bytes) differs from the manifest's \(facts.sha256)"
        }
        return nil
    }
}
