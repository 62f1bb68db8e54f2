import CreditKit
import LedgerCore
import PostgresNIO

extension PostgresLedger {
    /// Creates the schema in the empty database at `location` (migrations) and writes the init
    /// record; `actor` becomes the first support agent (nil: the connecting role, `session_user`).
    public static func create(_ location: PostgresLocation, credentials: PostgresCredentials, catalogBytes: [UInt8],
                              catalog: Catalog, actor: String? = nil, time: Timestamp,
                              clock: LedgerClock = .real) throws(LedgerError) -> PostgresLedger {
        let session = try connect(location, credentials)
        do throws(LedgerError) {
            let user = try PostgresError.mapped { () throws(PostgresProblem) -> String in
                guard try session.schemaVersion() == 0 else { throw .alreadyInitialized(database: location.database) }
                try session.migrate()
                let user = try PostgresError.decode(try session.query("SELECT session_user::text")[0], as: String.self)
                try session.transaction { () throws(PostgresProblem) in
                    try writeInit(session, catalogBytes: catalogBytes, catalog: catalog, actor: actor ?? user, time: time, clock: clock)
                }
                return user
            }
            let ledger = PostgresLedger(session: session, catalog: catalog, sessionUser: user)
            try ledger.refresh()
            return ledger
        } catch {
            session.close()
            throw error
        }
    }

    private static func writeInit(_ session: PostgresSession, catalogBytes: [UInt8], catalog: Catalog,
                                  actor: String, time: Timestamp, clock: LedgerClock) throws(PostgresProblem) {
        let catalogHash = JournalFormat.sha256Hex(catalogBytes)
        try session.query("INSERT INTO creditdesk.ledger (catalog_id, catalog_json, catalog_sha256, created_by) VALUES ($1, $2, $3, $4)",
                          [catalog.id, ByteBuffer(bytes: catalogBytes), catalogHash, actor])
        var first = Entry(seq: 1, time: time, kind: .initialize, actor: actor)
        first.catalog = catalog.id
        first.catalogHash = catalogHash
        if clock == .test { first.clock = .test }
        let (line, hash) = JournalFormat.encode(first, prev: JournalFormat.genesisHash, more: false)
        try session.query("INSERT INTO creditdesk.journal (seq, line, prev, hash, more) VALUES (1, $1, $2, $3, false)",
                          [String(decoding: line, as: UTF8.self), JournalFormat.genesisHash, hash])
        try session.query("INSERT INTO creditdesk.head (seq, hash) VALUES (1, $1)", [hash])
    }

    public func submit(_ command: Command, context: CommandContext) throws(LedgerError) -> SubmitOutcome {
        var pending = [(command, context)]
        return try submitBatch(limit: 1, readingOriginals: true) { _ in pending.popLast() }[0]
    }

    public func submitBatch(limit: Int, readingOriginals: Bool,
                            _ next: (LedgerState) -> (Command, CommandContext)?) throws(LedgerError) -> [SubmitOutcome] {
        var outcomes: [SubmitOutcome] = []
        try write(limit: limit, readingOriginals: readingOriginals, next) { outcomes.append($0) }
        return outcomes
    }

    @discardableResult
    public func submitStreaming(limit: Int, _ next: (LedgerState) -> (Command, CommandContext)?,
                                decided: (SubmitOutcome) -> Void) throws(LedgerError) -> [AlertMessage] {
        var alerts: [AlertMessage] = []
        try write(limit: limit, readingOriginals: false, next) { outcome in
            if case .recorded(let entries, let messages) = outcome {
                alerts += messages
                decided(.recorded(entries, alerts: []))
            } else {
                decided(outcome)
            }
        }
        return alerts
    }

    public func finishStreaming() throws(LedgerError) {}

    /// The one write path. In one transaction: lock the chain head row (`creditdesk.lock_head()`,
    /// waiting at most `lockTimeout`), fold what others committed, decide each command with the
    /// engine against that state, hand the lines, balances and states to `append_commit` (which
    /// checks them, derives entries and keys, and moves the head), COMMIT. Outcomes are handed out only after COMMIT returned; on any failure the
    /// state is read again from the database and nothing stands.
    ///
    /// The lock is waited for in slices of `lockSliceMilliseconds`, so a person who gives up
    /// (`lockWait`, the console's Esc) is heard between them; a write past the lock finishes.
    private func write(limit: Int, readingOriginals: Bool, _ next: (LedgerState) -> (Command, CommandContext)?,
                       deliver: (SubmitOutcome) -> Void) throws(LedgerError) {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int64(lockTimeout * 1000))
        while true {
            if lockWait.isAbandoned { throw .lockWaitAbandoned }
            let left = max(1, Int64(((deadline - clock.now) / .milliseconds(1)).rounded(.up)))
            do throws(PostgresProblem) {
                try attempt(lockMilliseconds: min(left, Self.lockSliceMilliseconds), limit: limit, readingOriginals: readingOriginals,
                            next, deliver: deliver)
                return
            } catch .lockTimeout where clock.now < deadline {
                continue
            } catch {
                throw PostgresError.ledgerError(error)
            }
        }
    }

    /// The head's lock (`creditdesk.lock_head()`) and the first page of the records after $1
    /// in one statement: the head's seq and hash, then the page's seqs and lines as arrays.
    var lockAndCatchUpSQL: String {
        """
        SELECT h.seq, h.hash, a.seqs, a.lines FROM creditdesk.lock_head() h
        CROSS JOIN LATERAL (SELECT array_agg(c.seq ORDER BY c.seq) AS seqs, array_agg(c.line ORDER BY c.seq) AS lines
                            FROM (\(chain.after(rows: Self.foldPageRows))) c) a
        """
    }

    /// The head's seq and the first page of `lockAndCatchUpSQL`'s row.
    static func lockedHead(_ row: PostgresRow) throws(PostgresProblem) -> (seq: Int64, page: [(seq: Int64, line: String)]) {
        let (seq, _, seqs, lines) = try PostgresError.decode(row, as: (Int64, String, [Int64]?, [String]?).self)
        let (numbers, texts) = (seqs ?? [], lines ?? [])
        guard numbers.count == texts.count else { throw .server(sqlState: "XX000", message: "unexpected row: \(numbers.count) seqs, \(texts.count) lines") }
        return (seq, Array(zip(numbers, texts)).map { (seq: $0.0, line: $0.1) })
    }

    /// How long one try waits for the chain head's lock before the give-up flag is looked at again.
    static let lockSliceMilliseconds: Int64 = 200

    /// One try of the write path, waiting at most `lockMilliseconds` for the head's lock. Two
    /// waits on the server in all: BEGIN, the lock timeout, and the head's lock with the first
    /// page of the records others committed (one statement) go as one pipelined run; the engine decides; then the write's
    /// one statement, COMMIT and the wait for the flush go as another (`commit`). Between the lock
    /// and COMMIT this thread waits once.
    private func attempt(lockMilliseconds: Int64, limit: Int, readingOriginals: Bool,
                         _ next: (LedgerState) -> (Command, CommandContext)?,
                         deliver: (SubmitOutcome) -> Void) throws(PostgresProblem) {
        let before = state
        let storedBefore = stored
        do throws(PostgresProblem) {
            let locked = try session.pipelined([
                ("BEGIN", []),
                ("SET LOCAL lock_timeout = '\(lockMilliseconds)ms'", []),
                (lockAndCatchUpSQL, [state.lastSeq]),
            ])
            guard let headRow = locked[2].first else { throw .notInitialized(database: session.location.database) }
            let (headSeq, firstPage) = try Self.lockedHead(headRow)
            try catchUp(firstPage: firstPage)
            // The statement's snapshot predates a wait for the lock: what the writer it waited
            // for committed is read by a statement of its own.
            if state.lastSeq < headSeq { try catchUp() }
            guard state.lastSeq == headSeq else {
                throw .damaged(seq: headSeq, problem: "the chain head says seq \(headSeq) but the journal ends at \(state.lastSeq)")
            }
            var batch = PostgresBatch(prev: state.lastHash)
            var outcomes: [SubmitOutcome] = []
            var taken = 0
            while taken < limit, let (command, context) = next(state) {
                taken += 1
                outcomes.append(try decide(command, context: context, readingOriginals: readingOriginals, into: &batch))
            }
            let states = storesStates ? stateWrites(of: batch.entries) : StateWrites()
            try commit(batch, states: states)
            outcomes.forEach(deliver)
        } catch {
            if !session.connection.isClosed { _ = try? session.query("ROLLBACK") }
            state = before
            stored = storedBefore
            throw error
        }
    }

    /// Writes `batch`, commits, and waits until the commit is durable: the write's statement,
    /// COMMIT and `durableStatement` as one pipelined run. The write's own COMMIT does not wait
    /// for the disk, so the head's lock is free while the WAL is flushed and several desks'
    /// flushes are shared; the command is reported only after the flush. With nothing to write,
    /// COMMIT alone, which waits for the disk itself (the head's row lock wrote WAL), so a
    /// decision taken against another desk's commit still being flushed is reported only once
    /// that commit is durable too. A connection lost once COMMIT may have run is
    /// `commitUnknown`: the write may stand.
    private func commit(_ batch: PostgresBatch, states: StateWrites) throws(PostgresProblem) {
        guard let write = batch.statement(state: state, states: states), let durable = batch.durable else {
            do { _ = try session.pipelined([("COMMIT", [])]) } catch .connectionLost(let why) { throw .commitUnknown(why: why) }
            return
        }
        let answers: [Result<[PostgresRow], PostgresProblem>]
        do { answers = try session.answers([write, ("COMMIT", []), durable]) } catch .connectionLost(let why) { throw .commitUnknown(why: why) }
        for answer in answers {
            if case .failure(.connectionLost(let why)) = answer { throw .commitUnknown(why: why) }
        }
        if case .failure(let problem) = answers[0] { throw problem }
        if case .failure(let problem) = answers[1] { throw problem }
        // The write stands: its durability statement failing (the commit took this role's access
        // away) cannot undo it, so wait for the flush without reading the schema.
        guard case .failure = answers[2] else { return }
        do {
            _ = try session.pipelined([(PostgresBatch.barrierStatement, durable.binds)])
        } catch {
            throw .commitUnknown(why: "its flush to disk could not be awaited (\(error))")
        }
    }

    /// Decides one command against the state so far; a recorded commit is folded and queued.
    private func decide(_ command: Command, context: CommandContext, readingOriginals: Bool,
                        into batch: inout PostgresBatch) throws(PostgresProblem) -> SubmitOutcome {
        var reversal: ReversalFacts?
        if let (workspace, seq) = command.reversalFactsEntry, state.workspaces[workspace] != nil {
            reversal = try reversalFacts(workspace, seq: seq, pending: batch.entries)
        }
        switch Engine.decide(command, inPlace: &state, context: context, reversal: reversal) {
        case .failure(let rejection):
            return .rejected(rejection)
        case .success(.nothingToRecord(let why)):
            return .nothingToRecord(why)
        case .success(.alreadyRecorded(let why)):
            guard readingOriginals, let seq = why.originalSeq else { return .alreadyRecorded(why, original: nil) }
            var original = batch.entries.first { $0.seq == seq }
            if original == nil { original = try entryRow(seq: seq) }
            if let original, let reuse = command.keyReuse(of: original) { return .rejected(reuse) }
            return .alreadyRecorded(why, original: original)
        case .success(.append(let drafts)):
            let entries = try batch.add(drafts)
            try Self.fold(entries, into: &state)
            let alerts = entries.filter { $0.kind == .alert }.compactMap { alert -> AlertMessage? in
                guard let id = alert.workspace, let workspace = state.workspaces[id] else { return nil }
                return AlertMail.compose(alert: alert, workspace: workspace, catalog: state.catalog)
            }
            batch.queue(alerts)
            return .recorded(entries, alerts: alerts)
        }
    }
}
