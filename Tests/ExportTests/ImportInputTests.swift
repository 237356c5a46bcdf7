import Export
import Foundation
import Testing

/// What `skald import` says about inputs that are not DCE JSON exports: a folder without any `.json` file, and an
/// HTML page (DCE's other format) given as a file.
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
}
