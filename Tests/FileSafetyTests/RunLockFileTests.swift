import FileSafety
import Foundation
import Testing

/// The run lock beside an archive: removed at a clean end, without the race of a process waiting on a removed file.
@Suite struct RunLockFileTests {
    /// What the second process of the race does next.
    enum Step: Sendable {
        case waiting
        case acquired(RunLockFile)
    }

    static func withFolder<T>(_ body: (String) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("skald-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await body(folder.path)
    }

    /// Before, `ARCHIVE.watch-0-1.lock` and the mirror's lock stayed beside the archive after every run.
    @Test func aReleasedLockLeavesNoFile() async throws {
        try await Self.withFolder { folder in
            let archive = folder + "/a.sqlite"
            let lock = try await RunLockFile.acquire(archive: archive, subject: "watch-0-1") { holder in
                Issue.record("waited for \(holder)")
            }
            #expect(FileManager.default.fileExists(atPath: lock.path))
            lock.release()
            #expect(!FileManager.default.fileExists(atPath: lock.path))
            lock.release()
            let again = try await RunLockFile.acquire(archive: archive, subject: "watch-0-1") { _ in }
            #expect(again.path == lock.path)
            again.release()
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        }
    }

    /// The race: B waits on A's file; A removes it and lets go; C creates a new file at the path and locks it; B then
    /// locks the removed file. Had B stopped there, B and C would both hold "the" lock. B finds the path names
    /// another file, opens it, and waits for C.
    @Test func aWaiterOnARemovedFileWaitsForTheFileAtThePath() async throws {
        try await Self.withFolder { folder in
            let archive = folder + "/a.sqlite"
            let first = try await RunLockFile.acquire(archive: archive, subject: "mirror-x") { _ in }
            let (steps, stepped) = AsyncStream.makeStream(of: Step.self)
            let (goes, go) = AsyncStream.makeStream(of: Void.self)
            let second = Task {
                let lock = try await RunLockFile.acquire(archive: archive, subject: "mirror-x") { _ in
                } sleep: {
                    stepped.yield(.waiting)
                    for await _ in goes { return }
                    throw CancellationError()
                }
                stepped.yield(.acquired(lock))
            }
            var next = steps.makeAsyncIterator()
            guard case .waiting = await next.next() else {
                Issue.record("B did not wait for A")
                return
            }
            first.release()
            let third = try await RunLockFile.acquire(archive: archive, subject: "mirror-x") { holder in
                Issue.record("C waited for \(holder): A's file was not removed")
            }
            go.yield()
            switch await next.next() {
            case .waiting: break
            case .acquired(let lock):
                Issue.record("B took the lock while C held it")
                lock.release()
                third.release()
                return
            case nil:
                Issue.record("B ended")
                return
            }
            third.release()
            go.yield()
            guard case .acquired(let lock) = await next.next() else {
                Issue.record("B never took the lock")
                return
            }
            #expect(FileManager.default.fileExists(atPath: lock.path))
            lock.release()
            go.finish()
            try await second.value
        }
    }
}
