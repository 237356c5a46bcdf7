import Foundation

/// A folder for one test, made fresh and removed afterwards.
public enum TemporaryDirectory {
    /// Runs `body` with a new folder `skald-<prefix>-<uuid>` under the system's temporary folder, removed afterwards
    /// (whether `body` returns or throws).
    public static func with<T>(prefix: String, _ body: (String) async throws -> T) async throws -> T {
        let path = NSTemporaryDirectory() + "skald-\(prefix)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await body(path)
    }

    /// Like ``with(prefix:_:)``, with the folder as a file URL.
    public static func withURL<T>(prefix: String, _ body: (URL) async throws -> T) async throws -> T {
        try await with(prefix: prefix) { path in try await body(URL(fileURLWithPath: path, isDirectory: true)) }
    }
}
