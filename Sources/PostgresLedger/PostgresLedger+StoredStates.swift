import CreditKit
import LedgerCore
import PostgresNIO

/// What a ledger knows of one workspace's row in `creditdesk.workspace_states` (schema 4).
struct StoredState: Equatable, Sendable {
    /// The record the stored state stands at (0: no usable row).
    var seq: Int64
    /// Whether the row can be trusted as it is; false when missing or damaged (rewrite it whole).
    var usable: Bool
    /// The workspace's records after `seq` that this ledger folded or wrote.
    var tail: Int

    /// The schema version that has `workspace_states` and `chain_of`.
    static let sinceVersion = 7
}

extension PostgresLedger {
    /// A workspace's stored state is written again once this many of its records follow it, so
    /// loading one workspace reads at most that many records besides its state.
    public static let stateTailRecordsMax = 64
    /// Rows of one workspace's records read per round trip while loading it.
    static let tailPageRows = 1_000

    /// Loads `workspaces` (and every summary, for an empty set) in one read-only snapshot: the
    /// head, the records of no workspace (init, operators, clock), each workspace's stored state
    /// and its records after it. The head record is checked against the head row.
    /// The usual case is one round trip (`openInOneRun`, or `read` when the caller read one
    /// workspace in one statement); when it cannot stand, the same reads are made step by step.
    func openScoped(_ workspaces: Set<String>, read: OneStatementOpen? = nil) throws(LedgerError) {
        scope = workspaces
        try PostgresError.mapped { () throws(PostgresProblem) in
            let initial = state
            if let read, let id = workspaces.first, workspaces.count == 1 {
                if try openFrom(read, workspace: id) { return }
            } else if try openInOneRun(workspaces.sorted()) {
                return
            }
            state = initial
            stored = [:]
            storedSummaries = [:]
            try session.snapshot { () throws(PostgresProblem) in
                let head = try session.query("SELECT seq, hash FROM creditdesk.head")
                guard let headRow = head.first else { throw .notInitialized(database: session.location.database) }
                let (headSeq, headHash) = try PostgresError.decode(headRow, as: (Int64, String).self)
                try foldRecords(of: nil, after: 0, upto: headSeq, into: &state)
                for id in workspaces.sorted() { try loadWorkspace(id, upto: headSeq) }
                if workspaces.isEmpty { try readSummaries(upto: headSeq) }
                try standAtHead(headSeq, hash: headHash)
            }
        }
    }

    /// Every read of `openScoped` as one pipelined run in one read-only snapshot, each bound
    /// taken inside the statement from the same snapshot (the head's seq, each stored state's
    /// seq): the head, the records of no workspace, per workspace its stored state, the record
    /// it stands at, the balance to check it by and its records after it, the summaries for an
    /// empty set, and the head's record. False, with nothing kept, when a page came back full or
    /// a stored state or summary did not check out: the caller then reads step by step.
    private func openInOneRun(_ ids: [String]) throws(PostgresProblem) -> Bool {
        let headSeq = "(SELECT seq FROM creditdesk.head)"
        let stateSeq = "(SELECT state_seq FROM creditdesk.workspace_states WHERE workspace = $1 AND \(Self.trustedWriter))"
        var run: [PostgresSession.Statement] = [
            ("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", []),
            ("SELECT seq, hash FROM creditdesk.head", []),
            ("SELECT seq, line FROM creditdesk.chain_of(NULL, 0, \(headSeq), \(Self.tailPageRows))", []),
        ]
        for id in ids {
            run += [
                (Self.trustedStateSQL, [id]),
                ("SELECT line, prev FROM creditdesk.chain_record(\(stateSeq))", [id]),
                ("SELECT balance FROM creditdesk.entries WHERE workspace = $1 AND seq <= \(stateSeq) ORDER BY seq DESC LIMIT 1", [id]),
                ("SELECT seq, line FROM creditdesk.chain_of($1, coalesce(\(stateSeq), 0), \(headSeq), \(Self.tailPageRows))", [id]),
            ]
        }
        if ids.isEmpty { run.append((Self.summariesSQL, [])) }
        run += [("SELECT line, prev FROM creditdesk.chain_record(\(headSeq))", []), ("COMMIT", [])]
        var answers = try session.pipelined(run)[1...].makeIterator()
        func next() -> [PostgresRow] { answers.next() ?? [] }
        guard let headRow = next().first else { throw .notInitialized(database: session.location.database) }
        let (head, headHash) = try PostgresError.decode(headRow, as: (Int64, String).self)
        let none = next()
        guard none.count < Self.tailPageRows else { return false }
        try foldRows(none, into: &state)
        for id in ids {
            let (stateRows, recordRows, balanceRows, tailRows) = (next(), next(), next(), next())
            var tail: [(seq: Int64, line: String)] = []
            for row in tailRows { tail.append(try PostgresError.decode(row, as: (Int64, String).self)) }
            let columns: StoredStateColumns?? = stateRows.first.map { row in
                (try? row.decode((ByteBuffer, Int64, String, ByteBuffer).self)).map {
                    StoredStateColumns(state: Array($0.0.readableBytesView), seq: $0.1, hash: $0.2, sha256: Array($0.3.readableBytesView))
                }
            }
            let line = recordRows.first.flatMap { try? $0.decode((String, String).self) }
            let balance: Int64? = balanceRows.first.flatMap { try? $0.decode(Int64.self) }
            guard try foldRead(id, head: head, stored: columns, record: line, balance: balance, tail: tail) else { return false }
        }
        if ids.isEmpty {
            guard let summaries = try? decodeSummaries(next()), summaries.unreadable.isEmpty, summaries.untrusted.isEmpty else { return false }
            storedSummaries = summaries.decoded
        }
        try standAtHead(head, hash: headHash, record: next().first)
        return true
    }

    /// Loads workspace `id` from what one run read for it as of record `head`: its stored state
    /// (nil: no row; `.some(nil)`: a row that could not be read), the line and prev of the record
    /// it stands at, the balance of its last credit entry up to it, and its records after it.
    /// False, with nothing kept, when the records filled a page or the stored state did not check
    /// out: the caller then reads step by step, which says why.
    func foldRead(_ id: String, head: Int64, stored columns: StoredStateColumns??, record: (line: String, prev: String)?,
                  balance: Int64?, tail: [(seq: Int64, line: String)]) throws(PostgresProblem) -> Bool {
        guard tail.count < Self.tailPageRows else { return false }
        var partial = LedgerState(catalog: state.catalog)
        partial.operators = state.operators
        var from: Int64 = 0
        if let columns {
            guard let ws = try? checkedState(columns, id: id, upto: head, record: record, balance: .some(balance)) else { return false }
            partial.workspaces[id] = ws.state
            from = ws.seq
        }
        try foldLines(tail, into: &partial)
        guard let ws = partial.workspaces[id] else { return true }
        state.workspaces[id] = ws
        stored[id] = StoredState(seq: from, usable: columns != nil, tail: tail.count)
        return true
    }

    /// Sets the state's last seq, time and hash from the head record, which must carry the head's hash.
    private func standAtHead(_ seq: Int64, hash: String) throws(PostgresProblem) {
        try standAtHead(seq, hash: hash, record: try session.query(chain.record, [seq]).first)
    }

    /// `standAtHead` with the head record's `(line, prev)` row already read (nil: none).
    private func standAtHead(_ seq: Int64, hash: String, record row: PostgresRow?) throws(PostgresProblem) {
        try standAtHead(seq, hash: hash, line: try row.map { row throws(PostgresProblem) in try PostgresError.decode(row, as: (String, String).self) })
    }

    /// `standAtHead` with the head record's line and prev already read (nil: none).
    func standAtHead(_ seq: Int64, hash: String, line recordLine: (line: String, prev: String)?) throws(PostgresProblem) {
        guard let record = try recordLine.map({ read throws(PostgresProblem) in try JournalRecord.decode(read.line, seq: seq, prev: read.prev).entry }) else {
            throw .damaged(seq: seq, problem: "the chain head names seq \(seq), which the journal does not hold")
        }
        guard record.hash == hash else {
            throw .damaged(seq: seq, problem: "the chain head says hash \(hash), the record has \(record.hash)")
        }
        state.lastSeq = seq
        state.lastTime = record.time
        state.lastHash = hash
    }

    /// Folds the records of workspace `id` (nil: of no workspace) in `after+1 ... upto` into
    /// `target`, each checked against its own hash; returns how many there were.
    @discardableResult
    private func foldRecords(of id: String?, after: Int64, upto: Int64, into target: inout LedgerState) throws(PostgresProblem) -> Int {
        var from = after
        var count = 0
        while true {
            let rows: [PostgresRow]
            if let id {
                rows = try session.query("SELECT seq, line FROM creditdesk.chain_of($1, $2, $3, \(Self.tailPageRows))", [id, from, upto])
            } else {
                rows = try session.query("SELECT seq, line FROM creditdesk.chain_of(NULL, $1, $2, \(Self.tailPageRows))", [from, upto])
            }
            if let last = try foldRows(rows, into: &target) { from = last }
            count += rows.count
            if rows.count < Self.tailPageRows { return count }
        }
    }

    /// Folds `(seq, line)` rows of one workspace (or of none) into `target`, each checked
    /// against its own hash; returns the last seq folded.
    @discardableResult
    private func foldRows(_ rows: [PostgresRow], into target: inout LedgerState) throws(PostgresProblem) -> Int64? {
        var lines: [(seq: Int64, line: String)] = []
        for row in rows { lines.append(try PostgresError.decode(row, as: (Int64, String).self)) }
        return try foldLines(lines, into: &target)
    }

    /// `foldRows` of `(seq, line)` pairs already read.
    @discardableResult
    func foldLines(_ lines: [(seq: Int64, line: String)], into target: inout LedgerState) throws(PostgresProblem) -> Int64? {
        var last: Int64?
        for (seq, line) in lines {
            let entry = try JournalRecord.decodeUnlinked(line, seq: seq)
            if seq == 1, let recorded = entry.clock { clock = recorded }
            // One workspace's records are not consecutive: each is folded as if it followed
            // the one before it (the chain and clock order are `verify`'s, over all records).
            target.lastSeq = seq - 1
            target.lastTime = nil
            try Self.fold([entry], into: &target)
            last = seq
        }
        return last
    }

    /// Loads workspace `id` as of record `upto`: its stored state when it checks out, else
    /// nothing, then its records after that. Unknown workspaces stay unloaded.
    private func loadWorkspace(_ id: String, upto: Int64) throws(PostgresProblem) {
        var partial = LedgerState(catalog: state.catalog)
        partial.operators = state.operators
        var from: Int64 = 0
        var usable = false
        let rows = try session.query(Self.trustedStateSQL, [id])
        if let row = rows.first {
            do throws(StoredStateProblem) {
                let ws = try checkedState(row, id: id, upto: upto)
                partial.workspaces[id] = ws.state
                from = ws.seq
                usable = true
            } catch {
                if !error.outgrown { storedStateProblems.append(error.description) }
            }
        }
        let tail = try foldRecords(of: id, after: from, upto: upto, into: &partial)
        guard let ws = partial.workspaces[id] else { return }
        state.workspaces[id] = ws
        stored[id] = StoredState(seq: from, usable: usable && rows.first != nil, tail: tail)
    }

    /// A stored state is taken only from a writer this role trusts (`creditdesk.trusts`: itself,
    /// a support agent, the schema's owner); anyone else's is a cache miss, folded from the
    /// journal, and this desk's next write to the workspace stores its own (schema version 9).
    static let trustedWriter = "creditdesk.trusts(written_by)"

    /// Workspace $1's stored state, when its writer is trusted.
    static let trustedStateSQL = """
        SELECT state, state_seq, state_hash, state_sha256 FROM creditdesk.workspace_states WHERE workspace = $1 AND \(trustedWriter)
        """

    /// Every stored summary, with whether its writer is trusted.
    static let summariesSQL = "SELECT workspace, summary, \(trustedWriter) FROM creditdesk.workspace_states"

    /// Why a stored workspace state is not used: a cache that does not match is never trusted.
    struct StoredStateProblem: Error, CustomStringConvertible {
        var workspace: String
        var problem: String
        /// An older build's layout (`stateFormatsOutgrown`): a cache miss, folded again without a note.
        var outgrown = false
        var description: String {
            "the stored state of workspace \(workspace) \(problem); it is ignored (the workspace is folded from its records) and will be stored again"
        }
    }

    /// A stored state that matches its checksum, stands at a record of this workspace that the
    /// journal holds with the same hash, no later than `upto`, and decodes to this workspace.
    private func checkedState(_ row: PostgresRow, id: String, upto: Int64) throws(StoredStateProblem) -> (state: WorkspaceState, seq: Int64) {
        let columns = try? row.decode((ByteBuffer, Int64, String, ByteBuffer).self)
        let seq = columns?.1 ?? 0
        let record = try? session.query(chain.record, [seq]).first
        // The balance must be the one the workspace's last credit entry up to it says (append-only).
        let balance = try? session.query("SELECT balance FROM creditdesk.entries WHERE workspace = $1 AND seq <= $2 ORDER BY seq DESC LIMIT 1",
                                         [id, seq])
        return try checkedState(row, id: id, upto: upto, record: record, balance: balance)
    }

    /// `checkedState` with the record the state stands at (`(line, prev)`, nil: none or not
    /// read) and the balance rows to check it by (nil: not read) already read.
    private func checkedState(_ row: PostgresRow, id: String, upto: Int64, record recordRow: PostgresRow?,
                              balance last: [PostgresRow]?) throws(StoredStateProblem) -> (state: WorkspaceState, seq: Int64) {
        let columns = try? row.decode((ByteBuffer, Int64, String, ByteBuffer).self)
        let stored = columns.map { StoredStateColumns(state: Array($0.0.readableBytesView), seq: $0.1, hash: $0.2, sha256: Array($0.3.readableBytesView)) }
        let line = recordRow.flatMap { try? $0.decode((String, String).self) }
        let balance: Int64?? = last.map { rows in rows.first.flatMap { try? $0.decode(Int64.self) } }
        return try checkedState(stored, id: id, upto: upto, record: line, balance: balance)
    }

    /// A stored state's columns as read: its bytes, the record it stands at, that record's hash, the bytes' SHA-256.
    struct StoredStateColumns {
        var state: [UInt8]
        var seq: Int64
        var hash: String
        var sha256: [UInt8]
    }

    /// `checkedState` of columns already read (nil: they could not be), the line and prev of the
    /// record it stands at (nil: none or not read), and the balance of the workspace's last
    /// credit entry up to it (`.some(nil)`: no such entry; nil: not read).
    func checkedState(_ columns: StoredStateColumns?, id: String, upto: Int64, record recordLine: (line: String, prev: String)?,
                      balance last: Int64??) throws(StoredStateProblem) -> (state: WorkspaceState, seq: Int64) {
        func problem(_ text: String) -> StoredStateProblem { StoredStateProblem(workspace: id, problem: text) }
        guard let columns else { throw problem("cannot be read") }
        let (bytes, seq, hash) = (columns.state, columns.seq, columns.hash)
        guard SHA256Hex.raw(bytes) == columns.sha256 else { throw problem("does not match its checksum") }
        guard seq <= upto else { throw problem("stands at seq \(seq), past the head (\(upto))") }
        guard let recordLine, let record = try? JournalRecord.decode(recordLine.line, seq: seq, prev: recordLine.prev).entry else {
            throw problem("stands at seq \(seq), which cannot be read")
        }
        guard record.hash == hash, record.workspace == id else {
            throw problem("does not match the journal (record \(seq) has another hash or workspace)")
        }
        var reader = BinaryReader(bytes)
        guard let ws = try? WorkspaceStateCodec.decode(&reader, format: Self.stateFormat), reader.atEnd, ws.id == id else {
            var outgrown = problem("is an older layout")
            outgrown.outgrown = Self.isOutgrownLayout(bytes)
            throw outgrown.outgrown ? outgrown : problem("cannot be decoded")
        }
        guard let recorded = last else { throw problem("cannot be checked against its entries") }
        guard (recorded ?? 0) == ws.balance else {
            throw problem("says balance \(ws.balance), the workspace's entries \(recorded.map { String($0) } ?? "none")")
        }
        return (ws, seq)
    }

    /// The layout of a stored state (`WorkspaceStateCodec`, as the file checkpoint's format 11).
    static let stateFormat = WorkspaceStateCodec.removalsSinceFormat
    /// Layouts an older build stored: read as a cache miss (R5, S3: 8 folded refunds as
    /// never-expiring credits; R42: 10 knows no removed members), never as damage.
    static let stateFormatsOutgrown = [8, 10]

    /// Whether `bytes` decode whole in a layout an older build stored.
    static func isOutgrownLayout(_ bytes: [UInt8]) -> Bool {
        stateFormatsOutgrown.contains { format in
            var reader = BinaryReader(bytes)
            return (try? WorkspaceStateCodec.decode(&reader, format: format)) != nil && reader.atEnd
        }
    }

    /// Every workspace's summary, for lists, as of record `upto`. A summary is a cache: one that
    /// cannot be decoded is ignored, said once, and its workspace loaded whole instead.
    private func readSummaries(upto: Int64) throws(PostgresProblem) {
        let summaries = try decodeSummaries(try session.query(Self.summariesSQL))
        storedSummaries.merge(summaries.decoded) { _, new in new }
        for (id, why) in summaries.unreadable {
            storedStateProblems.append("the stored summary of workspace \(id) (creditdesk.workspace_states) "
                                       + "\(why); it is ignored (the workspace is loaded from its state "
                                       + "and records) and will be stored again")
        }
        for id in summaries.unreadable.map(\.0) + summaries.untrusted {
            scope?.insert(id)
            try loadWorkspace(id, upto: upto)
        }
    }

    /// Decodes `(workspace, summary, trusted)` rows: the summaries read, the workspaces whose
    /// summary could not be, with why, and those whose writer is not trusted (a cache miss).
    private func decodeSummaries(_ rows: [PostgresRow]) throws(PostgresProblem)
        -> (decoded: [String: WorkspaceSummary], unreadable: [(String, String)], untrusted: [String]) {
        var decoded: [String: WorkspaceSummary] = [:]
        var unreadable: [(String, String)] = []
        var untrusted: [String] = []
        for row in rows {
            let (id, blob, trusted) = try PostgresError.decode(row, as: (String, ByteBuffer, Bool).self)
            guard trusted else {
                untrusted.append(id)
                continue
            }
            var reader = BinaryReader(Array(blob.readableBytesView))
            do throws(BinaryReadError) {
                decoded[id] = try WorkspaceStateCodec.decodeSummary(id: id, &reader, format: Self.stateFormat)
            } catch {
                unreadable.append((id, error.description))
            }
        }
        return (decoded, unreadable, untrusted)
    }

    /// For a ledger that folds the whole journal: the seq of each stored state, so the records
    /// after it are counted as its tail.
    func readStoredSeqs() throws(PostgresProblem) {
        for row in try session.query("SELECT workspace, state_seq FROM creditdesk.workspace_states WHERE \(Self.trustedWriter)") {
            let (id, seq) = try PostgresError.decode(row, as: (String, Int64).self)
            stored[id] = StoredState(seq: seq, usable: true, tail: 0)
        }
    }

    /// Counts a folded record into its workspace's tail (after its stored state).
    func noteStoredTail(_ entry: Entry) {
        guard let id = entry.workspace, let known = stored[id], entry.seq > known.seq else { return }
        stored[id]?.tail = known.tail + 1
    }

    public func ensureLoaded(_ workspace: String) throws(LedgerError) {
        try ensureLoaded([workspace] as Set<String>)
    }

    /// Loads every one of `workspaces` not loaded yet in one read-only snapshot: what others
    /// committed is read once, then each workspace's stored state and the records after it.
    public func ensureLoaded(_ workspaces: Set<String>) throws(LedgerError) {
        guard var scope else { return }
        let missing = workspaces.filter { state.workspaces[$0] == nil }
        guard !missing.isEmpty else { return }
        scope.formUnion(missing)
        try PostgresError.mapped { () throws(PostgresProblem) in
            try session.snapshot { () throws(PostgresProblem) in
                try catchUp()
                self.scope = scope
                for id in missing.sorted() { try loadWorkspace(id, upto: state.lastSeq) }
            }
        }
    }

    public func loadTouchedWorkspaces() throws(LedgerError) {
        guard scope != nil else { return }
        for id in touched.sorted() where state.workspaces[id] == nil { try ensureLoaded(id) }
    }
}

extension PostgresLedger {
    /// What a write stores with its records (`PostgresBatch.commitStatement`): each workspace the
    /// batch wrote gets its summary as it now stands, and its whole state too when it has no
    /// usable row or `stateRefreshRecords` of its records follow the stored one.
    func stateWrites(of entries: [Entry]) -> StateWrites {
        var last: [String: Entry] = [:]
        var counts: [String: Int] = [:]
        for entry in entries {
            guard let id = entry.workspace else { continue }
            last[id] = entry
            counts[id, default: 0] += 1
        }
        var whole: [String] = [], summaries: [String] = []
        for id in last.keys.sorted() {
            guard let ws = state.workspaces[id], let entry = last[id] else { continue }
            var summary = BinaryWriter()
            WorkspaceStateCodec.encodeSummary(WorkspaceSummary(ws), into: &summary)
            let tail = (stored[id]?.tail ?? 0) + (counts[id] ?? 0)
            if let known = stored[id], known.usable, tail < stateRefreshRecords {
                summaries.append(Self.jsonRow([("workspace", id), ("summary", Self.hex(summary.bytes)), ("summary_seq", String(entry.seq))]))
                stored[id]?.tail = tail
                continue
            }
            whole.append(Self.stateRow(ws, seq: entry.seq, hash: entry.hash))
            stored[id] = StoredState(seq: entry.seq, usable: true, tail: 0)
        }
        return StateWrites(whole: "[" + whole.joined(separator: ",") + "]", summaries: "[" + summaries.joined(separator: ",") + "]")
    }

    /// One `workspace_states` row, as JSON for `statesUpsert`: `ws`'s summary and whole state, as
    /// of its record `seq` whose hash is `hash`.
    static func stateRow(_ ws: WorkspaceState, seq: Int64, hash: String) -> String {
        var summary = BinaryWriter()
        WorkspaceStateCodec.encodeSummary(WorkspaceSummary(ws), into: &summary)
        var blob = BinaryWriter()
        WorkspaceStateCodec.encode(ws, into: &blob)
        return jsonRow([("workspace", ws.id), ("summary", hex(summary.bytes)), ("summary_seq", String(seq)),
                        ("state", hex(blob.bytes)), ("state_seq", String(seq)), ("state_hash", hash),
                        ("state_sha256", hex(SHA256Hex.raw(blob.bytes)))])
    }

    /// Rows of `workspace_states` written per statement when every workspace is stored at once.
    static let statesPerUpsert = 500

    /// A ledger upgraded to schema version 7 has no stored states yet: this desk folds the whole
    /// journal once, under the head's lock, and stores every workspace's state, so lists, opens
    /// and `verify` find them all. Runs once, by the role that upgraded the schema.
    func storeEveryStateAfterUpgrade() throws(PostgresProblem) {
        let last = try session.transaction { () throws(PostgresProblem) -> [String: (seq: Int64, hash: String)] in
            _ = try session.query("SELECT seq FROM creditdesk.head FOR UPDATE")
            try catchUp()
            var last: [String: (seq: Int64, hash: String)] = [:]
            let rows = try session.query("""
                SELECT DISTINCT ON (workspace) workspace, seq, hash FROM creditdesk.journal
                WHERE workspace IS NOT NULL ORDER BY workspace, seq DESC
                """)
            for row in rows {
                let (id, seq, hash) = try PostgresError.decode(row, as: (String, Int64, String).self)
                last[id] = (seq, hash)
            }
            try Self.storeEveryState(state, last: last, session: session)
            return last
        }
        for (id, record) in last { stored[id] = StoredState(seq: record.seq, usable: true, tail: 0) }
    }

    /// `migrate`, in its transaction: every workspace of `state` stored whole, each as of its own
    /// last record (`last`: seq and hash), so the copy opens like a ledger CreditDesk wrote.
    static func storeEveryState(_ state: LedgerState, last: [String: (seq: Int64, hash: String)],
                                session: PostgresSession) throws(PostgresProblem) {
        var rows: [String] = []
        for id in state.workspaces.keys.sorted() {
            guard let ws = state.workspaces[id], let record = last[id] else { continue }
            rows.append(stateRow(ws, seq: record.seq, hash: record.hash))
            if rows.count == statesPerUpsert {
                try session.query(statesUpsert, ["[" + rows.joined(separator: ",") + "]"])
                rows = []
            }
        }
        if !rows.isEmpty { try session.query(statesUpsert, ["[" + rows.joined(separator: ",") + "]"]) }
    }

    /// Whole stored states written outside a commit, through `creditdesk.store_states` (schema
    /// version 9), which checks each stands at a record of its workspace and records the writer.
    private static let statesUpsert = "SELECT creditdesk.store_states($1::jsonb)"

    /// One JSON object of text values (numbers are cast by the statement's column list).
    private static func jsonRow(_ fields: [(String, String)]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        for (index, (name, value)) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONString.append(name, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            JSONString.append(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lowercase hex, as `decode(…, 'hex')` reads it.
    static func hex(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
