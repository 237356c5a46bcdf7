import Testing

/// Runs every ``StoreConformance`` body against every ``StoreBackend``.
@Suite struct StoreConformanceTests {
    @Test(arguments: StoreBackend.all) func idempotentPage(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.idempotentPage)
    }

    @Test(arguments: StoreBackend.all) func atomicPageAndCheckpoint(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.atomicPageAndCheckpoint)
    }

    @Test(arguments: StoreBackend.all) func scannedPageWithInvalidUTF8StoresNothing(_ backend: StoreBackend)
        async throws
    {
        try await backend.withStore(StoreConformance.scannedPageWithInvalidUTF8StoresNothing)
    }

    @Test(arguments: StoreBackend.all) func pageGroupAllOrNothing(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.pageGroupAllOrNothing)
    }

    @Test(arguments: StoreBackend.all) func revisionOnEdit(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.revisionOnEdit)
    }

    @Test(arguments: StoreBackend.all) func olderVersionBecomesRevision(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.olderVersionBecomesRevision)
    }

    @Test(arguments: StoreBackend.all) func noRevisionOnVolatileChange(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.noRevisionOnVolatileChange)
    }

    @Test(arguments: StoreBackend.all) func degradedViewIgnored(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.degradedViewIgnored)
    }

    @Test(arguments: StoreBackend.all) func tombstones(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.tombstones)
    }

    @Test(arguments: StoreBackend.all) func structureHistory(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.structureHistory)
    }

    @Test(arguments: StoreBackend.all) func userUpserts(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.userUpserts)
    }

    @Test(arguments: StoreBackend.all) func idRangeReads(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.idRangeReads)
    }

    @Test(arguments: StoreBackend.all) func streamingOrder(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.streamingOrder)
    }

    @Test(arguments: StoreBackend.all) func search(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.search)
    }

    @Test(arguments: StoreBackend.all) func searchFollowsAGroup(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.searchFollowsAGroup)
    }

    @Test(arguments: StoreBackend.all) func checkpointsAndSegments(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.checkpointsAndSegments)
    }

    @Test(arguments: StoreBackend.all) func runLog(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.runLog)
    }

    @Test(arguments: StoreBackend.all) func mediaQueue(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.mediaQueue)
    }

    @Test(arguments: StoreBackend.all) func reactionsAndUsers(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.reactionsAndUsers)
    }

    @Test(arguments: StoreBackend.all) func threadStarterSharesParentID(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.threadStarterSharesParentID)
    }

    @Test(arguments: StoreBackend.all) func browsing(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.browsing)
    }

    @Test(arguments: StoreBackend.all) func objectCatalogue(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.objectCatalogue)
    }

    @Test(arguments: StoreBackend.all) func batchLookups(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.batchLookups)
    }

    @Test(arguments: StoreBackend.all) func messageJSONRows(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.messageJSONRows)
    }

    @Test(arguments: StoreBackend.all) func authorObjectsReadBackExactly(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.authorObjectsReadBackExactly)
    }

    @Test(arguments: StoreBackend.all) func textsFromBytesReadBackAsStrings(_ backend: StoreBackend) async throws {
        try await backend.withStore(StoreConformance.textsFromBytesReadBackAsStrings)
    }
}
