import NIOCore

/// How long a test waits for one step before calling it hung. Tests wait on events, not on time: these deadlines only
/// tell a hang from a slow machine, so they are generous. With the whole suite running in parallel on two cores,
/// every in-process server shares the machine with a hundred other tests, and an answer that takes milliseconds
/// alone can take tens of seconds.
public enum TestDeadline {
    /// An HTTP request a test sends to a server in its own process (the simulator's admin routes, a download).
    public static let request: TimeAmount = .minutes(5)

    /// A request of a REST client a test points at a server in its own process (`DiscordClientConfiguration`'s
    /// `requestTimeout`, 30 s by default). The simulator's faults end their connection at once, so no test needs a
    /// short timeout to recover; a short one only turns a slow answer into a retry (and a page fetched twice).
    public static let clientRequest: Duration = .seconds(300)

    /// Connecting to the test PostgreSQL server.
    public static let connect: Duration = .seconds(60)

    /// A server in this process stopping (``finishes(within:_:)``): its idle connections close at once, so only a
    /// hang comes near this.
    public static let shutdown: Duration = .seconds(120)
}
