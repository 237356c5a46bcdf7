import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Opens a named pipe (or a device) for reading without blocking a thread of the cooperative pool, and waits,
/// cancellably, until it has something to read or its writer is gone.
///
/// A plain `open` of a pipe nobody writes to waits for a writer for ever, and a `read` waits for bytes: on the
/// cooperative pool neither can be cancelled, so SIGTERM cancelled the work but the command waited for it for ever
/// (only kill -9 ended `skald import PIPE`). Here the pipe is opened without waiting (`O_NONBLOCK`) and a thread of
/// its own polls it together with a wake-up pipe that a cancellation writes to.
///
/// ```swift
/// let handle = try await PipeReading.open(path)   // throws CancellationError when the task is cancelled
/// ```
public enum PipeReading {
    /// Whether `path` (its target, for a link such as `/dev/fd/63`) is a pipe or a device: something whose `open` or
    /// first `read` may wait for another process.
    public static func mayWait(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type != S_IFREG && type != S_IFDIR
    }

    /// Opens `path` for reading once it has bytes to read (or its writer closed it); a blocking handle from then on.
    /// - Throws: `CancellationError` when the task is cancelled while waiting (nothing stays open);
    ///   ``FileSafetyError/cannotRead(_:cause:)`` when it cannot be opened.
    public static func open(_ path: String) async throws -> FileHandle {
        let fd = openWithoutWaiting(path)
        guard fd >= 0 else { throw FileSafetyError.cannotRead(path, cause: FileProblem.describe(errno: errno)) }
        var wake: [Int32] = [0, 0]
        guard pipe(&wake) == 0 else {
            let code = errno
            close(fd)
            throw FileSafetyError.cannotRead(path, cause: FileProblem.describe(errno: code))
        }
        let (wakeRead, wakeWrite) = (wake[0], wake[1])
        defer { close(wakeWrite) }
        let ready: Bool = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // The only resumer: it ends when the pipe is readable or hung up, or when a cancellation wakes it.
                let waiter = Thread {
                    var fds = [
                        pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                        pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
                    ]
                    while poll(&fds, 2, -1) < 0 && errno == EINTR {}
                    close(wakeRead)
                    continuation.resume(returning: fds[1].revents == 0)
                }
                waiter.name = "skald pipe wait"
                waiter.start()
            }
        } onCancel: {
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
        guard ready, !Task.isCancelled else {
            close(fd)
            throw CancellationError()
        }
        // Blocking reads from now on, as for a file (a read that finds no bytes waits for them).
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// `open(path, O_RDONLY | O_NONBLOCK)`: returns at once, a writer or not.
    private static func openWithoutWaiting(_ path: String) -> Int32 {
        #if canImport(Glibc)
            Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        #else
            Darwin.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        #endif
    }
}
