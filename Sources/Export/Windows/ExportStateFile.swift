import Foundation

/// A JSON file of a windowed export's `_state` folder (``ExportManifest``, ``ExportState``): where it lives, and
/// how it is read and written (sorted keys, atomically).
protocol ExportStateFile: Codable {
    /// The file's name inside `channel=<id>/_state/`.
    static var fileName: String { get }
    /// What the file is, for error messages.
    static var what: String { get }
}

extension ExportStateFile {
    static func path(channelDirectory: String) -> String { channelDirectory + "/_state/" + fileName }

    /// The file of a channel folder, or `nil` when there is none yet.
    /// - Throws: ``ExportError`` when the file is not one Skald wrote.
    static func load(channelDirectory: String) throws -> Self? {
        let path = path(channelDirectory: channelDirectory)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(Self.self, from: data)
        } catch {
            throw ExportError.unsupported("\(path): not a Skald \(what) (\(error))")
        }
    }

    /// Writes the file atomically.
    func save(channelDirectory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileSink.writeAtomically(try encoder.encode(self), to: Self.path(channelDirectory: channelDirectory))
    }
}
