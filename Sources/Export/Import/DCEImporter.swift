import ArchiveStore
import DiscordModels
import FileSafety
import Foundation

/// Imports DiscordChatExporter JSON files (2.2x–2.47, pretty or not, BOM or not) into the archive, streaming each
/// file message by message. A file commits in one transaction or not at all: its messages are staged while the
/// file is read and merged by id only once the whole file has parsed.
///
/// Refused, with the file and byte position: a message id that is not a 64-bit snowflake (negative, too large, not
/// a number), and a key repeated in one JSON object (DCE never writes one; which value would be the message's?).
/// A file with no messages is imported (its channel and guild) and reported by `skald import`.
///
/// ```swift
/// let outcomes = try await DCEImporter(store: store).importPaths(["exports/"])
/// ```
public struct DCEImporter: Sendable {
    /// The result of importing one file.
    public struct Outcome: Sendable {
        /// The path.
        public var path: String
        /// Messages read from the file.
        public var messages: Int
        /// What the merge changed; `nil` when the file failed.
        public var result: ImportResult?
        /// Why the file was not imported.
        public var error: String?
    }

    /// The store.
    public let store: any ArchiveStore
    /// Messages staged per store call (one call is written while the next batch is read).
    public var batchSize = 2_000

    /// An importer into `store`.
    public init(store: any ArchiveStore) { self.store = store }

    /// Imports files and folders (folders: every `.json` file below, in name order). A failing file is reported in
    /// its outcome and the others still import.
    public func importPaths(_ paths: [String]) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        for file in try Self.expand(paths) {
            do {
                let (count, result) = try await importFile(file)
                outcomes.append(Outcome(path: file, messages: count, result: result, error: nil))
            } catch let error as ExportError {
                outcomes.append(Outcome(path: file, messages: 0, result: nil, error: error.message))
            }
        }
        return outcomes
    }

    /// The files named by `paths`: files as given, folders searched recursively for `.json` files.
    static func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ExportError.invalidArgument("\(path): no such file or folder")
            }
            if !isDirectory.boolValue {
                files.append(path)
                continue
            }
            let enumerator = FileManager.default.enumerator(atPath: path)
            var found: [String] = []
            while let item = enumerator?.nextObject() as? String {
                if item.lowercased().hasSuffix(".json"), !(item as NSString).lastPathComponent.hasPrefix("."),
                    !item.contains("_state/")
                {
                    found.append((path as NSString).appendingPathComponent(item))
                }
            }
            files += found.sorted()
        }
        return files
    }

    /// Imports one file.
    /// - Returns: the number of messages read and what the merge changed.
    /// - Throws: ``ExportError`` naming the file and, for malformed JSON, the byte position; nothing of the file
    ///   is stored then.
    @discardableResult
    public func importFile(_ path: String) async throws -> (messages: Int, result: ImportResult) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ExportError.io("cannot read \(path): \(FileProblem.describe(errno: errno))")
        }
        defer { try? handle.close() }
        let stage = UUID()
        do {
            let outcome = try await read(JSONStreamReader(handle: handle), path: path, stage: stage)
            return outcome
        } catch let error as ExportError {
            try? await store.discardImport(stage: stage)
            throw ExportError(error.code, "\(path): \(error.message)")
        } catch {
            try? await store.discardImport(stage: stage)
            throw error
        }
    }

    /// What is wrong with a message's `id` that is not a 64-bit snowflake.
    static func idProblem(_ id: JSONNode?) -> String {
        guard let id else { return "has no id" }
        switch id {
        case .string(let text), .number(let text):
            let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
            if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
                if text.hasPrefix("-") { return "has a negative id (\(text)); Discord ids are positive" }
                return "has an id too large for 64 bits (\(text)); Discord ids are at most 18446744073709551615"
            }
            return "has an id that is not a whole number (\(text.prefix(40)))"
        case .null: return "has a null id"
        default: return "has an id that is not a number or a decimal string"
        }
    }

    private func read(_ start: JSONStreamReader, path: String, stage: UUID) async throws
        -> (messages: Int, result: ImportResult)
    {
        var staging = StagingPipeline(store: store, stage: stage)
        do {
            return try await read(start, path: path, stage: stage, staging: &staging)
        } catch {
            // Nothing of the file may be staged after the caller discards the stage.
            await staging.drain()
            throw error
        }
    }

    private func read(
        _ start: JSONStreamReader, path: String, stage: UUID, staging: inout StagingPipeline
    ) async throws -> (messages: Int, result: ImportResult) {
        var reader = start
        var guild: JSONNode?
        var channel: JSONNode?
        var channelId: UInt64?
        var guildId: UInt64?
        var exportedAt: Date?
        var count = 0
        var batch: [ImportedMessage] = []
        var compact: [UInt8] = []
        var sawMessages = false
        try reader.expect(UInt8(ascii: "{"))
        if !reader.consume(UInt8(ascii: "}")) {
            repeat {
                guard reader.peek() == UInt8(ascii: "\"") else {
                    throw ExportError.malformed("expected a member name", at: reader.offset)
                }
                let key = try reader.readString()
                try reader.expect(UInt8(ascii: ":"))
                guard key == "messages" else {
                    let value = try reader.readValue()
                    if key == "guild" {
                        guild = value
                        guildId = value["id"]?.uint64
                    } else if key == "channel" {
                        channel = value
                        channelId = value["id"]?.uint64
                    } else if key == "exportedAt" {
                        exportedAt = value.string.flatMap(DiscordTimestamp.parse)
                    }
                    continue
                }
                sawMessages = true
                let arrayAt = reader.offset
                guard let channelId else {
                    throw ExportError.unsupported(
                        "not a DCE export: no channel id before \"messages\" (byte \(arrayAt))")
                }
                try reader.expect(UInt8(ascii: "["))
                if reader.consume(UInt8(ascii: "]")) { continue }
                repeat {
                    let at = reader.offset
                    // The stored form (compact, DCE's escaping) is written while reading: no tree per message.
                    compact.removeAll(keepingCapacity: true)
                    let facts = try reader.readCompactValue(into: &compact)
                    guard facts.isObject else {
                        throw ExportError.unsupported("the message at byte \(at) is not a JSON object")
                    }
                    guard let id = facts.id?.uint64 else {
                        throw ExportError.unsupported("the message at byte \(at) \(Self.idProblem(facts.id))")
                    }
                    batch.append(
                        ImportedMessage(
                            id: Snowflake(id), channelId: Snowflake(channelId),
                            guildId: guildId.flatMap { $0 == 0 ? nil : Snowflake($0) },
                            timestamp: facts.timestamp, json: Data(compact)))
                    count += 1
                    if batch.count >= batchSize {
                        try await staging.stage(batch)
                        batch = []
                        batch.reserveCapacity(batchSize)
                    }
                } while reader.consume(UInt8(ascii: ","))
                try reader.expect(UInt8(ascii: "]"))
            } while reader.consume(UInt8(ascii: ","))
            try reader.expect(UInt8(ascii: "}"))
        }
        try reader.expectEnd()
        guard let channel, let channelId, sawMessages else {
            throw ExportError.unsupported("not a DCE export: it needs \"channel\" and \"messages\"")
        }
        if !batch.isEmpty { try await staging.stage(batch) }
        try await staging.finish()
        let header = ImportedChannel(
            channelId: Snowflake(channelId), guildId: guildId.flatMap { $0 == 0 ? nil : Snowflake($0) },
            guildJSON: Data(DCEJSONEncoding.compact(guild ?? .null)),
            channelJSON: Data(DCEJSONEncoding.compact(channel)),
            source: path, importedAt: Date(), exportedAt: exportedAt)
        let result = try await store.commitImport(stage: stage, channel: header)
        return (count, result)
    }
}
