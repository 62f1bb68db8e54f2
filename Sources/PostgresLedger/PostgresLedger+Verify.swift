import CreditKit
import LedgerCore
import PostgresNIO

extension PostgresLedger {
    /// Checks the whole journal from its first row, as `verify` does on a file ledger: every
    /// line's hash, the chain, the fold, and each commit replayed through the rules
    /// (`RuleReplay`). Also checks the head row names the last record. Names the first bad record.
    public func verify(expectedHead: (seq: Int64, hash: String)?) throws(LedgerError) -> VerifyReport {
        var folded = LedgerState(catalog: state.catalog)
        var prev = JournalFormat.genesisHash
        var pending: [Entry] = []
        var records = 0
        var bytes: Int64 = 0
        var pinned: String?
        var admitted = false
        var lastCredit: [String: Int64] = [:]
        var refunded = RefundedParcels()
        try forEachLine { seq, line throws(PostgresProblem) in
            let record = try JournalRecord.decode(line, seq: seq, prev: prev)
            if let expectedHead, seq == expectedHead.seq { pinned = record.entry.hash }
            records += 1
            bytes += Int64(line.utf8.count + 1)
            prev = record.entry.hash
            if record.entry.kind.movesCredits, let id = record.entry.workspace { lastCredit[id] = seq }
            pending.append(record.entry)
            guard !record.more else { return }
            let commit = pending
            pending = []
            let first = commit[0]
            let reversal: (Int64) -> ReversalFacts? = { seq in
                try? self.reversalFacts(first.workspace ?? "", seq: seq, pending: [], before: first.seq)
            }
            if let (bad, breach) = RuleReplay.breach(in: commit, state: &folded, admittedOlderText: &admitted, reversal: reversal,
                                                     refunded: refunded) {
                throw .damaged(seq: bad, problem: breach.message)
            }
            refunded.note(commit, before: folded)
            try Self.fold(commit, into: &folded)
        }
        try checkHead(folded)
        if storesStates { try checkStoredSummaries(folded) }
        try checkBalanceRows(folded, lastCredit: lastCredit)
        if let expectedHead, pinned != expectedHead.hash {
            throw .headNotInChain(seq: expectedHead.seq, hash: expectedHead.hash, found: pinned, journalEnds: folded.lastSeq)
        }
        return VerifyReport(records: records, workspaces: folded.workspaces.count, headSeq: folded.lastSeq, headHash: folded.lastHash,
                            journalBytes: bytes, tornTail: nil, checkpoint: "none (PostgreSQL)")
    }

    private func forEachLine(_ body: (Int64, String) throws(PostgresProblem) -> Void) throws(LedgerError) {
        try PostgresError.mapped { () throws(PostgresProblem) in
            var after: Int64 = 0
            while true {
                let rows = try session.query(chain.after(rows: Self.foldPageRows), [after])
                for row in rows {
                    let (seq, line) = try PostgresError.decode(row, as: (Int64, String).self)
                    guard seq == after + 1 else { throw .damaged(seq: after + 1, problem: "the record is missing (the journal jumps to seq \(seq))") }
                    after = seq
                    try body(seq, line)
                }
                if rows.count < Self.foldPageRows { return }
            }
        }
    }

    /// Each stored summary (what `workspace list` shows without a fold) must be the fold's, byte
    /// for byte; every workspace must have one. Stored states are checked as they are loaded.
    private func checkStoredSummaries(_ folded: LedgerState) throws(LedgerError) {
        try PostgresError.mapped { () throws(PostgresProblem) in
            var seen: Set<String> = []
            for row in try session.query("SELECT workspace, summary FROM creditdesk.workspace_states") {
                let (id, blob) = try PostgresError.decode(row, as: (String, ByteBuffer).self)
                seen.insert(id)
                guard let ws = folded.workspaces[id] else {
                    throw .damaged(seq: 0, problem: "creditdesk.workspace_states holds workspace \(id), which the journal never created")
                }
                var expected = BinaryWriter()
                WorkspaceStateCodec.encodeSummary(WorkspaceSummary(ws), into: &expected)
                guard Array(blob.readableBytesView) == expected.bytes else {
                    throw .damaged(seq: 0, problem: "the stored summary of workspace \(id) (creditdesk.workspace_states) does not match the journal")
                }
            }
            // Row-level security shows a support agent every row; a member only its workspaces'.
            if folded.operators[sessionUser] == .support, let missing = folded.workspaces.keys.sorted().first(where: { !seen.contains($0) }) {
                throw .damaged(seq: 0, problem: "workspace \(missing) has no row in creditdesk.workspace_states")
            }
        }
    }

    /// Each row of `creditdesk.balances` (what BI tools and psql read) must be the fold's: the
    /// balance, earned, spent and held after the workspace's last credit entry, and its seq;
    /// a workspace with credit entries must have one. A row no entry explains is damage too.
    private func checkBalanceRows(_ folded: LedgerState, lastCredit: [String: Int64]) throws(LedgerError) {
        try PostgresError.mapped { () throws(PostgresProblem) in
            var seen: Set<String> = []
            for row in try session.query("SELECT workspace, ARRAY[balance, earned, spent, held, seq] FROM creditdesk.balances") {
                let (id, numbers) = try PostgresError.decode(row, as: (String, [Int64]).self)
                seen.insert(id)
                guard let expected = Self.balanceRow(of: folded.workspaces[id], lastCredit: lastCredit[id]) else {
                    throw .damaged(seq: 0, problem: "creditdesk.balances holds workspace \(id), which has no credit entry in the journal")
                }
                let found = BalanceRow(balance: numbers[0], earned: numbers[1], spent: numbers[2], held: numbers[3], seq: numbers[4])
                guard found == expected else {
                    throw .damaged(seq: 0, problem: "creditdesk.balances says workspace \(id) has \(found) but the journal says \(expected)")
                }
            }
            // Row-level security shows a support agent every row; a member only its workspaces'.
            let missing = lastCredit.keys.sorted().first { !seen.contains($0) }
            if folded.operators[sessionUser] == .support, let missing {
                throw .damaged(seq: 0, problem: "workspace \(missing) has credit entries but no row in creditdesk.balances")
            }
        }
    }

    /// One `creditdesk.balances` row's numbers, as the fold gives them.
    struct BalanceRow: Equatable, CustomStringConvertible {
        var balance, earned, spent, held, seq: Int64
        var description: String { "balance \(balance), earned \(earned), spent \(spent), held \(held) as of record \(seq)" }
    }

    /// What `creditdesk.balances` holds for `ws`, whose last credit entry is `lastCredit`: nil
    /// before its first credit entry.
    static func balanceRow(of ws: WorkspaceState?, lastCredit: Int64?) -> BalanceRow? {
        guard let ws, let lastCredit else { return nil }
        return BalanceRow(balance: ws.balance, earned: ws.earned, spent: ws.spent, held: ws.held, seq: lastCredit)
    }

    /// The head row must name the journal's last record.
    private func checkHead(_ folded: LedgerState) throws(LedgerError) {
        try PostgresError.mapped { () throws(PostgresProblem) in
            let rows = try session.query("SELECT seq, hash FROM creditdesk.head")
            guard let row = rows.first else { throw .damaged(seq: 0, problem: "creditdesk.head is empty") }
            let (seq, hash) = try PostgresError.decode(row, as: (Int64, String).self)
            guard seq == folded.lastSeq, hash == folded.lastHash else {
                throw .damaged(seq: seq, problem: "creditdesk.head names \(seq):\(hash) but the journal ends at \(folded.lastSeq):\(folded.lastHash)")
            }
        }
    }
}
