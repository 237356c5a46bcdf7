import ArchiveStore
import Foundation
import PostgresNIO

extension PostgresArchiveStore: MirrorStore {
    /// See ``MirrorStore/mirrorMappings(target:)``.
    public func mirrorMappings(target: String) async throws -> [MirrorMapping] {
        try await read("read the mirror map of \(target)") { connection in
            try await Self.decodeMirror(
                connection.query(
                    """
                    SELECT kind, source_id, part, target_id, extra, created_at FROM mirror_map WHERE target = \(target)
                    ORDER BY kind, source_id, part
                    """, logger: self.logger), target: target)
        }
    }

    /// See ``MirrorStore/mirrorObjectMappings(target:)``.
    public func mirrorObjectMappings(target: String) async throws -> [MirrorMapping] {
        try await read("read the mirror map of \(target)") { connection in
            try await Self.decodeMirror(
                connection.query(
                    """
                    SELECT kind, source_id, part, target_id, extra, created_at FROM mirror_map WHERE target = \(target)
                    AND kind NOT LIKE 'message:%' AND kind NOT LIKE 'pin:%' ORDER BY kind, source_id, part
                    """, logger: self.logger), target: target)
        }
    }

    /// See ``MirrorStore/mirrorMappings(target:kind:sourceIds:)``: one range of the primary key.
    public func mirrorMappings(target: String, kind: String, sourceIds: ClosedRange<UInt64>) async throws
        -> [MirrorMapping]
    {
        try await read("read the mirror map of \(target)") { connection in
            try await IDRangeRead(sourceIds).asyncRows { range, _ in
                try await Self.decodeMirror(
                    connection.query(
                        """
                        SELECT kind, source_id, part, target_id, extra, created_at FROM mirror_map
                        WHERE target = \(target) AND kind = \(kind)
                            AND source_id BETWEEN \(range.lowerBound) AND \(range.upperBound) ORDER BY source_id, part
                        """, logger: self.logger), target: target)
            }
        }
    }

    /// See ``MirrorStore/latestMirrorMappings(target:kind:limit:)``.
    public func latestMirrorMappings(target: String, kind: String, limit: Int) async throws -> [MirrorMapping] {
        let count = Int64(max(0, limit))
        return try await read("read the mirror map of \(target)") { connection in
            try await Self.decodeMirror(
                connection.query(
                    """
                    SELECT kind, source_id, part, target_id, extra, created_at FROM mirror_map WHERE target = \(target)
                    AND kind = \(kind) ORDER BY created_at DESC, target_id DESC LIMIT \(count)
                    """, logger: self.logger), target: target)
        }
    }

    private static func decodeMirror(_ rows: PostgresRowSequence, target: String) async throws -> [MirrorMapping] {
        var mappings: [MirrorMapping] = []
        for try await (kind, source, part, targetId, extra, createdAt) in rows.decode(
            (String, Int64, Int32, Int64, String?, String).self)
        {
            mappings.append(
                MirrorMapping(
                    target: target, kind: kind, sourceId: UInt64(bitPattern: source), part: Int(part),
                    targetId: UInt64(bitPattern: targetId), extra: extra,
                    createdAt: ColumnDate.date(Optional(createdAt))))
        }
        return mappings
    }

    /// See ``MirrorStore/recordMirrorMapping(_:)``: one statement, its own transaction.
    public func recordMirrorMapping(_ mapping: MirrorMapping) async throws {
        let at = ColumnDate.text(now())
        try await write("record the mirror of \(mapping.kind) \(mapping.sourceId)") { connection in
            try await connection.query(
                """
                INSERT INTO mirror_map (target, kind, source_id, part, target_id, extra, created_at)
                VALUES (\(mapping.target), \(mapping.kind), \(Int64(bitPattern: mapping.sourceId)),
                    \(Int32(mapping.part)), \(Int64(bitPattern: mapping.targetId)), \(mapping.extra), \(at))
                ON CONFLICT (target, kind, source_id, part) DO UPDATE SET target_id = excluded.target_id,
                    extra = excluded.extra, created_at = excluded.created_at
                """, logger: self.logger)
        }
    }
}
