import FileSafety
import Foundation

/// Downloads the assets one export links (`--media`) into its media folder, named as DCE 2.47 names them
/// (``AssetFileName``), each URL once. A file already in the folder under its name is used as it is and not fetched
/// again (DCE's `--reuse-media`, always on here: a rerun of the export fetches nothing it has), so a rerun is
/// idempotent. A failed download answers nil (the URL is kept) and is told to ``report`` once.
actor ExportAssetDownloader {
    /// The media folder, absolute.
    let folder: String
    private let fetch: AssetFetch
    private let report: @Sendable (AssetDownloadFailure) -> Void
    /// Each URL's download: its file's absolute path, or nil when it failed.
    private var downloads: [String: Task<String?, Never>] = [:]
    /// Set once the folder's disk is full: nothing more is tried.
    private var full: StorageFull?

    init(folder: String, fetch: @escaping AssetFetch, report: @escaping @Sendable (AssetDownloadFailure) -> Void) {
        self.folder = URL(fileURLWithPath: folder).standardizedFileURL.path
        self.fetch = fetch
        self.report = report
    }

    /// The absolute path of the downloaded asset at `url`, or nil (its URL is kept) when it could not be downloaded.
    func download(_ url: String) async -> String? {
        if let running = downloads[url] { return await running.value }
        let task = Task { await self.fetchOnce(url) }
        downloads[url] = task
        return await task.value
    }

    private func fetchOnce(_ url: String) async -> String? {
        let path = (folder as NSString).appendingPathComponent(AssetFileName.name(for: url))
        if FileManager.default.fileExists(atPath: path) { return path }
        if let full {
            report(AssetDownloadFailure(url: url, reason: full.cause, storageFull: full))
            return nil
        }
        let data: Data
        do {
            let (status, body) = try await fetch(url)
            guard (200..<300).contains(status) else {
                report(AssetDownloadFailure(url: url, reason: "HTTP \(status)", status: status))
                return nil
            }
            data = body
        } catch {
            report(AssetDownloadFailure(url: url, reason: String(describing: error)))
            return nil
        }
        do {
            try FileDestination.createFolder(folder)
            try FileDestination.write(data, to: path)
            return path
        } catch {
            if let storageFull = StorageFull(error, path: path) ?? Self.storageFull(in: error, path: path) {
                full = storageFull
                report(AssetDownloadFailure(url: url, reason: storageFull.cause, storageFull: storageFull))
            } else {
                report(AssetDownloadFailure(url: url, reason: String(describing: error)))
            }
            return nil
        }
    }

    /// A full disk inside a ``FileSafetyError`` (its cause says ENOSPC, EDQUOT or EFBIG).
    private static func storageFull(in error: any Error, path: String) -> StorageFull? {
        let text = String(describing: error).lowercased()
        if text.contains("no space left") { return StorageFull(.noSpace, path: path) }
        if text.contains("quota") { return StorageFull(.quota, path: path) }
        if text.contains("file too large") { return StorageFull(.fileSize, path: path) }
        return nil
    }
}

/// Fetches an asset URL: the answer's HTTP status and, for a success, its body; throws when no answer came.
public typealias AssetFetch = @Sendable (_ url: String) async throws -> (status: Int, body: Data)
