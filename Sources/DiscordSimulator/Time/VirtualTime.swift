import Foundation
import Synchronization

/// A simulator time that moves only when told to (tests): hand ``clock`` to ``SimulatorConfiguration/clock``.
public final class VirtualTime: Sendable {
    private let seconds: Mutex<Double>

    /// Starts at `start` seconds since the Unix epoch (default: the wall clock now, so signed URLs look real).
    public init(start: Double = Date().timeIntervalSince1970) { seconds = Mutex(start) }

    /// The current virtual time in seconds since the Unix epoch.
    public var now: Double { seconds.withLock { $0 } }

    /// Moves time forward.
    public func advance(by duration: Duration) {
        let components = duration.components
        let delta = Double(components.seconds) + Double(components.attoseconds) / 1e18
        seconds.withLock { $0 += delta }
    }

    /// A ``SimulatorClock`` reading this time.
    public var clock: SimulatorClock { SimulatorClock { [self] in self.now } }
}
