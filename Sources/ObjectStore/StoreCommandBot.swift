import ArchiveStore
import AsyncHTTPClient
import DiscordGateway
import DiscordModels
import DiscordREST
import Foundation
import Logging

/// Answers the store's commands (``StoreBotCommand``) typed in one channel: it listens on the gateway for new
/// messages there, runs each command with an ``ObjectStoreEngine`` and posts the answer back to the channel.
///
/// ```swift
/// let bot = StoreCommandBot(engine: engine, token: token, channel: channel, outFolder: "downloads")
/// try await bot.run()   // until bot.stop()
/// ```
public struct StoreCommandBot: Sendable {
    let engine: ObjectStoreEngine
    let token: String
    let channel: Snowflake<DiscordModels.Channel>
    let outFolder: String
    let uploadFolder: String?
    let passphrase: String?
    /// Who may use the commands (``StoreCommandAccess``).
    let access: StoreCommandAccess
    let logger: Logger
    private let stops: AsyncStream<Void>
    private let stopper: AsyncStream<Void>.Continuation
    /// Called with each answer after it is posted (and once the gateway session is ready, with `nil`).
    public var onAnswer: @Sendable (String?) -> Void = { _ in }

    /// A bot for `channel` with the engine's account (`token` identifies on the gateway); downloads go to
    /// `outFolder`; `!upload` without attachments puts the files of `uploadFolder`. Only those `access` allows
    /// (by default the server's owner and administrators) are answered.
    public init(
        engine: ObjectStoreEngine, token: String, channel: Snowflake<DiscordModels.Channel>,
        outFolder: String, uploadFolder: String? = nil, passphrase: String? = nil,
        access: StoreCommandAccess = StoreCommandAccess(), logger: Logger = Logger(label: "skald.store.bot")
    ) {
        self.access = access
        self.engine = engine
        self.token = token
        self.channel = channel
        self.outFolder = outFolder
        self.uploadFolder = uploadFolder
        self.passphrase = passphrase
        self.logger = logger
        (stops, stopper) = AsyncStream.makeStream(of: Void.self)
    }

    /// Asks ``run()`` to close the gateway and return.
    public func stop() { stopper.yield() }

    /// Connects to the gateway (`GET /gateway/bot` for its address) and answers commands until ``stop()``; first
    /// refuses a channel where no command could ever be answered (``checkChannel()``).
    public func run() async throws {
        let gate = StoreCommandGate(access: access, client: engine.client, guild: try await checkChannel().guildId)
        let gatewayURL = try await engine.client.gatewayBot().value.url
        var configuration = GatewayClientConfiguration(token: token, gatewayURL: gatewayURL)
        configuration.intents = [.guilds, .guildMessages, .messageContent]
        let gateway = GatewayClient(configuration: configuration, logger: logger)
        let stops = self.stops
        let stopTask = Task {
            for await _ in stops {
                gateway.stop()
                return
            }
        }
        defer { stopTask.cancel() }
        try await gateway.run(resume: nil) { event in
            switch event {
            case .ready: onAnswer(nil)
            case .dispatch(let dispatch) where dispatch.name == "MESSAGE_CREATE":
                guard let data = JSONScanner.member("d", in: dispatch.frame),
                    let message = try? Decoded<DiscordModels.Message>(decoding: data).value,
                    message.channelId == channel, message.author?.bot != true,
                    let command = StoreBotCommand.parse(message.content), let author = message.author?.id
                else { return }
                let answer: String
                switch await gate.verdict(user: author, roles: message.member?.roles ?? []) {
                case .run: answer = await self.answer(command, attachments: message.attachments)
                case .refuse(let refusal): answer = refusal
                case .ignore: return
                }
                do {
                    _ = try await engine.client.createMessage(in: channel, Self.reply(answer))
                } catch {
                    logger.error("the answer could not be posted", metadata: ["error": "\(error)"])
                }
                onAnswer(answer)
            default: break
            }
        }
    }

    /// Throws unless the bot can see `channel`, people can type in it, and the bot can read its messages: before,
    /// a channel the bot could not see, an unknown id or a category printed "ready" and answered nothing, for ever.
    @discardableResult
    public func checkChannel() async throws -> DiscordModels.Channel {
        let found: DiscordModels.Channel
        do {
            found = try await engine.client.channel(channel).value
            _ = try await engine.client.messagePage(in: channel, limit: 1)
        } catch let error as DiscordRESTError where error.status == 403 || error.status == 404 {
            let answer = "HTTP \(error.status ?? 0), code \(error.discordCode ?? 0) \"\(error.discordMessage ?? "")\""
            throw ObjectStoreError(
                error.status == 404
                    ? "channel \(channel) is unknown to this bot (\(answer)): check --channel, and that the bot was "
                        + "invited to its server"
                    : "the bot cannot read channel \(channel) (\(answer)): give it View Channel, Read Message History "
                        + "and Send Messages there (and the Message Content intent), then start it again")
        }
        switch found.type {
        case .guildCategory, .guildForum, .guildMedia, .guildDirectory:
            throw ObjectStoreError(
                "channel \(channel) (\(found.name ?? "unnamed")) is a \(Self.kind(of: found.type)), where no one types "
                    + "commands: pass a text channel (or a thread) as --channel")
        default:
            return found
        }
    }

    static func kind(of type: ChannelType) -> String {
        switch type {
        case .guildCategory: "category"
        case .guildForum: "forum"
        case .guildMedia: "media channel"
        default: "directory"
        }
    }

    /// The longest answer posted, in characters (Discord's limit is 2,000).
    public static let answerLimit = 1900

    /// The message that posts `answer`: cut at a line within ``answerLimit`` characters, saying how many lines were
    /// left out, and mentioning nobody (an object's name or a key typed in a command may hold `@everyone` or
    /// `<@id>`, which the answer repeats).
    public static func reply(_ answer: String) -> MessageCreate {
        var content = answer
        if answer.count > answerLimit {
            let lines = answer.split(separator: "\n", omittingEmptySubsequences: false)
            var kept: [Substring] = []
            var length = 0
            for line in lines {
                // Room for the note on the lines left out.
                guard length + line.count + 1 <= answerLimit - 60 else { break }
                kept.append(line)
                length += line.count + 1
            }
            if kept.isEmpty { kept = [lines[0].prefix(answerLimit - 60)] }
            let left = lines.count - kept.count
            content =
                kept.joined(separator: "\n")
                + (left > 0 ? "\n… and \(left) more lines (`skald store ls` lists them all)" : "…")
        }
        var message = MessageCreate(content: content)
        message.allowedMentions = AllowedMentions.none
        return message
    }

    /// The answer to `command` (errors become answers: the bot keeps running).
    public func answer(_ command: StoreBotCommand, attachments: [DiscordModels.Attachment] = []) async -> String {
        do {
            return try await execute(command, attachments: attachments)
        } catch {
            return "error: " + Self.inWords(error)
        }
    }

    /// An error as a channel's reader reads it: an encrypted object needs the key the bot was started with.
    static func inWords(_ error: any Error) -> String {
        guard let error = error as? ObjectStoreError else { return "\(error)" }
        guard case .keyMissing(let object) = error.reason else { return error.message }
        return "\(object) is encrypted and this bot runs without its key: whoever runs `skald store serve-commands` "
            + "must restart it with --passphrase-env or --key-file"
    }

    func execute(_ command: StoreBotCommand, attachments: [DiscordModels.Attachment]) async throws -> String {
        let entries = try await engine.catalogue.catalogueObjects()
        switch command {
        case .help:
            return StoreBotCommand.helpText
        case .unknown(let word):
            return "unknown command \(word). " + StoreBotCommand.helpText
        case .list:
            let live = entries.filter { $0.state != .removed }
            guard !live.isEmpty else { return "the store is empty" }
            return live.map { "\($0.archiveId)  \($0.state.rawValue)  \($0.size) bytes  \($0.name)" }
                .joined(separator: "\n")
        case .status:
            let complete = entries.filter { $0.state == .complete }
            let uploading = entries.filter { $0.state == .uploading }
            return "objects: \(complete.count) complete (\(complete.reduce(0) { $0 + $1.size }) bytes), "
                + "\(uploading.count) incomplete, \(entries.count - complete.count - uploading.count) removed"
        case .history(nil):
            return "usage: !history [N], N a number of uploads from 1 to 50 (5 without N)"
        case .history(let count?):
            guard !entries.isEmpty else { return "no uploads yet" }
            return entries.suffix(count).reversed()
                .map { "\($0.archiveId)  \(DiscordTimestamp.format($0.createdAt))  \($0.state.rawValue)  \($0.name)" }
                .joined(separator: "\n")
        case .verify(let key):
            let targets = try Self.targets(key, in: entries, otherwise: .complete)
            var lines: [String] = []
            for entry in targets {
                do {
                    try await engine.verify(entry, passphrase: passphrase)
                    lines.append("ok  \(entry.archiveId)  \(entry.name)")
                } catch let error as ObjectStoreError {
                    lines.append("DAMAGED  \(Self.inWords(error))")
                }
            }
            return lines.isEmpty ? "nothing to verify" : lines.joined(separator: "\n")
        case .resume(let key):
            let targets = try Self.targets(key, in: entries, otherwise: .uploading)
            var lines: [String] = []
            for entry in targets {
                // Each upload on its own line: one that cannot finish does not hide what the others did.
                do {
                    let done = try await engine.resume(entry, passphrase: passphrase)
                    lines.append("\(done.archiveId)  \(done.state.rawValue)  \(done.name)")
                } catch {
                    lines.append("FAILED  \(entry.archiveId)  \(entry.name): " + Self.inWords(error))
                }
            }
            return lines.isEmpty ? "no incomplete uploads" : lines.joined(separator: "\n")
        case .download(let keys):
            guard !keys.isEmpty else { return "usage: !download #ARCHIVE [#ARCHIVE2…]" }
            var lines: [String] = []
            for key in keys {
                // Each key on its own line: a failed one does not hide the files already written.
                do {
                    let entry = try Self.find(key, in: entries)
                    let path = try await engine.get(entry, into: outFolder, passphrase: passphrase)
                    lines.append("\(entry.archiveId)  \(entry.name)  → \(path)")
                } catch {
                    lines.append("error: " + Self.inWords(error))
                }
            }
            return lines.joined(separator: "\n")
        case .upload:
            if attachments.isEmpty, let uploadFolder { return try await uploadFiles(in: uploadFolder, entries) }
            guard !attachments.isEmpty else { return "attach the files to upload to the `!upload` message" }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("skald-upload-\(UUID())").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            var lines: [String] = []
            for (index, attachment) in attachments.enumerated() {
                let path = (folder as NSString).appendingPathComponent("\(index)")
                try await download(attachment.url, to: path)
                // Discord sends a bare file name; a name with folders in it is kept by its last part.
                let name = attachment.filename.split(separator: "/").last.map(String.init) ?? "attachment-\(index)"
                let entry = try await engine.put(
                    path: path, channel: channel, name: name == ".." || name == "." ? "attachment-\(index)" : name,
                    passphrase: passphrase)
                lines.append("\(entry.archiveId)  \(entry.name)  \(entry.size) bytes")
            }
            return lines.joined(separator: "\n")
        }
    }

    /// `!upload` without attachments: every file below `folder` becomes an object named by its path there, except
    /// those already stored whole under that name with the same SHA-256 (so asking again uploads only what is new
    /// or changed). The files stay where they are.
    func uploadFiles(in folder: String, _ entries: [CatalogueObject]) async throws -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            return "the upload folder \(folder) does not exist: put files there, or attach them to `!upload`"
        }
        let names = (FileManager.default.subpaths(atPath: folder) ?? []).sorted().filter { name in
            var isFolder: ObjCBool = false
            let path = (folder as NSString).appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
                && !(name as NSString).lastPathComponent.hasPrefix(".")
        }
        guard !names.isEmpty else { return "the upload folder \(folder) is empty: put files there, or attach them" }
        var lines: [String] = []
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name)
            let sha256 = try ObjectStoreEngine.sha256(ofFile: path)
            if let kept = entries.last(where: {
                $0.name == name && $0.state == .complete
                    && ObjectManifest.decode(Data($0.manifestJSON.utf8))?.sha256 == sha256
            }) {
                lines.append("\(kept.archiveId)  \(name)  already stored")
                continue
            }
            let entry = try await engine.put(path: path, channel: channel, name: name, passphrase: passphrase)
            lines.append("\(entry.archiveId)  \(entry.name)  \(entry.size) bytes")
        }
        return lines.joined(separator: "\n")
    }

    /// Streams a CDN file to `path`.
    func download(_ url: String, to path: String) async throws {
        let response = try await engine.http.execute(HTTPClientRequest(url: url), timeout: .seconds(300))
        guard response.status == .ok else {
            throw ObjectStoreError("the attachment could not be fetched (the CDN answered \(response.status.code))")
        }
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw ObjectStoreError("cannot write \(path)") }
        defer { try? handle.close() }
        for try await buffer in response.body { try handle.write(contentsOf: Data(buffer.readableBytesView)) }
    }

    /// The entry `key` names (``CatalogueSelection/find(_:in:listing:)``).
    static func find(_ key: String, in entries: [CatalogueObject]) throws -> CatalogueObject {
        try CatalogueSelection.find(key, in: entries, listing: "`!ls`")
    }

    static func targets(
        _ key: String?, in entries: [CatalogueObject], otherwise state: CatalogueObject.State
    ) throws -> [CatalogueObject] {
        try CatalogueSelection.targets(key, in: entries, otherwise: state, listing: "`!ls`")
    }
}
