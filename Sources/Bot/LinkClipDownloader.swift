import ArchiveStore
import Crypto
import Foundation

/// Fetches link clips with an external downloader (`clips.downloader: yt-dlp`): runs
/// `DOWNLOADER --no-progress --no-playlist [--max-filesize BYTES] -o DIR/.partial-ID.%(ext)s URL`, then stores the
/// file content-addressed (`DIR/ab/<sha256>.<ext>`, one copy per content) and records it on the clip. Nothing here
/// reaches the network itself; the tests use a fake downloader script.
public struct LinkClipDownloader: Sendable {
    /// The downloader's executable (a path, or a name looked up in `PATH`).
    public let executable: String
    /// The media folder (the archive's).
    public let directory: String

    /// A downloader writing into `directory`.
    public init(executable: String, directory: String) {
        self.executable = executable
        self.directory = directory
    }

    /// The executable's full path, or nil when it is not installed.
    public func resolvedExecutable() -> String? {
        if executable.contains("/") {
            return FileManager.default.isExecutableFile(atPath: executable) ? executable : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Downloads `clip` and returns its stored file: (sha256, size, path relative to the media folder).
    /// - Parameter maxBytes: the guild's `max_download_mb` in bytes, passed on as `--max-filesize` (the downloader
    ///   then writes nothing for a larger video); nil: no limit.
    /// - Throws: ``JobError`` when the downloader is missing, fails, or writes nothing.
    public func download(_ clip: ClipRecord, maxBytes: Int64? = nil) async throws -> (
        sha256: String, size: Int, path: String
    ) {
        guard let tool = resolvedExecutable() else {
            throw JobError(message: "\(executable) is not installed; link clips are recorded without their files")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let token = ".partial-" + UUID().uuidString.lowercased()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments =
            ["--no-progress", "--no-playlist"] + (maxBytes.map { ["--max-filesize", "\($0)"] } ?? [])
            + ["-o", "\(directory)/\(token).%(ext)s", clip.url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let written =
            (try? FileManager.default.contentsOfDirectory(atPath: directory))?.filter {
                $0.hasPrefix(token)
            } ?? []
        guard status == 0, let name = written.first else {
            for leftover in written { try? FileManager.default.removeItem(atPath: "\(directory)/\(leftover)") }
            if status == 0, let maxBytes {
                // yt-dlp skips a video over --max-filesize with exit 0 and no file (its issue 7498).
                throw JobError(
                    message: "\(executable) wrote no file for \(clip.url): larger than max_download_mb "
                        + "(\(ClipPolicy.mebibytes(maxBytes))), or nothing to download")
            }
            throw JobError(message: "\(executable) exited \(status) for \(clip.url)")
        }
        let source = "\(directory)/\(name)"
        let data = try Data(contentsOf: URL(fileURLWithPath: source), options: .mappedIfSafe)
        let sha = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let ext = name.split(separator: ".").last.map(String.init).flatMap { $0 == name ? nil : $0 } ?? "bin"
        let safeExt = ext.count <= 10 && ext.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } ? ext : "bin"
        let relative = "\(sha.prefix(2))/\(sha).\(safeExt.lowercased())"
        let target = "\(directory)/\(relative)"
        try FileManager.default.createDirectory(
            atPath: "\(directory)/\(sha.prefix(2))", withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: target) {
            try FileManager.default.removeItem(atPath: source)
        } else {
            try FileManager.default.moveItem(atPath: source, toPath: target)
        }
        return (sha, data.count, relative)
    }
}
