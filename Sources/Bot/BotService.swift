import Live
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Live capture (one ``LiveCapture`` per shard) and the ``ClipSaver`` as one service: a graceful shutdown
/// (SIGINT/SIGTERM) stops the captures, which commit what they received, then the saver records the clips of
/// everything committed, then the service returns.
public struct BotService: Service {
    let captures: [LiveCapture]
    let saver: ClipSaver
    /// What a capture threw, if anything.
    public let failure = NIOLockedValueBox<(any Error)?>(nil)

    /// A service running `captures` feeding `saver` (their observers must be ``BotObserver``s over it).
    public init(captures: [LiveCapture], saver: ClipSaver) {
        self.captures = captures
        self.saver = saver
    }

    /// Runs until a graceful shutdown or a capture fails for good.
    public func run() async throws {
        let saving = Task { await saver.run() }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for live in captures {
                    group.addTask {
                        do {
                            _ = try await live.run()
                        } catch {
                            failure.withLockedValue { $0 = $0 ?? error }
                            for other in captures { other.stop() }
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            for live in captures { live.stop() }
        }
        saver.finish()
        await saving.value
    }
}
