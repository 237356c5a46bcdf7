import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading commands open the archive read-only: an archive on a read-only file system can be read.
@Suite("Read-only archives", .serialized) struct ReadOnlyArchiveTests {
    /// Runs a program to its end (mount, umount, chmod).
    @discardableResult
    static func system(_ program: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Makes `folder/ro` a read-only place holding a copy of the archive: a read-only tmpfs mount when the tests
    /// run as root (root writes through file permissions), else a folder and file without write permission.
    static func readOnlyCopy(of archive: String, in folder: String) throws -> (path: String, cleanup: () -> Void) {
        let target = folder + "/ro"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        if geteuid() == 0 {
            guard try system("/bin/mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", target]) == 0 else {
                throw CancellationError()
            }
            try FileManager.default.copyItem(atPath: archive, toPath: target + "/a.sqlite")
            try system("/bin/mount", ["-o", "remount,ro", target])
            return (target + "/a.sqlite", { _ = try? system("/bin/umount", [target]) })
        }
        try FileManager.default.copyItem(atPath: archive, toPath: target + "/a.sqlite")
        chmod(target + "/a.sqlite", 0o444)
        chmod(target, 0o555)
        return (target + "/a.sqlite", { chmod(target, 0o755) })
    }

    @Test func statsAndExportReadAnArchiveOnAReadOnlyFileSystem() async throws {
        try await withTemporaryFolder { folder in
            _ = try await Fixture.importedArchive(in: folder)
            let (path, cleanup) = try Self.readOnlyCopy(of: folder + "/a.sqlite", in: folder)
            defer { cleanup() }
            let stats = try await SkaldProcess.run(["stats", "--db", "sqlite:\(path)", "--json"], in: folder)
            #expect(stats.status == 0, "\(stats.output)")
            #expect(stats.output.contains(#""messages":35"#))
            let export = try await SkaldProcess.run(
                ["export", "--db", "sqlite:\(path)", "--channel", Fixture.channel, "--out", "o"], in: folder)
            #expect(export.status == 0, "\(export.output)")
            #expect(export.output.contains("exported 35 message(s)"))
            let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/ro")
            #expect(files == ["a.sqlite"])
        }
    }

    @Test func exportIntoAReadOnlyFolderSaysWhyInWords() async throws {
        try await withTemporaryFolder { folder in
            _ = try await Fixture.importedArchive(in: folder)
            let (path, cleanup) = try Self.readOnlyCopy(of: folder + "/a.sqlite", in: folder)
            defer { cleanup() }
            for out in ["ro", "ro/new/sub"] {
                let run = try await SkaldProcess.run(
                    ["export", "--db", "sqlite:\(path)", "--channel", Fixture.channel, "--out", out], in: folder)
                #expect(run.status == 1)
                #expect(run.output.hasPrefix("error: cannot create "), "\(run.output)")
                #expect(
                    run.output.contains("the file system is read-only") || run.output.contains("permission denied"),
                    "\(run.output)")
                #expect(!run.output.contains("NSCocoaErrorDomain"))
            }
        }
    }

    @Test func aMissingArchiveIsNotCreatedByAReader() async throws {
        try await withTemporaryFolder { folder in
            let run = try await SkaldProcess.run(["stats", "--db", "sqlite:none/a.sqlite"], in: folder)
            #expect(run.status == 1)
            #expect(run.output.contains("error: no archive at none/a.sqlite"))
            #expect(!FileManager.default.fileExists(atPath: folder + "/none"))
        }
    }
}
