import ArchiveStore
import Foundation
import Testing

extension StoreConformance {
    /// The mirror map: recorded mappings come back per target, ordered, with their record time; recording the
    /// same (target, kind, source, part) again replaces the row (an intent replaced by its retry).
    static func mirrorMap(_ store: any ArchiveStore) async throws {
        let mirror = try #require(store as? any MirrorStore, "the backend does not conform to MirrorStore")
        let target = "fluxer:1234"
        #expect(try await mirror.mirrorMappings(target: target).isEmpty)
        try await mirror.recordMirrorMapping(
            MirrorMapping(target: target, kind: "webhook", sourceId: 7, targetId: 70, extra: "token-abc"))
        try await mirror.recordMirrorMapping(
            MirrorMapping(target: target, kind: "message:7", sourceId: UInt64.max - 1, part: 1, targetId: 900))
        try await mirror.recordMirrorMapping(
            MirrorMapping(target: target, kind: "message:7", sourceId: UInt64.max - 1, part: 0, targetId: 899))
        try await mirror.recordMirrorMapping(
            MirrorMapping(target: target, kind: "intent:role", sourceId: 5, targetId: 0))
        try await mirror.recordMirrorMapping(
            MirrorMapping(target: target, kind: "intent:role", sourceId: 5, targetId: 0))
        try await mirror.recordMirrorMapping(
            MirrorMapping(target: "fluxer:other", kind: "role", sourceId: 5, targetId: 1))

        let mappings = try await mirror.mirrorMappings(target: target)
        #expect(mappings.map(\.kind) == ["intent:role", "message:7", "message:7", "webhook"])
        #expect(mappings[1].sourceId == UInt64.max - 1 && mappings[1].part == 0 && mappings[1].targetId == 899)
        #expect(mappings[2].part == 1 && mappings[2].targetId == 900)
        #expect(mappings[3].extra == "token-abc")
        #expect(mappings.allSatisfy { $0.createdAt != nil && $0.target == target })
        #expect(try await mirror.mirrorMappings(target: "fluxer:other").count == 1)

        // Read per batch, never whole: objects alone, one range of a channel's messages, the last records.
        for (source, copy) in [(10, 100), (20, 200), (30, 300)] as [(UInt64, UInt64)] {
            try await mirror.recordMirrorMapping(
                MirrorMapping(target: target, kind: "message:8", sourceId: source, targetId: copy))
        }
        try await mirror.recordMirrorMapping(
            MirrorMapping(target: target, kind: "pin:8", sourceId: 20, targetId: 200))
        #expect(try await mirror.mirrorObjectMappings(target: target).map(\.kind) == ["intent:role", "webhook"])
        let batch = try await mirror.mirrorMappings(target: target, kind: "message:8", sourceIds: 15...30)
        #expect(batch.map(\.sourceId) == [20, 30] && batch.map(\.targetId) == [200, 300])
        #expect(try await mirror.mirrorMappings(target: target, kind: "pin:8", sourceIds: 0...100).count == 1)
        let latest = try await mirror.latestMirrorMappings(target: target, kind: "message:8", limit: 2)
        #expect(latest.map(\.targetId) == [300, 200])
    }
}

/// Runs the mirror map conformance body against every backend.
@Suite struct MirrorStoreConformanceTests {
    @Test(arguments: StoreBackend.all) func mirrorMap(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.mirrorMap)
    }
}
