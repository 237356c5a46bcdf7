import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who holds a job's lease, as the lease records it: `host:pid:random`. A lease outlives a process killed during its
/// job (SIGKILL, a crash, the power) until it expires, hours later; a holder on this host whose process no longer
/// runs is known to be gone, so its lease is taken over at once instead.
///
/// ```swift
/// let holder = JobLeaseHolder.current()                  // "host:4242:1a2b3c4d"
/// JobLeaseHolder.isGone("host:999999:0badf00d")          // true when no process 999999 runs on this host
/// ```
public enum JobLeaseHolder {
    /// This process: its host name, process id and a random part (two runs never share a holder).
    public static func current() -> String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):"
            + UUID().uuidString.prefix(8).lowercased()
    }

    /// Whether `holder` is a process of this host that no longer runs (another host's, or one that cannot be read,
    /// is never taken for gone: its lease expires as before).
    public static func isGone(_ holder: String) -> Bool {
        let parts = holder.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 3, let pid = Int32(parts[parts.count - 2]), pid > 0,
            parts.dropLast(2).joined(separator: ":") == ProcessInfo.processInfo.hostName,
            pid != ProcessInfo.processInfo.processIdentifier
        else { return false }
        return kill(pid, 0) == -1 && errno == ESRCH
    }
}
