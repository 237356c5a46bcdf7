import Export
import Foundation
import Testing

/// What `skald import` says about inputs that are not DCE JSON exports: a folder without any `.json` file, an HTML
/// page (DCE's other format) given as a file, and the `.json` media in an export's asset folder.
@Suite("Import of inputs that are not DCE JSON")
struct ImportInputTests {
    @Test func aFolderWithoutJSONFilesIsAnError() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let folder = dir + "/exports"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data("<html></html>".utf8).write(to: URL(fileURLWithPath: folder + "/general.html"))
            let store = try ExportHarness.store(in: dir)
            let error = await #expect(throws: ExportError.self) {
                _ = try await DCEImporter(store: store).importPaths([folder])
            }
            #expect(
                error?.message == "\(folder): no .json file in this folder or below it: Skald imports "
                    + "DiscordChatExporter's JSON exports (DCE --format Json); check the folder")
        }
    }

    /// A folder of exports made with `--media` holds each export's `…json_Files/` folder of downloaded assets, and a
    /// `.json` file someone posted is one of them: not an export, skipped (before: "not a DCE export", exit 1).
    @Test func theMediaFoldersOfAnExportAreNotImported() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let folder = dir + "/exports"
            let assets = folder + "/general.json_Files"
            try FileManager.default.createDirectory(atPath: assets, withIntermediateDirectories: true)
            try Data(try ExportHarness.bytes(try ExportHarness.fixture("synthetic-2.47"))).write(
                to: URL(fileURLWithPath: folder + "/general.json"))
            try Data(#"{"posted":"by a user"}"#.utf8).write(to: URL(fileURLWithPath: assets + "/data-1A2B3.json"))
            let store = try ExportHarness.store(in: dir)
            let outcomes = try await DCEImporter(store: store).importPaths([folder])
            #expect(outcomes.count == 1)
            #expect(outcomes.allSatisfy { $0.error == nil }, "\(outcomes.compactMap(\.error))")
        }
    }

    @Test func anHTMLPageIsNamedAsOne() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let page = dir + "/general.html"
            try Data("<!DOCTYPE html><html></html>".utf8).write(to: URL(fileURLWithPath: page))
            let store = try ExportHarness.store(in: dir)
            let outcomes = try await DCEImporter(store: store).importPaths([page])
            #expect(outcomes.count == 1)
            #expect(outcomes.first?.error?.contains("\(page): not a JSON file (it starts with '<'") == true)
        }
    }

    /// A pipe named `x.json` in a folder was opened, and the import waited for a writer for ever; now it is left
    /// out and named, the folder's files import. A pipe named on its own is read (`skald import <(zcat a.json.gz)`).
    @Test func aPipeInAFolderIsLeftOutAndOneNamedAloneIsRead() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let folder = dir + "/exports"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let export = try ExportHarness.bytes(try ExportHarness.fixture("synthetic-2.47"))
            try Data(export).write(to: URL(fileURLWithPath: folder + "/general.json"))
            #expect(mkfifo(folder + "/stray.json", 0o600) == 0)
            let store = try ExportHarness.store(in: dir)
            let outcomes = try await DCEImporter(store: store).importPaths([folder])
            #expect(outcomes.count == 2)
            #expect(outcomes.first { $0.path.hasSuffix("general.json") }?.error == nil)
            let stray = try #require(outcomes.first { $0.path.hasSuffix("stray.json") })
            #expect(stray.error?.contains("a device, socket or pipe in the folder") == true)

            // Named alone, with a writer: read as a file.
            let writer = Thread {
                if let handle = FileHandle(forWritingAtPath: folder + "/stray.json") {
                    handle.write(Data(export))
                    try? handle.close()
                }
            }
            writer.start()
            let read = try await DCEImporter(store: store).importPaths([folder + "/stray.json"])
            #expect(read.count == 1 && read.first?.error == nil, "\(read.compactMap(\.error))")
        }
    }
}
