import Foundation

/// The `skald` executable the tests run: `SKALD_BINARY`, else the debug (or release) build beside the tests.
public enum SkaldBinary {
    /// The executable's path, or an error saying how to build it.
    public static func path() throws -> String {
        if let path = ProcessInfo.processInfo.environment["SKALD_BINARY"] { return path }
        // This file is Tests/TestSupport/SkaldBinary.swift: the package root is three folders up.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        for candidate in [".build/debug/skald", ".build/release/skald"] {
            let path = root.appendingPathComponent(candidate).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw SkaldBinaryMissing()
    }
}

/// The `skald` executable was not built.
public struct SkaldBinaryMissing: Error, CustomStringConvertible {
    /// What to do.
    public var description: String {
        "the skald executable was not found: run `swift build --build-tests` (or set SKALD_BINARY)"
    }
}
