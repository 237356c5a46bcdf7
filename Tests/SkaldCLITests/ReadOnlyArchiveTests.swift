import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading commands open the archive read-only: an archive on a read-only file system can be read.
@Suite("Read-only archives", .serialized) struct ReadOnlyArchiveTests {
    /// Runs a program to its end (mount, umount), awaited without holding a thread of the concurrency pool.
    @discardableResult
    static func system(_ program: String, _ arguments: [String]) async throws -> Int32 {
        let child = try ChildProcess(
            executable: program, arguments: arguments, environment: ProcessInfo.processInfo.environment)
        _ = await child.waitForEnd()
        return await child.waitForExit()
    }

    /// Runs `body` with the path of a read-only copy of the archive in `folder/ro`, then makes the place writable
    /// again (whether `body` threw or not): a read-only tmpfs mount when the tests run as root (root writes through
    /// file permissions), else a folder and file without write permission.
    static func withReadOnlyCopy(
        of archive: String, in folder: String, _ body: (String) async throws -> Void
    ) async throws {
        let target = folder + "/ro"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        if geteuid() == 0 {
            // The copy is made on a tmpfs of its own and shown read-only through a bind mount: remounting the tmpfs
            // itself read-only fails (EBUSY) while any process holds a file of it open for writing, and a child
            // that another test forks at the moment of the copy inherits that descriptor.
            let stage = folder + "/stage"
            try FileManager.default.createDirectory(atPath: stage, withIntermediateDirectories: true)
            func mount(_ arguments: [String]) async throws {
                let status = try await system("/bin/mount", arguments)
                if status != 0 {
                    Issue.record("mount \(arguments.joined(separator: " ")) exited \(status)")
                    throw CancellationError()
                }
            }
            try await mount(["-t", "tmpfs", "-o", "size=16m", "tmpfs", stage])
            defer { _ = umount2(stage, Int32(MNT_DETACH)) }
            try FileManager.default.copyItem(atPath: archive, toPath: stage + "/a.sqlite")
            try await mount(["--bind", stage, target])
            defer { _ = umount2(target, Int32(MNT_DETACH)) }
            try await mount(["-o", "remount,bind,ro", target])
            try await body(target + "/a.sqlite")
            return
        }
        try FileManager.default.copyItem(atPath: archive, toPath: target + "/a.sqlite")
        chmod(target + "/a.sqlite", 0o444)
        chmod(target, 0o555)
        defer { chmod(target, 0o755) }
        try await body(target + "/a.sqlite")
    }

    @Test func statsAndExportReadAnArchiveOnAReadOnlyFileSystem() async throws {
        try await withTemporaryFolder { folder in
            _ = try await Fixture.importedArchive(in: folder)
            try await Self.withReadOnlyCopy(of: folder + "/a.sqlite", in: folder) { path in
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
    }

    @Test func exportIntoAReadOnlyFolderSaysWhyInWords() async throws {
        try await withTemporaryFolder { folder in
            _ = try await Fixture.importedArchive(in: folder)
            try await Self.withReadOnlyCopy(of: folder + "/a.sqlite", in: folder) { path in
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
