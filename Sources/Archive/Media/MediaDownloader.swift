import ArchiveStore
import AsyncHTTPClient
import Crypto
import DiscordModels
import DiscordREST
import FileSafety
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
    /// The HTTP client files are fetched with (the caller's: not closed here).
    let http: HTTPClient
    let observer: any ArchiveObserver
    let logger: Logger
    let now: @Sendable () -> Date
    /// Re-fetches the attachment's message and returns its fresh URL.
    let refresh: @Sendable (StoredAttachment) async throws -> String?
    var parallelDownloads = 4
    var maxFailures = 3
    /// Why an attachment must not be downloaded (the bot's `max_download_mb`, against Discord's `size`), or nil to
    /// download it. A refused attachment is recorded as skipped, not failed, and nothing is requested for it.
    var refusal: (@Sendable (StoredAttachment) async -> String?)?

    struct Outcome: Sendable {
        var downloaded = 0
        var failed = 0
        /// Attachments ``MediaDownloader/refusal`` kept from being downloaded.
        var skipped = 0
        var bytes: Int64 = 0
        /// What failed and why (the summary lists them).
        var failures: [ArchiveSummary.MediaFailure] = []
    }

    /// A CDN answer that means the signature expired or is wrong (403, or 404): the URL is refreshed once.
    struct ExpiredURL: Error {
        /// The CDN's status code.
        let status: UInt
    }

    func downloadPending() async throws -> Outcome {
        let abandoned = MediaPartialFile.removeAbandoned(in: directory)
        if abandoned > 0 {
            logger.info("removed partial downloads of an interrupted run", metadata: ["files": "\(abandoned)"])
        }
        var outcome = Outcome()
        var cursor: Snowflake<Attachment>?
        while true {
            let batch = try await store.attachmentsLackingDownload(
                after: cursor, maxFailures: maxFailures, limit: 64)
            guard let last = batch.last else { break }
            cursor = last.id
            var wanted: [StoredAttachment] = []
            for attachment in batch {
                guard let reason = await refusal?(attachment) else {
                    wanted.append(attachment)
                    continue
                }
                outcome.skipped += 1
                if attachment.downloadError != reason {
                    try await store.recordDownloadSkipped(of: attachment.id, reason: reason)
                }
            }
            try await BoundedConcurrency.forEach(wanted, width: parallelDownloads) { attachment in
                do {
                    return Result<Int64, MediaError>.success(try await download(attachment, http: http))
                } catch let error as DiscordRESTError where error.code == .edgeBanned {
                    // Not the attachment's failure: the run stops (no failure is recorded against it).
                    throw error
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
                    outcome.failures.append(
                        .init(attachmentId: attachment.id, filename: attachment.filename, reason: failure.message))
                    try await store.recordDownloadFailure(of: attachment.id, reason: failure.message, at: now())
                }
            }
        }
        return outcome
    }

    /// Downloads one attachment, refreshing its URL once if the signature expired; returns its size.
    private func download(_ attachment: StoredAttachment, http: HTTPClient) async throws -> Int64 {
        let name = "attachment \(attachment.id) (\(attachment.filename))"
        do {
            return try await fetch(attachment, url: attachment.url, http: http)
        } catch let expired as ExpiredURL {
            guard let fresh = try await refresh(attachment) else {
                throw MediaError(
                    message: "\(name): its link expired (the CDN answered \(expired.status)) and the message, read "
                        + "again for a fresh link, no longer holds it: it was removed from the message on Discord, so "
                        + "there is nothing left to download (the archive keeps what it recorded of it)")
            }
            do {
                return try await fetch(attachment, url: fresh, http: http)
            } catch let refused as ExpiredURL {
                throw MediaError(
                    message: "\(name): the CDN refused even a fresh link from Discord (\(refused.status)): the file "
                        + "is gone from Discord's CDN, or the token can no longer read its channel. The next run "
                        + "with --media tries again (\(maxFailures) tries in all)")
            }
        }
    }

    private func fetch(_ attachment: StoredAttachment, url: String, http: HTTPClient) async throws -> Int64 {
        let request = HTTPClientRequest(url: url)
        let response = try await http.execute(request, timeout: .seconds(300))
        guard response.status == .ok else {
            if response.status == .forbidden || response.status == .notFound {
                throw ExpiredURL(status: response.status.code)
            }
            throw MediaError(message: "CDN answered \(response.status.code) for attachment \(attachment.id)")
        }
        let temporary = try MediaPartialFile.create(in: directory, attachment: attachment.id)
        let handle = temporary.handle
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
        } catch {
            temporary.discard()
            throw MediaError(
                message:
                    "attachment \(attachment.id): cannot write \(temporary.path): "
                    + FileProblem.describe(error, at: temporary.path))
        }
        guard size == attachment.size || attachment.size == 0 else {
            temporary.discard()
            throw MediaError(message: "attachment \(attachment.id): got \(size) bytes, Discord said \(attachment.size)")
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        let relative = MediaPath.relativePath(sha256: digest, filename: attachment.filename)
        let destination = "\(directory)/\(relative)"
        do {
            try FileDestination.createFolder((destination as NSString).deletingLastPathComponent)
            // Content-addressed: a file already at the destination (another process's download of the same
            // bytes) is replaced atomically by identical bytes, so concurrent runs never fail with "File exists".
            try FileDestination.replace(destination, with: temporary.path)
        } catch {
            temporary.discard()
            throw MediaError(message: "attachment \(attachment.id): \(FileProblem.describe(error, at: destination))")
        }
        temporary.close()
        try await store.recordDownload(of: attachment.id, sha256: digest, localPath: relative, at: now())
        return size
    }
}

/// A media download that failed for a reason worth telling the user.
struct MediaError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
