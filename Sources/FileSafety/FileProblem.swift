import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// File-system failures in words ("the file system is read-only; …"), instead of `NSCocoaErrorDomain Code=642`.
public enum FileProblem {
    /// The cause of an `errno` value, with what to do; a full disk, quota or file-size limit at a known `path` in
    /// ``StorageFull``'s words (the file system to free, then rerun).
    public static func describe(errno code: Int32, at path: String? = nil) -> String {
        if let path, let full = StorageFull(errno: code, path: path) { return full.sentence() }
        return switch code {
        case EACCES, EPERM: "permission denied (check the folder's owner and permissions)"
        case EROFS: "the file system is read-only (write somewhere else)"
        case ENOSPC: "no space left on the device (free some space and rerun)"
        case EDQUOT: "the disk quota is exhausted (free some space and rerun)"
        case EFBIG: "the file reached the file-size limit (raise it with ulimit -f and rerun)"
        case ENAMETOOLONG: "the name is longer than the file system allows (255 bytes per name)"
        case ENOENT: "no such file or folder"
        case ENOTDIR: "a part of the path is a file, not a folder"
        case EISDIR: "it is a folder"
        case EEXIST: "it already exists"
        case EMFILE, ENFILE: "too many open files (raise the limit with ulimit -n)"
        case EIO: "an input/output error (check the disk)"
        default: String(cString: strerror(code)).lowercased()
        }
    }

    /// The cause of a Foundation or POSIX error in words.
    public static func describe(_ error: any Error, at path: String? = nil) -> String {
        if let safety = error as? FileSafetyError { return safety.message }
        if let path, let full = StorageFull(error, path: path) { return full.sentence() }
        if let posix = error as? POSIXError { return describe(errno: posix.code.rawValue) }
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return describe(errno: Int32(underlying.code))
        }
        if ns.domain == NSPOSIXErrorDomain { return describe(errno: Int32(ns.code)) }
        if ns.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileReadNoSuchFile, .fileNoSuchFile: return describe(errno: ENOENT)
            case .fileReadNoPermission, .fileWriteNoPermission: return describe(errno: EACCES)
            case .fileWriteVolumeReadOnly: return describe(errno: EROFS)
            case .fileWriteOutOfSpace: return describe(errno: ENOSPC)
            case .fileWriteFileExists: return describe(errno: EEXIST)
            case .fileReadInvalidFileName, .fileWriteInvalidFileName: return describe(errno: ENAMETOOLONG)
            case .fileReadCorruptFile: return "the file is damaged or not in the expected format"
            default: break
            }
        }
        // Not a file-system error: its own description (a Swift error's NSError bridge says only "error 1").
        return ns.domain == NSCocoaErrorDomain ? ns.localizedDescription : String(describing: error)
    }
}
