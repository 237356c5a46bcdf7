/// An error starting the simulator.
public struct SimulatorError: Error, CustomStringConvertible {
    /// The message.
    public let message: String
    /// A textual representation.
    public var description: String { message }
}
