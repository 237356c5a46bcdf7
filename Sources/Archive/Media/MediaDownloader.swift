import ArchiveStore
import AsyncHTTPClient
import Crypto
import DiscordModels
import Foundation
import Logging
import NIOCore

/// Downloads attachments the archive lacks into a content-addressed folder
/// (`DIR/ab/abcdef…<sha256>.<ext>`), streaming each file to disk while hashing it, so identical files are stored
/// once and nothing is held in memory. An expired signed URL (CDN 403/404) is refreshed by re-fetching the
/// message, once. File names from Discord never become paths: only a sanitized extension is kept.
struct MediaDownloader: Sendable {
    let store: any ArchiveStore
    let directory: String
    let observer: any ArchiveObserver
    let logger: Logger
    let now: @Sendable () -> Date
    /// Re-fetches the attachment's message and returns its fresh URL.
    let refresh: @Sendable (StoredAttachment) async throws -> String?
    var parallelDownloads = 4
    var maxFailures = 3

    struct Outcome: Sendable {
        var downloaded = 0
        var failed = 0
        var bytes: Int64 = 0
    }

    /// A CDN answer that means the signature expired or is wrong.
    struct ExpiredURL: Error {}

    func downloadPending() async throws -> Outcome {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        var outcome = Outcome()
        do {
            var cursor: Snowflake<Attachment>?
            while true {
                let batch = try await store.attachmentsLackingDownload(
                    after: cursor, maxFailures: maxFailures, limit: 64)
                guard let last = batch.last else { break }
                cursor = last.id
                try await BoundedConcurrency.forEach(batch, width: parallelDownloads) { attachment in
                    do {
                        return Result<Int64, MediaError>.success(try await download(attachment, http: http))
                    } catch {
                        return .failure(MediaError(message: "\(error)"))
                    }
                } collect: { attachment, result in
                    switch result {
                    case .success(let bytes):
                        outcome.downloaded += 1
                        outcome.bytes += bytes
                        observer.archive(.mediaDownloaded(count: outcome.downloaded, bytes: outcome.bytes))
                    case .failure(let failure):
                        outcome.failed += 1
                        try await store.recordDownloadFailure(of: attachment.id, reason: failure.message, at: now())
                    }
                }
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        return outcome
    }

    /// Downloads one attachment, refreshing its URL once if the signature expired; returns its size.
    private func download(_ attachment: StoredAttachment, http: HTTPClient) async throws -> Int64 {
        do {
            return try await fetch(attachment, url: attachment.url, http: http)
        } catch is ExpiredURL {
            guard let fresh = try await refresh(attachment) else { throw ExpiredURL() }
            return try await fetch(attachment, url: fresh, http: http)
        }
    }

    private func fetch(_ attachment: StoredAttachment, url: String, http: HTTPClient) async throws -> Int64 {
        let request = HTTPClientRequest(url: url)
        let response = try await http.execute(request, timeout: .seconds(300))
        guard response.status == .ok else {
            if response.status == .forbidden || response.status == .notFound { throw ExpiredURL() }
            throw MediaError(message: "CDN answered \(response.status.code) for attachment \(attachment.id)")
        }
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = "\(directory)/.partial-\(attachment.id)-\(UUID().uuidString)"
        guard fileManager.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else { throw MediaError(message: "cannot create \(temporary): check that the media folder is writable") }
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            for try await buffer in response.body {
                let bytes = Data(buffer.readableBytesView)
                hasher.update(data: bytes)
                try handle.write(contentsOf: bytes)
                size += Int64(bytes.count)
            }
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            try? fileManager.removeItem(atPath: temporary)
            throw error
        }
        guard size == attachment.size || attachment.size == 0 else {
            try? fileManager.removeItem(atPath: temporary)
            throw MediaError(message: "attachment \(attachment.id): got \(size) bytes, Discord said \(attachment.size)")
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        let relative = MediaPath.relativePath(sha256: digest, filename: attachment.filename)
        let destination = "\(directory)/\(relative)"
        try fileManager.createDirectory(
            atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if fileManager.fileExists(atPath: destination) {
            try fileManager.removeItem(atPath: temporary)  // the same bytes are already there
        } else {
            try fileManager.moveItem(atPath: temporary, toPath: destination)
        }
        try await store.recordDownload(of: attachment.id, sha256: digest, localPath: relative, at: now())
        return size
    }
}

/// A media download that failed for a reason worth telling the user.
struct MediaError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
