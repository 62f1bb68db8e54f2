import LedgerCore
import PostgresNIO

/// What an open for one workspace reads in one statement (`PostgresSession.openRead`): the
/// schema version, the catalog and the role, and every read of `openScoped` for that workspace,
/// all in the statement's one snapshot.
struct OneStatementOpen {
    var version: Int
    var catalog: [UInt8]
    var user: String
    var headSeq: Int64
    var headHash: String
    /// The records of no workspace, oldest first.
    var none: [(seq: Int64, line: String)]
    /// The workspace's stored state from a trusted writer (nil: no row; `.some(nil)`: unreadable).
    var stored: PostgresLedger.StoredStateColumns??
    /// The line and prev of the record the stored state stands at.
    var stateRecord: (line: String, prev: String)?
    /// The balance of the workspace's last credit entry up to the stored state.
    var stateBalance: Int64?
    /// The workspace's records after its stored state, oldest first.
    var tail: [(seq: Int64, line: String)]
    /// The line and prev of the head record.
    var headRecord: (line: String, prev: String)?
}

extension PostgresSession {
    /// An open of workspace `id` in one round trip: nil when the statement fails or finds no
    /// ledger (an older schema without its functions, no schema, a role without rights, a lost
    /// connection), so that the caller takes the step-by-step path, which names the problem.
    func openRead(_ id: String) -> OneStatementOpen? {
        guard let row = (try? query(Self.openReadSQL, [id]))?.first else { return nil }
        return Self.openRead(row)
    }

    /// Decodes `openReadSQL`'s row; nil when a column is not what the statement gives.
    static func openRead(_ row: PostgresRow) -> OneStatementOpen? {
        let cells = row.makeRandomAccess()
        func cell<T: PostgresDecodable>(_ index: Int, _ type: T.Type) throws -> T { try cells[index].decode(T.self) }
        func lines(_ seqs: Int, _ texts: Int) throws -> [(seq: Int64, line: String)] {
            let (numbers, lines) = (try cell(seqs, [Int64]?.self) ?? [], try cell(texts, [String]?.self) ?? [])
            guard numbers.count == lines.count else { throw PostgresProblem.server(sqlState: "XX000", message: "unexpected row") }
            return Array(zip(numbers, lines)).map { (seq: $0.0, line: $0.1) }
        }
        func record(_ index: Int) throws -> (line: String, prev: String)? {
            guard let pair = try cell(index, [String]?.self), pair.count == 2 else { return nil }
            return (pair[0], pair[1])
        }
        do {
            var stored: PostgresLedger.StoredStateColumns?? = nil
            if try cell(7, Bool.self) {
                if let blob = try? cell(8, ByteBuffer.self), let seq = try? cell(9, Int64.self), let hash = try? cell(10, String.self),
                   let sha = try? cell(11, ByteBuffer.self) {
                    stored = .some(.init(state: Array(blob.readableBytesView), seq: seq, hash: hash, sha256: Array(sha.readableBytesView)))
                } else {
                    stored = .some(nil)
                }
            }
            return OneStatementOpen(version: Int(try cell(0, Int32.self)), catalog: Array(try cell(1, ByteBuffer.self).readableBytesView),
                                    user: try cell(2, String.self), headSeq: try cell(3, Int64.self), headHash: try cell(4, String.self),
                                    none: try lines(5, 6), stored: stored, stateRecord: try record(12),
                                    stateBalance: try? cell(13, Int64?.self), tail: try lines(14, 15), headRecord: try record(16))
        } catch {
            return nil
        }
    }

    /// `versionAndLedgerRow` and `openInOneRun` for one workspace ($1) as one statement, so one
    /// snapshot without BEGIN and COMMIT: the schema version, the catalog and `session_user`, the
    /// head, the records of no workspace, the trusted stored state, the record it stands at (line
    /// and prev as a pair), the balance to check it by, the records after it, and the head's
    /// record. The records are read by scalar subqueries: `chain_record` joined laterally to a
    /// LEFT JOIN's column was planned to take a second here.
    static let openReadSQL = """
        SELECT v.version, l.catalog_json, session_user::text, h.seq, h.hash, n.seqs, n.lines,
               s.workspace IS NOT NULL, s.state, s.state_seq, s.state_hash, s.state_sha256,
               (SELECT ARRAY[r.line, r.prev] FROM creditdesk.chain_record(s.state_seq) r),
               (SELECT e.balance FROM creditdesk.entries e WHERE e.workspace = $1 AND e.seq <= s.state_seq ORDER BY e.seq DESC LIMIT 1),
               t.seqs, t.lines, (SELECT ARRAY[r.line, r.prev] FROM creditdesk.chain_record(h.seq) r)
        FROM (SELECT coalesce(max(version), 0) AS version FROM creditdesk.schema_version) v
        CROSS JOIN (SELECT catalog_json FROM creditdesk.ledger LIMIT 1) l
        CROSS JOIN creditdesk.head h
        CROSS JOIN LATERAL (SELECT array_agg(c.seq ORDER BY c.seq) AS seqs, array_agg(c.line ORDER BY c.seq) AS lines
                            FROM creditdesk.chain_of(NULL, 0, h.seq, \(PostgresLedger.tailPageRows)) c) n
        LEFT JOIN LATERAL (SELECT w.workspace, w.state, w.state_seq, w.state_hash, w.state_sha256 FROM creditdesk.workspace_states w
                           WHERE w.workspace = $1 AND \(PostgresLedger.trustedWriter)) s ON true
        CROSS JOIN LATERAL (SELECT array_agg(c.seq ORDER BY c.seq) AS seqs, array_agg(c.line ORDER BY c.seq) AS lines
                            FROM creditdesk.chain_of($1, coalesce(s.state_seq, 0), h.seq, \(PostgresLedger.tailPageRows)) c) t
        """
}

extension PostgresLedger {
    /// `openScoped`'s reads for one workspace, as `openRead` gave them: false, with nothing
    /// kept, when a page came back full or the stored state did not check out.
    func openFrom(_ read: OneStatementOpen, workspace id: String) throws(PostgresProblem) -> Bool {
        guard read.none.count < Self.tailPageRows else { return false }
        try foldLines(read.none, into: &state)
        guard try foldRead(id, head: read.headSeq, stored: read.stored, record: read.stateRecord, balance: read.stateBalance,
                           tail: read.tail) else { return false }
        try standAtHead(read.headSeq, hash: read.headHash, line: read.headRecord)
        return true
    }
}
