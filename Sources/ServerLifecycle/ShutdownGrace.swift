/// How long our servers let requests in flight finish once a graceful shutdown started, when nothing else is said:
/// 10 s, more than any answer of ours takes and less than the 30 s a process supervisor commonly waits before
/// SIGKILL. The simulators', the fake Fluxer's and `serve`'s configurations start from it.
public enum ShutdownGrace {
    /// The grace period when nothing else is said.
    public static let standard: Duration = .seconds(10)
}
