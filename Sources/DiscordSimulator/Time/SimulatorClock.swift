import Foundation

/// Where the simulator reads the time: rate-limit windows, the hidden limit, bans and signed-URL expiry.
///
/// The default reads the wall clock; tests pass ``VirtualTime/clock`` so windows and bans pass without waiting.
///
/// ```swift
/// let time = VirtualTime()
/// var config = SimulatorConfiguration()
/// config.clock = time.clock
/// time.advance(by: .seconds(5))   // every window of 5 s has reset
/// ```
public struct SimulatorClock: Sendable {
    private let read: @Sendable () -> Double

    /// A clock reading `read` (seconds since the Unix epoch).
    public init(_ read: @escaping @Sendable () -> Double) { self.read = read }

    /// The wall clock.
    public static let system = SimulatorClock { Date().timeIntervalSince1970 }

    /// Seconds since the Unix epoch.
    public func now() -> Double { read() }
}
