#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A plain TCP connection to a server on this machine, for tests that play a client doing what no HTTP library
/// does on purpose: connecting and sending nothing, or half a request.
public enum LoopbackSocket {
    /// Connects to `127.0.0.1:port` and returns the (blocking) descriptor; the caller closes it.
    public static func connect(port: Int) throws -> Int32 {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw LoopbackSocketFailed(port: port, code: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                #if canImport(Glibc)
                    Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #else
                    Darwin.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #endif
            }
        }
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw LoopbackSocketFailed(port: port, code: code)
        }
        return descriptor
    }

    /// Writes all of `text` (a request, or the start of one).
    public static func send(_ text: String, on descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            bytes = bytes.dropFirst(written)
        }
    }
}

/// A loopback connection could not be made.
public struct LoopbackSocketFailed: Error, CustomStringConvertible {
    /// The port tried.
    public var port: Int
    /// The `errno` value.
    public var code: Int32
    /// What failed.
    public var description: String { "connecting to 127.0.0.1:\(port) failed (errno \(code))" }
}
