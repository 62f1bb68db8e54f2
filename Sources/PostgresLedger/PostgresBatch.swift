import Crypto
import CreditKit
import LedgerCore

/// The commits of one write transaction: entries chained and encoded with the journal codec,
/// then written by one statement (`commitStatement`) calling `creditdesk.append_commit` (schema
/// version 9) with the journal lines, the balances and the stored workspace states; the server
/// checks them and derives the entries and idempotency keys from the lines itself. Each part
/// travels as one JSON array, so a batch costs one round trip whatever its size, and the head's
/// lock is held that much shorter.
struct PostgresBatch {
    /// The hash of the last record encoded: the next one's `prev`.
    private(set) var prev: String
    private(set) var entries: [Entry] = []
    private var journalLines: [UInt8] = []
    /// The alert emails to queue in `creditdesk.outbox` with the batch (schema version 11).
    private var mailRows: [UInt8] = []
    private var touched: Set<String> = []

    init(prev: String) {
        self.prev = prev.isEmpty ? JournalFormat.genesisHash : prev
    }

    /// Chains and encodes one commit's drafts; returns them with their hashes. A record whose
    /// line would not read back is refused before any of the commit is queued.
    mutating func add(_ drafts: [Entry]) throws(PostgresProblem) -> [Entry] {
        var encoded: [(entry: Entry, line: [UInt8])] = []
        var chained = prev
        for (index, draft) in drafts.enumerated() {
            let (line, hash) = JournalFormat.encode(draft, prev: chained, more: index < drafts.count - 1)
            var entry = draft
            entry.hash = hash
            if let problem = JournalFormat.readBackProblem(line, as: entry) {
                throw .server(sqlState: "XX000", message: LedgerError.unreadableRecord(seq: entry.seq, problem: problem).description)
            }
            chained = hash
            encoded.append((entry, line))
        }
        for (index, record) in encoded.enumerated() {
            appendRows(record.entry, line: record.line, more: index < encoded.count - 1)
        }
        let commit = encoded.map(\.entry)
        entries += commit
        return commit
    }

    /// Queues the alert emails of the commit just added, to be written by the same statement
    /// (`queue_mail`). A message without a recipient (an owner that is not one address, on an
    /// older ledger) goes nowhere and is not queued.
    mutating func queue(_ messages: [AlertMessage]) {
        for message in messages where !message.to.isEmpty {
            Self.appendRow(&mailRows, [("seq", .integer(message.seq)), ("recipient", .text(message.to)),
                                       ("subject", .text(message.subject)), ("message", .text(message.text))])
        }
    }

    /// Takes one record copied from another ledger (`migrate`), its line exactly as it was;
    /// the caller has checked its hash and its link to `prev`.
    mutating func add(copied record: CopiedRecord) {
        appendRows(record.entry, line: record.line, more: record.more)
        entries.append(record.entry)
    }

    /// Queues one record's line (the server derives its journal, entries and key rows from it);
    /// moves `prev` on.
    private mutating func appendRows(_ entry: Entry, line: [UInt8], more: Bool) {
        if !journalLines.isEmpty { journalLines.append(UInt8(ascii: ",")) }
        JSONString.append(String(decoding: line, as: UTF8.self), to: &journalLines)
        if entry.kind.movesCredits, let workspace = entry.workspace { touched.insert(workspace) }
        prev = entry.hash
    }

    /// The `history --json` columns of a credit entry (`ws` is `workspace`).
    static let entryKeys: [JournalKey] = [
        .seq, .time, .kind, .ws, .credits, .balance, .actor, .action, .job, .item, .pack, .priceCents, .invoice, .plan,
        .source, .expires, .ref, .reverses, .onBehalfOf, .payment, .request, .alert, .messages, .member, .status, .reason, .hash,
        .held, .by, .rollover,
    ]

    /// The `entries` row of a credit entry, column by column: what the client wrote before schema
    /// version 9, and what the server's derivation (`SchemaMigrations.deriveEntriesSQL`) is tested against.
    static func entryColumns(_ entry: Entry) -> [(String, RowValue)] {
        entryKeys.map { key in
            let name = key == .ws ? "workspace" : key.rawValue
            switch key.value(in: entry) {
            case .text(let text)?: return (name, .text(text))
            case .integer(let number)?: return (name, .integer(number))
            case nil: return (name, .null)
            }
        }
    }

    /// R5–R7, R10, R26: the keys an entry takes, each once per workspace; R37, R39: a top-up
    /// request id, written once and answered once. The server derives the same from the line
    /// (`SchemaMigrations.deriveKeysSQL`); the tests hold the two to each other.
    static func idempotencyKeys(of entry: Entry) -> [(String, String)] {
        var keys: [(String, String)] = []
        switch entry.kind {
        case .charge:
            if let job = entry.job { keys.append(("job", job)) }
            if let item = entry.item { keys.append(("clone", (entry.action ?? "") + ":" + item)) }
        case .refund:
            if let job = entry.job { keys.append(("refund", job)) }
        case .grant:
            if let invoice = entry.invoice { keys.append(("invoice", invoice)) }
        case .topup:
            if let payment = entry.payment { keys.append(("payment", payment)) }
            if let ref = entry.ref { keys.append(("topup_answer", AutoTopUpPolicy.requestIDPrefix + String(ref))) }
        case .topUpDeclined:
            if let request = entry.request { keys.append(("topup_answer", request)) }
        case .alert where entry.alert == .topUpRequest:
            if let request = entry.request { keys.append(("topup_request", request)) }
        default: break
        }
        if let request = entry.request, entry.kind == .adjustment || entry.kind == .grant { keys.append(("request", request)) }
        return keys
    }

    /// Writes the batch and the stored states `states` (JSON arrays, see `StateWrites`) in one
    /// statement; nothing when no command recorded anything.
    func insert(into session: PostgresSession, state: LedgerState, states: StateWrites = StateWrites()) throws(PostgresProblem) {
        guard let write = statement(state: state, states: states) else { return }
        try session.query(write.sql, write.binds)
    }

    /// The one statement writing the batch and the stored states `states` (`commitStatement`
    /// with its binds); nil when no command recorded anything.
    func statement(state: LedgerState, states: StateWrites = StateWrites()) -> PostgresSession.Statement? {
        guard !entries.isEmpty else { return nil }
        return (Self.commitStatement, [Self.array(journalLines), Self.array(balanceRows(state)), states.whole, states.summaries,
                                       Self.array(mailRows)])
    }

    /// One statement for the whole write: `creditdesk.append_commit` with the journal lines ($1),
    /// balances ($2), whole stored states ($3) and summaries only ($4, other workspaces than
    /// $3's), which checks them, derives the entries and idempotency keys, and moves the head;
    /// then `creditdesk.queue_mail` with the commit's alert emails ($5), in the same statement
    /// and transaction (schema version 11: a commit and its emails land together or not at all). It
    /// turns `synchronous_commit` off for its own transaction, so the COMMIT after it frees the
    /// head's lock without waiting for the disk; `durableStatement` waits for the disk after,
    /// outside the lock (docs/POSTGRESQL.md, "The head's lock").
    static let commitStatement = """
        SELECT set_config('synchronous_commit', 'off', true), creditdesk.queue_mail($5::jsonb)
        FROM creditdesk.append_commit($1::jsonb, $2::jsonb, $3::jsonb, $4::jsonb)
        """

    /// Run on its own right after a write's COMMIT, as a transaction of its own with the
    /// session's `synchronous_commit`: it returns only once the WAL is flushed past it, and so
    /// past the write (the WAL is written and flushed in order). A transaction commits
    /// synchronously only if it wrote WAL, so it writes a transactional logical message (an
    /// empty one, prefix `creditdesk`, ignored by decoding plugins that do not ask for it). It
    /// also announces the write's head seq ($1) on `creditdesk_journal`: listeners hear of a
    /// write only once it is durable. Pipelined after a write that failed, it finds the head
    /// short of $1 and does nothing (no WAL, no flush, no announcement).
    static let durableStatement = """
        SELECT pg_logical_emit_message(true, 'creditdesk', ''), pg_notify('creditdesk_journal', $1::text)
        FROM creditdesk.head WHERE seq >= $1::bigint
        """

    /// `durableStatement` without the head's guard, touching nothing of the schema: run only
    /// once the write's COMMIT is known to have succeeded, when `durableStatement` could not
    /// read the head (the commit took the writer's own access away: a support agent who removed
    /// themselves, R42). It announces and waits for the flush all the same.
    static let barrierStatement = """
        SELECT pg_logical_emit_message(true, 'creditdesk', ''), pg_notify('creditdesk_journal', $1::text)
        """

    /// `durableStatement` with its bind, for a batch that recorded something; nil otherwise.
    var durable: PostgresSession.Statement? {
        entries.last.map { last in (Self.durableStatement, [String(last.seq)]) }
    }

    private func balanceRows(_ state: LedgerState) -> [UInt8] {
        var rows: [UInt8] = []
        let lastSeq = Dictionary(entries.compactMap { entry in entry.kind.movesCredits ? entry.workspace.map { ($0, entry.seq) } : nil },
                                 uniquingKeysWith: max)
        for id in touched.sorted() {
            guard let ws = state.workspaces[id] else { continue }
            Self.appendRow(&rows, [("workspace", .text(id)), ("balance", .integer(ws.balance)), ("earned", .integer(ws.earned)),
                                   ("spent", .integer(ws.spent)), ("seq", .integer(lastSeq[id] ?? 0)), ("held", .integer(ws.held))])
        }
        return rows
    }

    /// A value of one column, as JSON.
    enum RowValue {
        case text(String), integer(Int64), bool(Bool), null
    }

    private static func appendRow(_ rows: inout [UInt8], _ columns: [(String, RowValue)]) {
        if !rows.isEmpty { rows.append(UInt8(ascii: ",")) }
        rows.append(UInt8(ascii: "{"))
        for (index, (name, value)) in columns.enumerated() {
            if index > 0 { rows.append(UInt8(ascii: ",")) }
            JSONString.append(name, to: &rows)
            rows.append(UInt8(ascii: ":"))
            switch value {
            case .text(let text): JSONString.append(text, to: &rows)
            case .integer(let number): rows += Array(String(number).utf8)
            case .bool(let flag): rows += Array((flag ? "true" : "false").utf8)
            case .null: rows += Array("null".utf8)
            }
        }
        rows.append(UInt8(ascii: "}"))
    }

    private static func array(_ rows: [UInt8]) -> String { "[" + String(decoding: rows, as: UTF8.self) + "]" }
}

/// The stored workspace states a write updates with its records, as JSON arrays of
/// `workspace_states` rows: `whole` (summary and state) and `summaries` (summary only).
struct StateWrites {
    var whole = "[]"
    var summaries = "[]"
}

extension JournalFormat {
    /// SHA-256 of `bytes` as lowercase hex: the catalog's hash in the init record.
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }
}
