import Export
import Synchronization

/// The files an import has committed so far, for the line an interrupted import prints.
final class ImportTally: Sendable {
    private let state = Mutex((imported: 0, files: 0))

    /// Counts one file's outcome (`files`: the files the import reads in all).
    func add(_ outcome: DCEImporter.Outcome, of files: Int) {
        state.withLock { state in
            state.files = files
            if outcome.error == nil { state.imported += 1 }
        }
    }

    /// The files imported so far and the files in all (0 before the first is done).
    var counts: (imported: Int, files: Int) { state.withLock { $0 } }
}
