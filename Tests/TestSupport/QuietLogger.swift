import Logging

/// The logger the tests hand the code under test: only critical messages, so a test's output is its own.
public enum QuietLogger {
    /// A logger labelled `label` at level `critical`.
    public static func make(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = .critical
        return logger
    }
}
