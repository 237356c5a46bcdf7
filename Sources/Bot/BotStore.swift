import ArchiveStore

/// Everything `skald bot` asks of an archive: the archive itself, live capture, clips and the bot's own state.
public typealias BotStore = ArchiveStore & LiveCaptureStore & ClipStore & BotStateStore
