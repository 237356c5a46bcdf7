import ArchiveStore
import FileSafety
import Testing
import _ConnectionPoolModule

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

    /// The pool giving up on a server that went away mid-run (`pg_ctl stop` during `skald archive`): before, the line
    /// ended at `ConnectionPoolError(base: …connectionCreationCircuitBreakerTripped)`.
    @Test func aServerGoneForGoodSaysSoAndToRerun() {
        let cause = PostgresArchiveStore.unwrap(
            ConnectionPoolError.connectionCreationCircuitBreakerTripped, endpoint: "127.0.0.1:5432")
        let error = PostgresArchiveStore.storeError("could not store a page of channel 1", cause)
        #expect(error.storageFull == nil)
        #expect(
            "\(error)".contains(
                "PostgreSQL at 127.0.0.1:5432 cannot be reached any more (the server stopped or the network went away)"
            ))
        #expect("\(error)".contains("run the same command again: it resumes where it stopped"))
    }
}
