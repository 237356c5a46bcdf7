import Archive
import ConsoleKitTerminal
import DiscordModels
import Foundation
import Synchronization

/// Shows an archive run: on a terminal, a live board (a bar per guild, a line per running channel with counts and
/// rate), redrawn a few times a second; in a pipe or CI, plain `key=value` lines.
final class ArchiveConsoleObserver: ArchiveObserver, Sendable {
    private struct ChannelState {
        var label: String
        var stored = 0
        var started: Date
    }

    private struct GuildState {
        var name: String
        var planned = 0
        var done = 0
    }

    private struct State {
        var guilds: [Snowflake<Guild>: GuildState] = [:]
        var guildOrder: [Snowflake<Guild>] = []
        var channelGuild: [Snowflake<Channel>: Snowflake<Guild>] = [:]
        var running: [Snowflake<Channel>: ChannelState] = [:]
        var stored = 0
        var media = 0
        var drawnLines = 0
        var lastPlainProgress = Date.distantPast
    }

    private let mode: OutputMode
    private let terminal = Terminal()
    private let started = Date()
    private let state = Mutex(State())

    /// Messages stored so far in this run.
    var storedMessages: Int { state.withLock { $0.stored } }

    init(mode: OutputMode) {
        self.mode = mode
        if !mode.colors { terminal.stylizedOutputOverride = false }
    }

    func archive(_ event: ArchiveEvent) {
        switch event {
        case .guildStarted(let account, let guild, let name):
            state.withLock {
                $0.guilds[guild] = GuildState(name: name)
                $0.guildOrder.append(guild)
            }
            line("guild", ["id": "\(guild)", "name": name, "account": account], style: .info)
        case .guildPlanned(let guild, let channels, let threads, let skipped):
            state.withLock { $0.guilds[guild]?.planned = channels + threads }
            line(
                "planned",
                ["guild": "\(guild)", "channels": "\(channels)", "threads": "\(threads)", "skipped": "\(skipped)"])
        case .channelStarted(let guild, let channel, let label):
            state.withLock {
                $0.running[channel] = ChannelState(label: label, started: Date())
                $0.channelGuild[channel] = guild
            }
        case .pageStored(let channel, let messages, _):
            let now = Date()
            let report: (Int, Double)? = state.withLock {
                $0.running[channel]?.stored += messages
                $0.stored += messages
                guard !mode.isInteractive, now.timeIntervalSince($0.lastPlainProgress) >= 5 else { return nil }
                $0.lastPlainProgress = now
                return ($0.stored, Double($0.stored) / max(now.timeIntervalSince(started), 0.001))
            }
            if let (total, rate) = report {
                line("progress", ["messages": "\(total)", "rate": String(format: "%.0f/s", rate)])
            }
        case .channelFinished(let channel, let stored):
            let label = state.withLock { state -> String? in
                let label = state.running.removeValue(forKey: channel)?.label
                if let guild = state.channelGuild[channel] { state.guilds[guild]?.done += 1 }
                return label
            }
            if !mode.isInteractive {
                line("channel", ["id": "\(channel)", "label": label ?? "", "stored": "\(stored)"])
            }
        case .channelSkipped(_, let channel, let label, let reason):
            line("skipped", ["channel": "\(channel)", "label": label, "reason": reason], style: .warning)
        case .channelFailed(_, let channel, let label, let reason):
            state.withLock {
                $0.running.removeValue(forKey: channel)
                if let guild = $0.channelGuild[channel] { $0.guilds[guild]?.done += 1 }
            }
            line("failed", ["channel": "\(channel)", "label": label, "reason": reason], style: .error)
        case .mediaDownloaded(let count, _):
            state.withLock { $0.media = count }
        case .note(let text):
            line("note", ["text": text], style: .warning)
        }
    }

    /// Redraws the live board until cancelled (terminal only).
    func runBoard() async {
        guard mode.isInteractive else { return }
        while !Task.isCancelled {
            draw()
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Removes the live board before the summary is printed.
    func finish() {
        guard mode.isInteractive else { return }
        state.withLock { state in
            terminal.clear(lines: state.drawnLines)
            state.drawnLines = 0
        }
    }

    // MARK: - Drawing

    private func draw() {
        state.withLock { state in
            let elapsed = max(Date().timeIntervalSince(started), 0.001)
            var lines: [ConsoleText] = []
            let rate = Double(state.stored) / elapsed
            lines.append(
                "Archiving".consoleText(.info)
                    + " \(state.stored.formatted()) messages · \(Int(rate).formatted()) msg/s"
                    .consoleText() + (state.media > 0 ? " · \(state.media) files".consoleText() : ""))
            for id in state.guildOrder {
                guard let guild = state.guilds[id] else { continue }
                let fraction = guild.planned == 0 ? 0 : Double(guild.done) / Double(guild.planned)
                lines.append(
                    "  \(Self.bar(fraction)) ".consoleText(.success)
                        + "\(guild.name) \(guild.done)/\(guild.planned) channels".consoleText())
            }
            let width = max(40, terminal.size.width - 2)
            for channel in state.running.values.sorted(by: { $0.started < $1.started }).prefix(8) {
                let seconds = max(Date().timeIntervalSince(channel.started), 0.001)
                let text =
                    "    \(channel.label)  \(channel.stored.formatted()) msgs  \(Int(Double(channel.stored) / seconds))/s"
                lines.append(String(text.prefix(width)).consoleText(color: .brightBlack))
            }
            if state.running.count > 8 {
                lines.append("    … \(state.running.count - 8) more channels".consoleText(color: .brightBlack))
            }
            terminal.clear(lines: state.drawnLines)
            for line in lines { terminal.output(line) }
            state.drawnLines = lines.count
        }
    }

    private static func bar(_ fraction: Double) -> String {
        let width = 24
        let filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded())
        return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    }

    /// One event: a coloured line above the board on a terminal, `event key=value…` in a pipe.
    private func line(_ event: String, _ fields: KeyValuePairs<String, String>, style: ConsoleStyle? = nil) {
        if mode.isInteractive {
            guard style != nil else { return }
            let text = fields.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            state.withLock { state in
                terminal.clear(lines: state.drawnLines)
                state.drawnLines = 0
                terminal.output("\(event) ".consoleText(style ?? .plain) + text.consoleText())
            }
        } else {
            let text = fields.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
            Console.out("\(event) \(text)")
        }
    }

    private static func quote(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" })
            ? "\"" + value.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : value
    }
}
