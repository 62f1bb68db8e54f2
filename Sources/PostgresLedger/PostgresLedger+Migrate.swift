import CreditKit
import LedgerCore
import PostgresNIO

extension PostgresLedger {
    /// Reads a PostgreSQL ledger for a copy (`migrate`): its catalog bytes, then (through
    /// `forEachLine`) every journal line, oldest first, all in one read-only snapshot
    /// (REPEATABLE READ), so writers committing meanwhile are neither seen nor held up.
    public static func copySource(_ location: PostgresLocation, credentials: PostgresCredentials) throws(LedgerError) -> PostgresChainSource {
        let session = try connect(location, credentials)
        do throws(LedgerError) {
            let version = try PostgresError.mapped { () throws(PostgresProblem) in try session.schemaVersion() }
            guard version > 0 else { throw LedgerError.notFound(directory: location.description) }
            guard version <= SchemaMigrations.latest else {
                throw PostgresError.ledgerError(.schemaTooNew(found: version, known: SchemaMigrations.latest))
            }
            try PostgresError.mapped { () throws(PostgresProblem) in
                try session.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            }
            let (bytes, _) = try PostgresError.mapped { () throws(PostgresProblem) in try session.ledgerRow() }
            return PostgresChainSource(session: session, chain: ChainReads(schemaVersion: version), catalogBytes: bytes)
        } catch {
            session.close()
            throw error
        }
    }
}

/// A PostgreSQL ledger being read for a copy, inside one read-only snapshot.
public final class PostgresChainSource {
    let session: PostgresSession
    let chain: ChainReads
    /// The catalog, byte for byte as `init` was given it.
    public let catalogBytes: [UInt8]

    /// Journal rows read per round trip.
    static let pageRows = 10_000

    init(session: PostgresSession, chain: ChainReads, catalogBytes: [UInt8]) {
        self.session = session
        self.chain = chain
        self.catalogBytes = catalogBytes
    }

    /// Calls `body` with every journal line, oldest first; a missing seq is damage.
    public func forEachLine(_ body: ([UInt8]) throws(LedgerError) -> Void) throws(LedgerError) {
        var after: Int64 = 0
        while true {
            let rows = try PostgresError.mapped { () throws(PostgresProblem) in
                try session.query(chain.after(rows: Self.pageRows), [after])
            }
            for row in rows {
                let (seq, line) = try PostgresError.mapped { () throws(PostgresProblem) in try PostgresError.decode(row, as: (Int64, String).self) }
                guard seq == after + 1 else {
                    throw .damaged(line: Int(after + 1), seq: after + 1, problem: "the record is missing (the journal jumps to seq \(seq))")
                }
                after = seq
                try body(Array(line.utf8))
            }
            if rows.count < Self.pageRows { return }
        }
    }

    /// Ends the snapshot and closes the connection.
    public func close() {
        _ = try? session.query("ROLLBACK")
        session.close()
    }
}

/// Where `migrate --to URL` writes: an empty database (no `creditdesk` schema). Everything, the
/// schema's migrations included, happens in one transaction: the tables are filled as
/// CreditDesk's own writes fill them (journal lines as they were, entries, idempotency keys,
/// balances, `people` by the journal's trigger, and every workspace's stored state), and nothing
/// is there until COMMIT.
public final class PostgresChainSink: ChainSink {
    private let session: PostgresSession
    private var batch = PostgresBatch(prev: "")
    private var batchRecords = 0
    private var catalogID = ""
    private var catalogBytes: [UInt8] = []
    /// Each workspace's last record copied so far (seq and hash), for its stored state.
    private var lastRecord: [String: (seq: Int64, hash: String)] = [:]

    /// Records sent to the server per round of inserts.
    static let flushRecords = 10_000

    /// Connects; refuses (`.alreadyExists`) a database that already holds a CreditDesk schema.
    public init(_ location: PostgresLocation, credentials: PostgresCredentials) throws(LedgerError) {
        session = try PostgresLedger.connect(location, credentials)
        do throws(LedgerError) {
            let version = try PostgresError.mapped { () throws(PostgresProblem) in try session.schemaVersion() }
            guard version == 0 else { throw LedgerError.alreadyExists(directory: location.description) }
        } catch {
            session.close()
            throw error
        }
    }

    public func begin(catalogBytes: [UInt8], catalog: Catalog) throws(LedgerError) {
        self.catalogID = catalog.id
        self.catalogBytes = catalogBytes
        try PostgresError.mapped { () throws(PostgresProblem) in
            try session.query("BEGIN")
            for (index, statements) in SchemaMigrations.all.enumerated() {
                for statement in statements { try session.query(statement) }
                try session.query("INSERT INTO creditdesk.schema_version (version) VALUES ($1)", [Int32(index + 1)])
            }
            try session.query("INSERT INTO creditdesk.head (seq, hash) VALUES (0, $1)", [JournalFormat.genesisHash])
        }
    }

    public func write(_ commit: [CopiedRecord], state: LedgerState) throws(LedgerError) {
        if let first = commit.first, first.entry.seq == 1 { try insertLedgerRow(createdBy: first.entry.actor) }
        for record in commit {
            batch.add(copied: record)
            if let id = record.entry.workspace { lastRecord[id] = (record.entry.seq, record.entry.hash) }
        }
        batchRecords += commit.count
        if batchRecords >= Self.flushRecords { try flush(state) }
    }

    /// The ledger's one row: the catalog byte for byte, and who made the ledger (the init's actor).
    private func insertLedgerRow(createdBy: String) throws(LedgerError) {
        try PostgresError.mapped { () throws(PostgresProblem) in
            try session.query("INSERT INTO creditdesk.ledger (catalog_id, catalog_json, catalog_sha256, created_by) VALUES ($1, $2, $3, $4)",
                              [catalogID, ByteBuffer(bytes: catalogBytes), JournalFormat.sha256Hex(catalogBytes), createdBy])
        }
    }

    /// Sends the records gathered so far (whole commits: `state` is the fold after them).
    private func flush(_ state: LedgerState) throws(LedgerError) {
        try PostgresError.mapped { () throws(PostgresProblem) in try batch.insert(into: session, state: state) }
        batch = PostgresBatch(prev: state.lastHash)
        batchRecords = 0
    }

    public func finish(state: LedgerState) throws(LedgerError) {
        try flush(state)
        try PostgresError.mapped { () throws(PostgresProblem) in
            try PostgresLedger.storeEveryState(state, last: lastRecord, session: session)
            // The write statement turned synchronous_commit off for this transaction (see
            // PostgresBatch.commitStatement): the copy's one COMMIT waits for the disk again.
            try session.query("RESET synchronous_commit")
            try session.query("COMMIT")
        }
        session.close()
    }

    public func abandon() {
        _ = try? session.query("ROLLBACK")
        session.close()
    }
}
