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
    }
}

/// Runs the mirror map conformance body against every backend.
@Suite struct MirrorStoreConformanceTests {
    @Test(arguments: StoreBackend.all) func mirrorMap(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.mirrorMap)
    }
}
