import ArchiveStore
import DiscordModels
import Foundation
import Live

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A test-only fault point of `skald bot`: with `SKALD_TEST_KILL_AFTER_COMMIT=ID` in the environment, the process
/// kills itself with SIGKILL the moment the live batch holding message ID has committed, before anything else hears
/// of it (the clip saver included): the instant a power cut or the OOM killer may pick, made exact so a test of the
/// real binary can stand there. Without the variable, the observer is the one it wraps.
struct KillAfterCommitObserver: LiveObserver {
    /// The variable that names the message.
    static let variable = "SKALD_TEST_KILL_AFTER_COMMIT"

    let message: Snowflake<Message>
    let next: any LiveObserver

    /// `next`, behind the fault point when the environment names a message.
    static func wrapping(_ next: any LiveObserver) -> any LiveObserver {
        guard let text = ProcessInfo.processInfo.environment[variable], let id = UInt64(text) else { return next }
        return KillAfterCommitObserver(message: Snowflake(id), next: next)
    }

    func live(_ progress: LiveProgress) { next.live(progress) }

    func live(note: String) { next.live(note: note) }

    func live(ready sessionKey: String) { next.live(ready: sessionKey) }

    func live(stored pages: [MessagePage]) {
        if pages.contains(where: { page in page.messages.contains { $0.id == message } }) {
            kill(getpid(), SIGKILL)
        }
        next.live(stored: pages)
    }
}
