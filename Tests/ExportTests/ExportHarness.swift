import ArchiveStore
import DiscordModels
import Export
import Foundation
import SQLiteStore
import TestSupport
import Testing

/// Shared set-up: fixtures, temporary folders, fresh SQLite archives, tree comparison.
enum ExportHarness {
    static func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return url.path
    }

    static func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
        try await TemporaryDirectory.with(prefix: "export-tests", body)
    }

    static func store(in directory: String, name: String = "archive.sqlite") throws -> SQLiteArchiveStore {
        try SQLiteArchiveStore(path: directory + "/" + name)
    }

    /// Options like the synthetic fixture's: UTC, fixed `exportedAt`.
    static func utcOptions(exportedAt: String = "2026-03-01T09:15:42.1234567+00:00") -> DCEExportOptions {
        var options = DCEExportOptions()
        options.timeZone = .utc
        let time = DCETime.parse(exportedAt)!
        options.now = { time }
        return options
    }

    static func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    /// Differences where `actual` lacks or changes a key of `expected` (arrays must have the same length).
    static func keyDifferences(expected: JSONValue, actual: JSONValue, path: String = "$") -> [String] {
        switch (expected, actual) {
        case (.object(let members), .object):
            var problems: [String] = []
            for member in members {
                guard let value = actual[member.key] else {
                    problems.append("\(path).\(member.key) missing")
                    continue
                }
                problems += keyDifferences(expected: member.value, actual: value, path: "\(path).\(member.key)")
            }
            return problems
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return ["\(path): \(a.count) elements, got \(b.count)"] }
            return zip(a, b).enumerated().flatMap {
                keyDifferences(expected: $0.element.0, actual: $0.element.1, path: "\(path)[\($0.offset)]")
            }
        default:
            return expected == actual ? [] : ["\(path): expected \(expected), got \(actual)"]
        }
    }
}
