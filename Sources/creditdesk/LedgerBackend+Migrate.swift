import CreditKit
import LedgerCore
import LedgerStore
import PostgresLedger

/// What `migrate` did: the copy's fold, the records of an unfinished last commit left out.
struct MigrationReport {
    var state: LedgerState
    var leftOut: Int
}

extension LedgerBackend {
    /// Copies the ledger at `source` record for record into the empty ledger at `target`
    /// (either kind, either way), each line checked as it goes, all or nothing (`ChainCopyCheck`).
    /// The source is only read.
    static func migrate(from source: LedgerLocation, to target: LedgerLocation) throws(LedgerError) -> MigrationReport {
        let sink = try makeSink(target)
        switch source {
        case .directory(let path):
            let bytes = try FileLedger.catalogBytes(directory: path)
            let copied = try ChainCopyCheck.copy(catalogBytes: bytes, catalog: try catalog(bytes), into: sink) { (body: ([UInt8]) throws(LedgerError) -> Void) throws(LedgerError) in
                try FileLedger.forEachJournalLine(directory: path, body)
            }
            return MigrationReport(state: copied.state, leftOut: copied.leftOut)
        case .postgres(let url):
            let reader: PostgresChainSource
            do throws(LedgerError) {
                reader = try PostgresLedger.copySource(url, credentials: credentials(url))
            } catch {
                sink.abandon()
                throw error
            }
            defer { reader.close() }
            let copied = try ChainCopyCheck.copy(catalogBytes: reader.catalogBytes, catalog: try catalog(reader.catalogBytes), into: sink) { (body: ([UInt8]) throws(LedgerError) -> Void) throws(LedgerError) in
                try reader.forEachLine(body)
            }
            return MigrationReport(state: copied.state, leftOut: copied.leftOut)
        }
    }

    /// The target of a copy: a new folder, or an empty database; either refuses to be anything else.
    private static func makeSink(_ target: LedgerLocation) throws(LedgerError) -> any ChainSink {
        switch target {
        case .directory(let path): return try FolderChainSink(directory: path)
        case .postgres(let url): return try PostgresChainSink(url, credentials: credentials(url))
        }
    }
}
