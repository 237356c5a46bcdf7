import NIOCore

/// How long a test waits for one step before calling it hung. Tests wait on events, not on time: these deadlines only
/// tell a hang from a slow machine, so they are generous. With the whole suite running in parallel on two cores,
/// every in-process server shares the machine with a hundred other tests, and an answer that takes milliseconds
/// alone can take tens of seconds.
public enum TestDeadline {
    /// An HTTP request a test sends to a server in its own process (the simulator's admin routes, a download).
    public static let request: TimeAmount = .minutes(5)

    /// Connecting to the test PostgreSQL server.
    public static let connect: Duration = .seconds(60)
}
