import AsyncHTTPClient
import Foundation
import NIOCore

/// A network failure in words ("connection refused: nothing listens at 127.0.0.1:9"), and whether retrying it
/// is worth the wait.
enum TransportProblem {
    /// The failure's kind.
    enum Kind: Equatable {
        /// Nothing listens there, or the name does not resolve: the address is wrong or the server is down.
        case unreachable(String)
        /// Any other failure (reset, timeout, TLS, truncated body): worth retrying.
        case transient(String)

        /// The words.
        var text: String {
            switch self {
            case .unreachable(let text), .transient(let text): text
            }
        }
    }

    /// Classifies a transport error.
    static func classify(_ error: any Error) -> Kind {
        if let client = error as? HTTPClientError {
            switch client {
            case .connectTimeout: return .unreachable("the connection timed out")
            case .deadlineExceeded, .readTimeout, .writeTimeout: return .transient("the request timed out")
            case .remoteConnectionClosed: return .transient("the server closed the connection")
            default: break
            }
        }
        if let io = error as? IOError { return classify(errno: io.errnoCode) }
        if "\(type(of: error))" == "NIOConnectionError" {
            return .unreachable("the connection failed (refused, or the host name did not resolve)")
        }
        let text = String(describing: error)
        let lowered = text.lowercased()
        if lowered.contains("connection refused") || lowered.contains("econnrefused") {
            return .unreachable("connection refused (nothing listens there)")
        }
        if lowered.contains("resolve") || lowered.contains("dns") || lowered.contains("nodename") {
            return .unreachable("the host name did not resolve")
        }
        if lowered.contains("reset") { return .transient("the connection was reset") }
        if lowered.contains("tls") || lowered.contains("ssl") || lowered.contains("handshake") {
            return .transient("the TLS handshake failed")
        }
        // Keep the text readable: no nested type dumps with unbalanced parentheses.
        let plain = text.replacingOccurrences(of: "(", with: " ").replacingOccurrences(of: ")", with: " ")
            .split(separator: " ").joined(separator: " ")
        return .transient(plain)
    }

    private static func classify(errno code: Int32) -> Kind {
        switch code {
        case ECONNREFUSED: .unreachable("connection refused (nothing listens there)")
        case EHOSTUNREACH, ENETUNREACH: .unreachable("the host is unreachable")
        case ECONNRESET: .transient("the connection was reset")
        case ETIMEDOUT: .transient("the connection timed out")
        default: .transient(String(cString: strerror(code)).lowercased())
        }
    }
}
