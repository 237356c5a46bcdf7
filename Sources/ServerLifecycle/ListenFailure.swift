import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A server that could not start listening (`serve`, `sim`, `fluxer-sim`, the bot's `--http`), in words: the
/// address, the cause, and what to do for the common causes (the port taken, a privileged port, an address that is
/// not this machine's, a host name that does not resolve). Without it the user saw NIO's
/// `bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)`.
public struct ListenFailure: Error, Sendable, CustomStringConvertible {
    /// The host the server was asked to bind.
    public let host: String
    /// The port it was asked to bind (0: any free port).
    public let port: Int
    /// The cause in words, with what to do.
    public let reason: String

    /// `error` as a listen failure when it is one (binding the socket or resolving its host failed), else `nil`.
    public init?(_ error: any Error, host: String, port: Int) {
        self.host = host
        self.port = port
        if let io = error as? IOError, io.description.hasPrefix("bind(") {
            reason = Self.explain(errno: io.errnoCode, io)
        } else if error is SocketAddressError.UnknownHost {
            reason = "the host name does not resolve; check the host (127.0.0.1 for loopback, 0.0.0.0 for all)"
        } else if let address = error as? SocketAddressError, case .unknown = address {
            reason = "the host name does not resolve; check the host (127.0.0.1 for loopback, 0.0.0.0 for all)"
        } else {
            return nil
        }
    }

    /// `error`, which stopped a server on `host:port` before it listened, in words: the listen failure's when it is
    /// one, else the error's own.
    public static func describe(_ error: any Error, host: String, port: Int) -> String {
        ListenFailure(error, host: host, port: port)?.description ?? "could not start on \(host):\(port): \(error)"
    }

    /// The cause of a failed bind in words.
    private static func explain(errno code: Int32, _ error: IOError) -> String {
        switch code {
        case EADDRINUSE:
            "the address is already in use (another program listens there); choose another port, or port 0 for a "
                + "free one"
        case EACCES:
            "permission denied (ports below 1024 need privileges); choose a port above 1023, or port 0 for a free one"
        case EADDRNOTAVAIL:
            "the address is not one of this machine's; check the host (127.0.0.1 for loopback, 0.0.0.0 for all)"
        default:
            "\(error)"
        }
    }

    /// `cannot listen on HOST:PORT: <the reason and what to do>`.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "cannot listen on \(shownHost):\(port): \(reason)"
    }
}
