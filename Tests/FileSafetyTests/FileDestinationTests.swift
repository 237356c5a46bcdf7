import FileSafety
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct FileDestinationTests {
    /// A fresh folder for one test, removed afterwards.
    func withFolder(_ body: (String) throws -> Void) throws {
        let folder = NSTemporaryDirectory() + "skald-files-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try body(folder)
    }

    @Test func replacesARegularFileAndCreatesAMissingOne() throws {
        try withFolder { folder in
            let path = folder + "/out.json"
            try FileDestination.write(Data("one".utf8), to: path)
            try FileDestination.write(Data("two".utf8), to: path)
            #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self) == "two")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out.json"])
        }
    }

    @Test func neverReplacesAFolderAndLeavesItsContentAlone() throws {
        try withFolder { folder in
            let target = folder + "/mydir"
            try FileManager.default.createDirectory(atPath: target + "/sub", withIntermediateDirectories: true)
            try Data("precious".utf8).write(to: URL(fileURLWithPath: target + "/sub/thesis.txt"))
            #expect {
                try FileDestination.write(Data("x".utf8), to: target)
            } throws: { error in
                "\(error)".contains("is a folder") && "\(error)".contains(target)
            }
            #expect(FileManager.default.fileExists(atPath: target + "/sub/thesis.txt"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["mydir"])
        }
    }

    @Test func neverReplacesALinkToAFolderNorASpecialFile() throws {
        try withFolder { folder in
            try FileManager.default.createDirectory(atPath: folder + "/real", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: folder + "/real")
            #expect(FileDestination.kind(at: folder + "/link") == .symbolicLink(toFolder: true))
            #expect(throws: FileSafetyError.self) { try FileDestination.write(Data("x".utf8), to: folder + "/link") }
            #expect(FileDestination.kind(at: folder + "/link") == .symbolicLink(toFolder: true))
            #expect(mkfifo(folder + "/pipe", 0o644) == 0)
            #expect(FileDestination.kind(at: folder + "/pipe") == .special)
            #expect(throws: FileSafetyError.self) { try FileDestination.write(Data("x".utf8), to: folder + "/pipe") }
            #expect(FileDestination.kind(at: folder + "/pipe") == .special)
        }
    }

    @Test func aFolderThatAppearsWhileWritingIsNotReplaced() throws {
        try withFolder { folder in
            let path = folder + "/late"
            let temporary = try FileDestination.createTemporary(for: path)
            try temporary.handle.close()
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            #expect(throws: FileSafetyError.self) { try FileDestination.replace(path, with: temporary.path) }
            #expect(FileDestination.kind(at: path) == .folder)
            #expect(!FileManager.default.fileExists(atPath: temporary.path))
        }
    }

    @Test func leftoverTemporariesOfAnInterruptedWriteAreRemoved() throws {
        try withFolder { folder in
            let path = folder + "/chat.json"
            let first = try FileDestination.createTemporary(for: path)
            let second = try FileDestination.createTemporary(for: path)
            #expect(first.path != second.path)
            try Data("keep".utf8).write(to: URL(fileURLWithPath: folder + "/.other.json.12345678.tmp"))
            // Still being written (locked): left alone.
            #expect(FileDestination.removeLeftoverTemporaries(for: path) == 0)
            // Their writers went away without renaming them: an interrupted export.
            try first.handle.close()
            try second.handle.close()
            #expect(FileDestination.removeLeftoverTemporaries(for: path) == 2)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [".other.json.12345678.tmp"])
        }
    }

    @Test func causesAreWords() throws {
        #expect(FileProblem.describe(errno: EROFS).contains("read-only"))
        #expect(FileProblem.describe(errno: ENOSPC).contains("no space"))
        #expect(FileProblem.describe(errno: ENAMETOOLONG).contains("255 bytes"))
        #expect(!FileProblem.describe(CocoaError(.fileWriteVolumeReadOnly)).contains("NSCocoaErrorDomain"))
    }
}
