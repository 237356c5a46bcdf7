/// A job that could not run.
public struct JobError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// Makes one.
    public init(message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
