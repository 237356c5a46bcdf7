import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file open for reading a request body's region; closed when the body has been assembled or streamed.
final class RegionFile {
    let path: String
    let descriptor: Int32

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw UploadFileError(path: path, reason: String(cString: strerror(errno)))
        }
    }

    deinit { close(descriptor) }

    /// Throws unless the file holds at least `end` bytes.
    func check(end: Int64) throws {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw UploadFileError(path: path, reason: String(cString: strerror(errno)))
        }
        guard Int64(status.st_size) >= end else {
            throw UploadFileError(path: path, reason: "it ended before the bytes to upload")
        }
    }

    /// Appends exactly `count` bytes from `offset` to `buffer`; a file that ends before them (it shrank since the
    /// upload was planned) is an error, never a short body.
    func read(_ count: Int, at offset: Int64, into buffer: inout ByteBuffer) throws {
        var done = 0
        while done < count {
            var read = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count - done) { pointer in
                read = pread(descriptor, pointer.baseAddress, count - done, off_t(offset) + off_t(done))
                return max(0, read)
            }
            if read < 0 && errno == EINTR { continue }
            guard read > 0 else {
                throw UploadFileError(
                    path: path,
                    reason: read < 0 ? String(cString: strerror(errno)) : "it ended before the bytes to upload")
            }
            done += read
        }
    }
}
