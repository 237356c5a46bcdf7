/// An error starting the fake Fluxer.
public struct FluxerSimulatorError: Error, CustomStringConvertible {
    /// The message.
    public let message: String
    /// A textual representation.
    public var description: String { message }
}
