import CreditKit
import LedgerCore
import PostgresNIO

/// The shared ledger on PostgreSQL (docs/POSTGRESQL.md): the journal's record lines in
/// `creditdesk.journal`, hash-chained exactly as the file ledger writes them, with the readable
/// `creditdesk.entries` and `creditdesk.balances` filled in the same transaction. Every write
/// locks the chain head row, catches up, decides with `Engine` and commits; success is reported
/// only once COMMIT returned.
public final class PostgresLedger: Ledger {
    /// The URL without a password (there never is one).
    public let location: String
    public internal(set) var state: LedgerState
    public internal(set) var clock: LedgerClock = .real
    /// How long a writer waits for the chain head's lock, in seconds (SET LOCAL lock_timeout).
    public var lockTimeout: Double = 10 {
        didSet { session.lockSeconds = lockTimeout }
    }
    /// Lets another thread make a write still waiting for the chain head's lock give up.
    public let lockWait = LockWait()
    /// The role the server authenticated: `session_user`.
    public let sessionUser: String
    let session: PostgresSession
    /// Where the journal's lines are read from (the chain functions from schema version 3).
    let chain: ChainReads
    /// True when the schema has `workspace_states` (version 4): every write keeps them.
    let storesStates: Bool
    var warnings: [AfterCommitWarning] = []
    /// What the listener heard (LISTEN/NOTIFY, a lost connection); set on the event loop.
    let heard = HeardNews()
    /// Whether `listen()` was asked for, so `reconnect` listens again.
    var listening = false
    /// The workspaces this ledger folds; nil: every one (it read the whole journal).
    var scope: Set<String>?
    /// Each loaded workspace's row in `creditdesk.workspace_states`, as this ledger knows it.
    var stored: [String: StoredState] = [:]
    /// Workspaces the records read since the open named, loaded or not (a console loads them).
    var touched: Set<String> = []
    /// Every workspace's summary from `creditdesk.workspace_states`, read by an open for lists.
    var storedSummaries: [String: WorkspaceSummary] = [:]
    /// Records of a workspace after its stored state before a writer stores it again (tests lower it).
    public var stateRefreshRecords = PostgresLedger.stateTailRecordsMax
    /// Why a stored workspace state was not used (damaged, or not the journal's): it was
    /// ignored, the workspace folded from its records instead, and the next write stores it again.
    public internal(set) var storedStateProblems: [String] = []

    /// Journal rows read per round trip while folding.
    static let foldPageRows = 5_000

    init(session: PostgresSession, catalog: Catalog, sessionUser: String, schemaVersion: Int = SchemaMigrations.latest) {
        self.session = session
        self.chain = ChainReads(schemaVersion: schemaVersion)
        self.storesStates = schemaVersion >= StoredState.sinceVersion
        self.location = session.location.description
        self.state = LedgerState(catalog: catalog)
        self.sessionUser = sessionUser
    }

    /// Opens the ledger in the database at `location`: upgrades an older schema to the latest
    /// (`upgrade(from:)`), reads its catalog (decoded by `decodeCatalog`, which the caller owns)
    /// and folds its journal, checking every record's hash and chain link. With `workspaces`,
    /// only those are loaded, each from its stored state and the records after it, and the
    /// records of no workspace; an empty set also reads every workspace's summary for lists.
    /// The whole journal is not read. One workspace at the latest schema is one statement
    /// after the connection (`openRead`); anything else, or that statement failing, goes step by step.
    public static func open(_ location: PostgresLocation, credentials: PostgresCredentials, workspaces: Set<String>? = nil,
                            decodeCatalog: ([UInt8]) throws(LedgerError) -> Catalog) throws(LedgerError) -> PostgresLedger {
        let session = try connect(location, credentials)
        do throws(LedgerError) {
            if let workspaces, workspaces.count == 1, let id = workspaces.first, let read = session.openRead(id),
               read.version == SchemaMigrations.latest {
                let ledger = PostgresLedger(session: session, catalog: try decodeCatalog(read.catalog), sessionUser: read.user)
                try ledger.openScoped(workspaces, read: read)
                return ledger
            }
            let (version, ledgerRow) = try PostgresError.mapped { () throws(PostgresProblem) in try session.versionAndLedgerRow() }
            guard version > 0 else { throw LedgerError.notFound(directory: location.description) }
            guard version <= SchemaMigrations.latest else {
                throw PostgresError.ledgerError(.schemaTooNew(found: version, known: SchemaMigrations.latest))
            }
            try PostgresError.mapped { () throws(PostgresProblem) in try session.upgrade(from: version) }
            let (catalogBytes, user) = try PostgresError.mapped { () throws(PostgresProblem) in
                version == SchemaMigrations.latest ? try ledgerRow.get() : try session.ledgerRow()
            }
            let ledger = PostgresLedger(session: session, catalog: try decodeCatalog(catalogBytes), sessionUser: user)
            if version < StoredState.sinceVersion {
                try PostgresError.mapped { () throws(PostgresProblem) in try ledger.storeEveryStateAfterUpgrade() }
            } else if let workspaces {
                try ledger.openScoped(workspaces)
            } else {
                try PostgresError.mapped { () throws(PostgresProblem) in
                    try ledger.readStoredSeqs()
                    try ledger.catchUp()
                }
            }
            return ledger
        } catch {
            session.close()
            throw error
        }
    }

    static func connect(_ location: PostgresLocation, _ credentials: PostgresCredentials) throws(LedgerError) -> PostgresSession {
        try PostgresError.mapped { () throws(PostgresProblem) in try PostgresSession.connect(location, credentials: credentials) }
    }

    /// Reads the records other writers committed since the last read and folds them in.
    public func refresh() throws(LedgerError) {
        try PostgresError.mapped { () throws(PostgresProblem) in try catchUp() }
    }

    /// Folds every journal row after `state.lastSeq`, a page at a time; whole commits only.
    /// `firstPage`: the first page's rows when the caller already read them (the write path
    /// reads them in the same round as the head's lock).
    func catchUp(firstPage: [(seq: Int64, line: String)]? = nil) throws(PostgresProblem) {
        var pending: [Entry] = []
        var prev = state.lastHash.isEmpty ? JournalFormat.genesisHash : state.lastHash
        var after = state.lastSeq
        var given = firstPage
        while true {
            var rows: [(seq: Int64, line: String)] = []
            if let page = given {
                rows = page
                given = nil
            } else {
                for row in try session.query(chain.after(rows: Self.foldPageRows), [after]) {
                    rows.append(try PostgresError.decode(row, as: (Int64, String).self))
                }
            }
            for (seq, line) in rows {
                let record = try JournalRecord.decode(line, seq: seq, prev: prev)
                if seq == 1, let recorded = record.entry.clock { clock = recorded }
                pending.append(record.entry)
                prev = record.entry.hash
                after = seq
                if !record.more {
                    try foldInScope(pending)
                    pending = []
                }
            }
            if rows.count < Self.foldPageRows { break }
        }
    }

    /// Folds one commit: every record when the whole ledger is loaded, else those of loaded
    /// workspaces and of none, stepping over the others (their sequence, time and hash kept).
    private func foldInScope(_ commit: [Entry]) throws(PostgresProblem) {
        guard let scope else {
            try Self.fold(commit, into: &state)
            commit.forEach(noteStoredTail)
            return
        }
        for entry in commit {
            if let id = entry.workspace, !scope.contains(id) {
                touched.insert(id)
                do throws(ReplayError) { try state.skip(entry) } catch {
                    throw PostgresProblem.damaged(seq: error.seq, problem: error.problem)
                }
            } else {
                try Self.fold([entry], into: &state)
                noteStoredTail(entry)
            }
        }
    }

    /// Folds one whole commit into `state`; a commit the fold refuses is damage.
    static func fold(_ commit: [Entry], into state: inout LedgerState) throws(PostgresProblem) {
        do throws(ReplayError) { try state.apply(commit) } catch {
            throw PostgresProblem.damaged(seq: error.seq, problem: error.problem)
        }
    }

    public func workspaceSummaries() -> [WorkspaceSummary] {
        var all = storedSummaries
        for (id, ws) in state.workspaces { all[id] = WorkspaceSummary(ws) }
        return all.keys.sorted().compactMap { all[$0] }
    }

    public func workspaceSummaries(broughtUpTo time: Timestamp) -> [WorkspaceSummary] {
        workspaceSummaries().map { summary in
            Engine.summary(of: summary.id, in: state, at: time) ?? summary.broughtUp(to: time)
        }
    }

    public func takeWarnings() -> [AfterCommitWarning] {
        defer { warnings = [] }
        return warnings
    }

    /// Closes the connection (also done when the ledger is released).
    public func close() { session.close() }
}

extension PostgresSession {
    /// The catalog bytes and `session_user`.
    func ledgerRow() throws(PostgresProblem) -> ([UInt8], String) {
        try Self.ledgerRow(try query(Self.ledgerRowSQL), database: location.database)
    }

    /// The statement `ledgerRow` runs.
    static let ledgerRowSQL = "SELECT catalog_json, session_user::text FROM creditdesk.ledger"

    /// The catalog's bytes and the session's role from `ledgerRowSQL`'s rows.
    static func ledgerRow(_ rows: [PostgresRow], database: String) throws(PostgresProblem) -> ([UInt8], String) {
        guard let row = rows.first else { throw .notInitialized(database: database) }
        let (bytes, user) = try PostgresError.decode(row, as: (ByteBuffer, String).self)
        return (Array(bytes.readableBytesView), user)
    }
}
