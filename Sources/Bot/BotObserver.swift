import ArchiveStore
import Live

/// The bot's live observer: hands committed pages to the ``ClipSaver``, starts its catch-up scan, and passes
/// everything on to the console's observer.
public struct BotObserver: LiveObserver {
    let saver: ClipSaver
    let next: any LiveObserver

    /// An observer feeding `saver` and then `next`.
    public init(saver: ClipSaver, next: any LiveObserver) {
        self.saver = saver
        self.next = next
    }

    /// Passes the counters on.
    public func live(_ progress: LiveProgress) { next.live(progress) }

    /// Passes the note on; "caught up" starts a clip scan of what the gap fill stored.
    public func live(note: String) {
        if note.hasPrefix("caught up") { saver.caughtUp() }
        next.live(note: note)
    }

    /// Passes it on.
    public func live(ready sessionKey: String) { next.live(ready: sessionKey) }

    /// Hands the pages to the saver.
    public func live(stored pages: [MessagePage]) {
        saver.stored(pages)
        next.live(stored: pages)
    }
}
