import Foundation
import Testing

@testable import Archive

/// Partial downloads are exclusive and locked while written: another process's cleanup never removes a download in
/// progress, and a partial file nobody holds (left by a killed run) is removed.
@Suite struct MediaPartialFileTests {
    @Test func aPartialFileInProgressIsKeptAndAnAbandonedOneRemoved() async throws {
        try await ArchiveHarness.withTemporaryDirectory { folder in
            let media = folder + "/media"
            let writing = try MediaPartialFile.create(in: media, attachment: 7)
            let other = try MediaPartialFile.create(in: media, attachment: 7)
            #expect(writing.path != other.path)
            try Data("left by a killed run".utf8).write(to: URL(fileURLWithPath: media + "/.partial-9-dead"))
            try Data("not a partial".utf8).write(to: URL(fileURLWithPath: media + "/ab.png"))

            #expect(MediaPartialFile.removeAbandoned(in: media) == 1)
            #expect(FileManager.default.fileExists(atPath: writing.path))
            #expect(FileManager.default.fileExists(atPath: other.path))
            #expect(FileManager.default.fileExists(atPath: media + "/ab.png"))

            other.close()  // its writer went away without renaming it
            #expect(MediaPartialFile.removeAbandoned(in: media) == 1)
            #expect(!FileManager.default.fileExists(atPath: other.path))
            #expect(FileManager.default.fileExists(atPath: writing.path))
            writing.discard()
            #expect(try FileManager.default.contentsOfDirectory(atPath: media) == ["ab.png"])
        }
    }
}
