/// A step that should have ended did not within its ``TestDeadline``: the test fails with this error and leaves the
/// step behind, instead of hanging the test process (a time limit cannot end a step that does not observe its task's
/// cancellation, or that runs in a task of its own).
public struct HangDetected: Error, CustomStringConvertible {
    /// What did not end, and within how long.
    public var description: String

    /// A hang of the step `description` tells.
    public init(_ description: String) {
        self.description = description
    }
}
