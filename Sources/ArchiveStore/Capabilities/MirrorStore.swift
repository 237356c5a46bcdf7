import Foundation

/// What `skald mirror` remembers in the archive: every source object → the target object a write made, so a
/// rerun (after a crash, or after new messages were archived) sends only what is missing.
///
/// A mapping is recorded right after the write that made it, in one transaction with nothing else pending: a
/// message part is "sent" exactly when its row exists.
public protocol MirrorStore: Sendable {
    /// Every mapping recorded for `target` (e.g. `fluxer:<guild id>`).
    func mirrorMappings(target: String) async throws -> [MirrorMapping]

    /// Records one mapping (replacing a row with the same target, kind, source id and part).
    func recordMirrorMapping(_ mapping: MirrorMapping) async throws

    /// The mappings of `target` that are neither message parts (`message:…`) nor pins (`pin:…`): roles, channels,
    /// webhooks, emojis, stickers and intents, few whatever the guild's size.
    func mirrorObjectMappings(target: String) async throws -> [MirrorMapping]

    /// The mappings of `target` of `kind` whose source id is in `sourceIds` (one batch of messages), by source
    /// id and part.
    func mirrorMappings(target: String, kind: String, sourceIds: ClosedRange<UInt64>) async throws
        -> [MirrorMapping]

    /// The `limit` mappings of `target` of `kind` recorded last, newest first.
    func latestMirrorMappings(target: String, kind: String, limit: Int) async throws -> [MirrorMapping]
}

extension MirrorStore {
    /// See ``MirrorStore/mirrorObjectMappings(target:)`` (by filtering every mapping; backends query instead).
    public func mirrorObjectMappings(target: String) async throws -> [MirrorMapping] {
        try await mirrorMappings(target: target).filter { !$0.kind.hasPrefix("message:") && !$0.kind.hasPrefix("pin:") }
    }

    /// See ``MirrorStore/mirrorMappings(target:kind:sourceIds:)`` (by filtering every mapping).
    public func mirrorMappings(target: String, kind: String, sourceIds: ClosedRange<UInt64>) async throws
        -> [MirrorMapping]
    {
        try await mirrorMappings(target: target).filter { $0.kind == kind && sourceIds.contains($0.sourceId) }
    }

    /// See ``MirrorStore/latestMirrorMappings(target:kind:limit:)`` (by filtering every mapping).
    public func latestMirrorMappings(target: String, kind: String, limit: Int) async throws -> [MirrorMapping] {
        let rows = try await mirrorMappings(target: target).filter { $0.kind == kind }
        return Array(
            rows.sorted { ($0.createdAt ?? .distantPast, $0.targetId) > ($1.createdAt ?? .distantPast, $1.targetId) }
                .prefix(limit))
    }
}

/// One source id → target id of a mirror (see ``MirrorStore``).
public struct MirrorMapping: Sendable, Hashable, Codable {
    /// The target: kind of service and its guild, e.g. `fluxer:1234`.
    public var target: String
    /// What was made: `role`, `channel`, `webhook`, or `message:<source channel id>` (messages are identified
    /// by channel and id).
    public var kind: String
    /// The source id (a role, channel or message of the archive).
    public var sourceId: UInt64
    /// For messages split in parts, the part's index; 0 otherwise.
    public var part: Int
    /// The target id of what the write made.
    public var targetId: UInt64
    /// Anything else the target gave that is needed later (a webhook's token).
    public var extra: String?
    /// When the mapping was recorded (set by the store; `nil` on a mapping not read from one). A rerun paces its
    /// first writes by it: the writes of a killed run still count against the target's rate limits.
    public var createdAt: Date?

    /// Makes a mapping.
    public init(
        target: String, kind: String, sourceId: UInt64, part: Int = 0, targetId: UInt64, extra: String? = nil,
        createdAt: Date? = nil
    ) {
        self.createdAt = createdAt
        self.target = target
        self.kind = kind
        self.sourceId = sourceId
        self.part = part
        self.targetId = targetId
        self.extra = extra
    }
}
