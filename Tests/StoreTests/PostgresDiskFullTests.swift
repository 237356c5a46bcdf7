import ArchiveStore
import FileSafety
import Testing

@testable import PostgresStore

/// PostgreSQL's `disk_full` (SQLSTATE 53100) in the one wording of a full storage; any other server error stays a
/// database error. (A server's disk cannot be filled from a test: the mapping is checked on the error itself.)
@Suite struct PostgresDiskFullTests {
    @Test func diskFullSaysTheServerIsFullAndWhatToDo() {
        let server = PostgresServerError(
            description: "PostgreSQL: could not extend file \"base/16384/16385\": No space left on device [53100]",
            sqlState: "53100")
        let error = PostgresArchiveStore.storeError("could not store a page of channel 1", server)
        #expect(error.storageFull?.limit == .databaseServer)
        #expect(
            error.message
                == "could not store a page of channel 1: the database server's disk is full (PostgreSQL SQLSTATE 53100 "
                + "disk_full); free space on the database server, then run the same command again: it resumes where "
                + "it stopped")
    }

    @Test func anotherServerErrorStaysADatabaseError() {
        let server = PostgresServerError(description: "PostgreSQL: deadlock detected [40P01]", sqlState: "40P01")
        let error = PostgresArchiveStore.storeError("could not store a page of channel 1", server)
        #expect(error.storageFull == nil)
        #expect(error.message == "could not store a page of channel 1")
    }
}
