import Archive
import ConsoleKitTerminal
import DiscordModels
import Foundation
import Synchronization

/// Shows an archive run: on a terminal, a live board (a bar per guild, a line per running channel with counts and
/// rate), redrawn a few times a second, with what happens above it as sentences (``EventReport``); in a pipe or CI,
/// plain `key=value` lines.
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
    private var terminal: Terminal { Console.terminal }
    private let started = Date()
    private let state = Mutex(State())

    /// Messages stored so far in this run.
    var storedMessages: Int { state.withLock { $0.stored } }

    init(mode: OutputMode) {
        self.mode = mode
    }

    func archive(_ event: ArchiveEvent) {
        switch event {
        case .guildStarted(let account, let guild, let name):
            state.withLock {
                $0.guilds[guild] = GuildState(name: name)
                $0.guildOrder.append(guild)
            }
            report(
                EventReport(
                    event: "guild", fields: ["id": "\(guild)", "name": name, "account": account],
                    sentence: "\(name): reading its channels as \(account)", style: .info))
        case .guildPlanned(let guild, let channels, let threads, let skipped):
            state.withLock { $0.guilds[guild]?.planned = channels + threads }
            report(
                EventReport(
                    event: "planned",
                    fields: [
                        "guild": "\(guild)", "channels": "\(channels)", "threads": "\(threads)",
                        "skipped": "\(skipped)",
                    ]))
        case .channelStarted(let guild, let channel, let label):
            state.withLock {
                $0.running[channel] = ChannelState(label: label, started: Date())
                $0.channelGuild[channel] = guild
            }
        case .pageStored(let channel, let messages, _):
            let now = Date()
            let progress: (Int, Double)? = state.withLock {
                $0.running[channel]?.stored += messages
                $0.stored += messages
                guard !mode.isInteractive, now.timeIntervalSince($0.lastPlainProgress) >= 5 else { return nil }
                $0.lastPlainProgress = now
                return ($0.stored, Double($0.stored) / max(now.timeIntervalSince(started), 0.001))
            }
            if let (total, rate) = progress {
                report(
                    EventReport(
                        event: "progress", fields: ["messages": "\(total)", "rate": String(format: "%.0f/s", rate)]))
            }
        case .channelFinished(let channel, let stored):
            let label = state.withLock { state -> String? in
                let label = state.running.removeValue(forKey: channel)?.label
                if let guild = state.channelGuild[channel] { state.guilds[guild]?.done += 1 }
                return label
            }
            report(
                EventReport(
                    event: "channel", fields: ["id": "\(channel)", "label": label ?? "", "stored": "\(stored)"]))
        case .channelSkipped(let guild, let channel, let label, let reason):
            let sentence = "\(guildName(guild)): skipping \(label) — \(EventReport.describe(skipReason: reason))"
            report(
                EventReport(
                    event: "skipped", fields: ["channel": "\(channel)", "label": label, "reason": reason],
                    sentence: sentence, style: .warning))
        case .channelFailed(let guild, let channel, let label, let reason):
            state.withLock {
                $0.running.removeValue(forKey: channel)
                if let guild = $0.channelGuild[channel] { $0.guilds[guild]?.done += 1 }
            }
            report(
                EventReport(
                    event: "failed", fields: ["channel": "\(channel)", "label": label, "reason": reason],
                    sentence: "\(guildName(guild)): \(label) failed — \(reason)", style: .error))
        case .mediaDownloaded(let count, _):
            state.withLock { $0.media = count }
        case .note(let text):
            report(EventReport(event: "note", fields: ["text": text], sentence: "Note: \(text)", style: .warning))
        }
    }

    /// The name the guild was announced with, else its id.
    private func guildName(_ guild: Snowflake<Guild>) -> String {
        state.withLock { $0.guilds[guild]?.name } ?? "guild \(guild)"
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
            for line in lines { terminal.output(mode.forOutput(line)) }
            state.drawnLines = lines.count
        }
    }

    private static func bar(_ fraction: Double) -> String {
        let width = 24
        let filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded())
        return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    }

    /// One report: its sentence above the board on a terminal (if it has one), its `key=value` line in a pipe.
    private func report(_ report: EventReport) {
        guard let text = report.render(for: mode) else { return }
        guard mode.isInteractive else { return Console.out(text.description) }
        state.withLock { state in
            terminal.clear(lines: state.drawnLines)
            state.drawnLines = 0
            terminal.output(text)
        }
    }
}
