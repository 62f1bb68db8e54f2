import CreditKit
import LedgerCore
import PostgresNIO

/// Reads: each answered by the database (the journal's own lines, decoded by the journal codec
/// and checked against their hashes), never by a copy held in memory.
extension PostgresLedger {
    /// Journal rows one activity page walks back over at most before answering with what it found.
    public static let activityScanRowsMax = 20_000
    /// Journal rows read per round trip by a walk.
    static let walkPageRows = 1_000

    public func history(of workspace: String, kinds: Set<EntryKind>?, limit: Int?) throws(LedgerError) -> [Entry] {
        let kindList = (kinds.map { Array($0) } ?? EntryKind.creditKinds).map(\.rawValue)
        let cap = limit.map { " LIMIT \(max(0, $0))" } ?? ""
        return try entries("""
            SELECT j.seq, j.line FROM creditdesk.entries e JOIN creditdesk.journal j USING (seq)
            WHERE e.workspace = $1 AND e.kind = ANY($2) ORDER BY j.seq DESC\(cap)
            """, [workspace, kindList])
    }

    public func historyPage(of workspace: String, start: Int, count: Int) throws(LedgerError) -> [Entry] {
        try entries("""
            SELECT j.seq, j.line FROM creditdesk.entries e JOIN creditdesk.journal j USING (seq)
            WHERE e.workspace = $1 ORDER BY j.seq DESC LIMIT \(max(0, count)) OFFSET \(max(0, start))
            """, [workspace])
    }

    public func historyCount(of workspace: String) -> Int {
        let rows = try? session.query("SELECT count(*) FROM creditdesk.entries WHERE workspace = $1", [workspace])
        return Int((try? rows?.first?.decode(Int64.self)) ?? 0)
    }

    public func entry(seq: Int64) throws(LedgerError) -> Entry? {
        try PostgresError.mapped { () throws(PostgresProblem) in try entryRow(seq: seq) }
    }

    /// One record by seq, checked against its own hash (its link is checked by `verify`).
    func entryRow(seq: Int64) throws(PostgresProblem) -> Entry? {
        let rows = try session.query(chain.record, [seq])
        guard let row = rows.first else { return nil }
        let (line, prev) = try PostgresError.decode(row, as: (String, String).self)
        return try JournalRecord.decode(line, seq: seq, prev: prev).entry
    }

    /// Decodes the (seq, line) rows of `sql`.
    private func entries(_ sql: String, _ binds: [any PostgresEncodable & Sendable]) throws(LedgerError) -> [Entry] {
        try PostgresError.mapped { () throws(PostgresProblem) in
            var found: [Entry] = []
            for row in try session.query(sql, binds) {
                let (seq, line) = try PostgresError.decode(row, as: (Int64, String).self)
                found.append(try JournalRecord.decodeUnlinked(line, seq: seq))
            }
            return found
        }
    }

    public func activityPage(before: EntryPosition?, count: Int, filter: EntryFilter,
                             newerThan: Int64?) throws(LedgerError) -> EntryPage {
        precondition(count > 0, "a page holds at least one entry")
        let head = state.lastSeq
        var next = min(before?.value ?? head + 1, head + 1)
        var found: [Entry] = []
        var oldest: Timestamp?
        var walked = 0
        var reachedEnd = false
        walk: while next > 1, found.count < count, walked < Self.activityScanRowsMax {
            let floor = newerThan ?? 0
            let rows = try PostgresError.mapped { () throws(PostgresProblem) in
                try session.query(chain.before(rows: Self.walkPageRows),
                                  [next, floor])
            }
            if rows.isEmpty { reachedEnd = true; break }
            for row in rows {
                let entry = try PostgresError.mapped { () throws(PostgresProblem) -> Entry in
                    let (seq, line) = try PostgresError.decode(row, as: (Int64, String).self)
                    return try JournalRecord.decodeUnlinked(line, seq: seq)
                }
                walked += 1
                next = entry.seq
                oldest = entry.time
                if let since = filter.since, entry.time < since { reachedEnd = true; break walk }
                if filter.matches(entry, catalog: state.catalog) {
                    found.append(entry)
                    if found.count == count { break walk }
                }
            }
        }
        if next <= 1 { reachedEnd = true; next = 0 }
        return EntryPage(entries: found, next: EntryPosition(next), reachedEnd: reachedEnd, oldestTimeRead: oldest, headSeq: head)
    }

    public func reversalFacts(workspace: String, seq: Int64) throws(LedgerError) -> ReversalFacts {
        try PostgresError.mapped { () throws(PostgresProblem) in try reversalFacts(workspace, seq: seq, pending: []) }
    }

    public func reversal(of seq: Int64, in workspace: String) throws(LedgerError) -> Int64? {
        try reversalFacts(workspace: workspace, seq: seq).reversedBy
    }

    /// The entry `seq` of `workspace` (a credit entry), the adjustment reversing it and its
    /// rollover links (R41), looking in `pending` (this transaction's batch) too; only entries
    /// before `before` count (verify's replay), and only after `seq` (a link is always newer).
    func reversalFacts(_ workspace: String, seq: Int64, pending: [Entry], before: Int64 = .max) throws(PostgresProblem) -> ReversalFacts {
        var original = pending.first { $0.seq == seq }
        if original == nil { original = try entryRow(seq: seq) }
        guard let original, original.workspace == workspace, original.kind.movesCredits else {
            return ReversalFacts(original: nil, reversedBy: nil)
        }
        var facts = ReversalFacts(original: original, reversedBy: try reversal(of: seq, workspace, pending: pending, before: before))
        if let mine = pending.first(where: { $0.kind == .grant && $0.rollover != nil && $0.ref == seq && $0.workspace == workspace }) {
            facts.rolledOverBy = mine.seq
        } else {
            let rows = try session.query("SELECT seq FROM creditdesk.entries WHERE workspace = $1 AND kind = 'grant' AND rollover IS NOT NULL AND ref = $2 AND seq > $2 AND seq < $3 ORDER BY seq LIMIT 1",
                                         [workspace, seq, before])
            facts.rolledOverBy = try rows.first.map { row throws(PostgresProblem) in try PostgresError.decode(row, as: Int64.self) }
        }
        if original.rollover != nil, let grant = original.ref {
            facts.sourceReversedBy = try reversal(of: grant, workspace, pending: pending, before: before)
        }
        return facts
    }

    /// The adjustment of `workspace` that reverses entry `seq` (R34), in `pending` or before `before`.
    private func reversal(of seq: Int64, _ workspace: String, pending: [Entry], before: Int64) throws(PostgresProblem) -> Int64? {
        if let mine = pending.first(where: { $0.kind == .adjustment && $0.reverses == seq && $0.workspace == workspace }) {
            return mine.seq
        }
        let rows = try session.query("SELECT seq FROM creditdesk.entries WHERE workspace = $1 AND kind = 'adjustment' AND reverses = $2 AND seq > $2 AND seq < $3 ORDER BY seq LIMIT 1",
                                     [workspace, seq, before])
        return try rows.first.map { row throws(PostgresProblem) in try PostgresError.decode(row, as: Int64.self) }
    }

    public func forEachEntry(_ body: (Entry) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            let rows = try PostgresError.mapped { () throws(PostgresProblem) in
                try session.query(chain.after(rows: Self.walkPageRows), [after])
            }
            for row in rows {
                let entry = try PostgresError.mapped { () throws(PostgresProblem) -> Entry in
                    let (seq, line) = try PostgresError.decode(row, as: (Int64, String).self)
                    return try JournalRecord.decodeUnlinked(line, seq: seq)
                }
                after = entry.seq
                try body(entry)
            }
            if rows.count < Self.walkPageRows { return }
        }
    }
}

extension JournalRecord {
    /// A line read on its own (a page, an entry): its hash and seq checked, its link left to `verify`.
    static func decodeUnlinked(_ line: String, seq: Int64) throws(PostgresProblem) -> Entry {
        try decodeOwnHash(line, seq: seq).entry
    }

    /// A line decoded by the journal codec, checked against its own hash and the row's seq.
    static func decodeOwnHash(_ line: String, seq: Int64) throws(PostgresProblem) -> JournalFormat.DecodedRecord {
        let decoded: JournalFormat.DecodedRecord
        do {
            decoded = try Array(line.utf8).withUnsafeBufferPointer { bytes throws(JournalFormat.LineProblem) in try JournalFormat.decode(bytes) }
        } catch {
            throw .damaged(seq: seq, problem: error.description)
        }
        guard decoded.entry.seq == seq else { throw .damaged(seq: seq, problem: "the line says seq \(decoded.entry.seq)") }
        return decoded
    }
}
