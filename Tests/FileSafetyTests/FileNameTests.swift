import FileSafety
import Foundation
import Testing

@Suite struct FileNameTests {
    @Test func shortNamesAreKept() {
        #expect(FileName.fitting("general [1].json") == "general [1].json")
        #expect(FileName.fitting(head: "a - b", tail: " [1].json") == "a - b [1].json")
    }

    @Test func longCJKNamesAreCutAtACharacterAndKeepTheirId() {
        let head = String(repeating: "漢", count: 60) + " - ch-" + String(repeating: "é", count: 60)
        let name = FileName.fitting(head: head, tail: " [1012224565567721552].json")
        #expect(name.utf8.count <= 255)
        #expect(name.hasSuffix("… [1012224565567721552].json"))
        #expect(name.hasPrefix(String(repeating: "漢", count: 60)))
        let whole = FileName.fitting(head + " [7].json")
        #expect(whole.utf8.count <= 255)
        #expect(whole.hasSuffix(" [7].json"))
    }

    @Test func truncationNeverSplitsACharacter() {
        let text = String(repeating: "🦀", count: 100)
        let cut = FileName.truncated(text, toBytes: 10)
        #expect(cut == "🦀🦀")
    }

    @Test func aLongNameFitsOnDisk() throws {
        let folder = NSTemporaryDirectory() + "skald-names-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let name = FileName.fitting(head: String(repeating: "漢", count: 200), tail: " [1].json")
        try FileDestination.write(Data("{}".utf8), to: folder + "/" + name)
        #expect(FileManager.default.fileExists(atPath: folder + "/" + name))
    }
}
