import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A write refused for want of room: the disk is full, the quota is used up, the file-size limit is reached, or the
/// database server's disk is full. One wording for every store and file output, naming the file system to free and
/// what to do next.
///
/// ```swift
/// if let full = StorageFull(errno: EFBIG, path: "/srv/a.sqlite") { print(full.sentence(then: StorageFull.resumes)) }
/// ```
public struct StorageFull: Sendable, Equatable, CustomStringConvertible {
    /// Which limit was reached.
    public enum Limit: Sendable, Equatable {
        /// No space left on the file system (`ENOSPC`, SQLite's `SQLITE_FULL`).
        case noSpace
        /// The user's disk quota is exhausted (`EDQUOT`).
        case quota
        /// The file reached the process's file-size limit (`ulimit -f`) or the largest file the file system allows
        /// (`EFBIG`).
        case fileSize
        /// The database server's own disk is full (PostgreSQL's SQLSTATE 53100 `disk_full`).
        case databaseServer
    }

    /// The limit reached.
    public let limit: Limit
    /// The file that could not be written (or, for ``Limit/databaseServer``, how the database is named).
    public let path: String
    /// The mount point of the file system holding ``path`` (nil for the database server, or when unknown).
    public let mountPoint: String?

    /// What a command that resumes says after the remedy.
    public static let resumes = "it resumes where it stopped"

    /// A full storage at `path` (its mount point looked up now).
    public init(_ limit: Limit, path: String) {
        self.limit = limit
        self.path = path
        self.mountPoint = limit == .databaseServer ? nil : Self.mountPoint(of: path)
    }

    /// The full storage an `errno` value means (`ENOSPC`, `EDQUOT`, `EFBIG`), or nil for any other failure.
    public init?(errno code: Int32, path: String) {
        guard let limit = Self.limit(errno: code) else { return nil }
        self.init(limit, path: path)
    }

    /// The limit an `errno` value means, or nil.
    public static func limit(errno code: Int32) -> Limit? {
        switch code {
        case ENOSPC: .noSpace
        case EDQUOT: .quota
        case EFBIG: .fileSize
        default: nil
        }
    }

    /// The full storage a Foundation or POSIX error means, or nil.
    public init?(_ error: any Error, path: String) {
        guard let code = Self.errno(of: error), let limit = Self.limit(errno: code) else { return nil }
        self.init(limit, path: path)
    }

    /// Why the write failed, without the path: "no space left on the file system mounted on /srv".
    public var cause: String {
        let place = mountPoint.map { "the file system mounted on \($0)" } ?? "its file system"
        return switch limit {
        case .noSpace: "no space left on \(place)"
        case .quota: "the disk quota on \(place) is exhausted"
        case .fileSize: "the file reached the file-size limit (ulimit -f, or the largest file \(place) allows)"
        case .databaseServer: "the database server's disk is full (PostgreSQL SQLSTATE 53100 disk_full)"
        }
    }

    /// What to do, then `rerun`: "free space on /srv, then run the same command again".
    public func remedy(rerun: String = "run the same command again") -> String {
        let place = mountPoint ?? (path as NSString).deletingLastPathComponent
        return switch limit {
        case .noSpace: "free space on \(place), then \(rerun)"
        case .quota: "free space on \(place) or raise the quota, then \(rerun)"
        case .fileSize: "raise the limit (ulimit -f unlimited) or write elsewhere, then \(rerun)"
        case .databaseServer: "free space on the database server, then \(rerun)"
        }
    }

    /// The cause and the remedy as one clause, then what the rerun does (`then`, e.g. ``resumes``).
    public func sentence(rerun: String = "run the same command again", then: String? = nil) -> String {
        "\(cause); \(remedy(rerun: rerun))" + (then.map { ": \($0)" } ?? "")
    }

    /// The cause and the remedy.
    public var description: String { sentence() }

    /// The `errno` a Foundation or POSIX error carries, if any.
    static func errno(of error: any Error) -> Int32? {
        if let posix = error as? POSIXError { return posix.code.rawValue }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        if ns.domain == NSCocoaErrorDomain, CocoaError.Code(rawValue: ns.code) == .fileWriteOutOfSpace {
            return ENOSPC
        }
        return nil
    }

    /// The mount point of the file system holding `path`: the highest existing ancestor on the same device.
    static func mountPoint(of path: String) -> String? {
        var current = URL(fileURLWithPath: path).standardizedFileURL.path
        var status = stat()
        // The nearest ancestor that exists (the file itself may not).
        while stat(current, &status) != 0 {
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current || parent.isEmpty { return nil }
            current = parent
        }
        let device = status.st_dev
        while current != "/" {
            let parent = (current as NSString).deletingLastPathComponent
            var parentStatus = stat()
            guard stat(parent, &parentStatus) == 0, parentStatus.st_dev == device else { return current }
            current = parent
        }
        return "/"
    }
}
