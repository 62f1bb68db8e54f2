import CreditKit

/// A ledger kept in arrays, for tests and embedding: it decides with the same `Engine`, chains
/// every record with the same codec (`JournalFormat`), and keeps job, invoice, payment and
/// request keys in the same state, so idempotency (R6, R10, R26) holds as on disk and `verify`
/// gives the head a file ledger fed the same commands gives. Nothing survives the process.
public final class MemoryLedger: Ledger {
    /// A name for messages (`memory` unless the creator gives one); no path.
    public let location: String
    /// The folded state of every record so far.
    public private(set) var state: LedgerState
    /// The clock the ledger was created with (R27).
    public let clock: LedgerClock
    /// Kept for the protocol; nothing waits on it (no other writer).
    public var lockTimeout: Double = 10
    /// Never waited on: a memory ledger has no other writer.
    public let lockWait = LockWait()
    /// Every record, oldest first: `entries[seq - 1]`.
    private var entries: [Entry] = []
    /// The credit entries of each workspace, as indexes into `entries`, oldest first.
    private var creditIndex: [String: [Int]] = [:]
    /// Whether each record's commit goes on after it (its `more` flag), by `seq - 1`.
    private var continues: [Bool] = []
    /// The bytes the records take in the journal encoding, newlines included.
    private var journalBytes: Int64 = 0

    private init(location: String, catalog: Catalog, clock: LedgerClock) {
        self.location = location
        self.state = LedgerState(catalog: catalog)
        self.clock = clock
    }

    /// A new ledger priced by `catalog` (whose file bytes `catalogBytes` the init record hashes);
    /// `actor` becomes its first support agent. The init record is the one `FileLedger.create` writes.
    public static func create(catalog: Catalog, catalogBytes: [UInt8], actor: String, time: Timestamp,
                              clock: LedgerClock = .real, location: String = "memory") throws(LedgerError) -> MemoryLedger {
        guard FreeText.isValidToken(actor) else {
            throw .badCatalog(file: location, problems: ["the operator name \"\(actor)\" is not a valid name"])
        }
        let ledger = MemoryLedger(location: location, catalog: catalog, clock: clock)
        var first = Entry(seq: 1, time: time, kind: .initialize, actor: actor)
        first.catalog = catalog.id
        first.catalogHash = SHA256Hex.digest(catalogBytes)
        if clock == .test { first.clock = .test }
        _ = ledger.append([first])
        return ledger
    }

    // MARK: Loading (everything is always loaded)

    public func refresh() throws(LedgerError) {}
    public func ensureLoaded(_ workspace: String) throws(LedgerError) {}
    public func loadTouchedWorkspaces() throws(LedgerError) {}
    public func finishStreaming() throws(LedgerError) {}
    public func takeWarnings() -> [AfterCommitWarning] { [] }

    public func workspaceSummaries() -> [WorkspaceSummary] {
        state.workspaces.keys.sorted().compactMap { state.workspaces[$0].map(WorkspaceSummary.init) }
    }

    public func workspaceSummaries(broughtUpTo time: Timestamp) -> [WorkspaceSummary] {
        workspaceSummaries().map { $0.broughtUp(to: time) }
    }

    // MARK: Writing

    public func submit(_ command: Command, context: CommandContext) throws(LedgerError) -> SubmitOutcome {
        var pending: [(Command, CommandContext)] = [(command, context)]
        return try submitBatch(limit: 1, readingOriginals: true) { _ in pending.popLast() }[0]
    }

    public func submitBatch(limit: Int, readingOriginals: Bool,
                            _ next: (LedgerState) -> (Command, CommandContext)?) throws(LedgerError) -> [SubmitOutcome] {
        var outcomes: [SubmitOutcome] = []
        while outcomes.count < limit, let (command, context) = next(state) {
            outcomes.append(decide(command, context: context, readingOriginals: readingOriginals))
        }
        return outcomes
    }

    @discardableResult
    public func submitStreaming(limit: Int, _ next: (LedgerState) -> (Command, CommandContext)?,
                                decided: (SubmitOutcome) -> Void) throws(LedgerError) -> [AlertMessage] {
        var alerts: [AlertMessage] = []
        var taken = 0
        while taken < limit, let (command, context) = next(state) {
            taken += 1
            let outcome = decide(command, context: context, readingOriginals: false)
            if case .recorded(let written, let messages) = outcome {
                alerts += messages
                decided(.recorded(written, alerts: []))
            } else {
                decided(outcome)
            }
        }
        return alerts
    }

    /// Decides one command against the state and records what it decided.
    private func decide(_ command: Command, context: CommandContext, readingOriginals: Bool) -> SubmitOutcome {
        var reversal: ReversalFacts?
        if let (workspace, seq) = command.reversalFactsEntry, state.workspaces[workspace] != nil {
            reversal = reversalFacts(inWorkspace: workspace, seq: seq)
        }
        switch Engine.decide(command, in: state, context: context, reversal: reversal) {
        case .failure(let rejection):
            return .rejected(rejection)
        case .success(.nothingToRecord(let why)):
            return .nothingToRecord(why)
        case .success(.alreadyRecorded(let why)):
            let original = readingOriginals ? why.originalSeq.flatMap(record) : nil
            // R26: the same payment or request id for another pack or amount is refused, not answered.
            if let original, let reuse = command.keyReuse(of: original) { return .rejected(reuse) }
            return .alreadyRecorded(why, original: original)
        case .success(.append(let drafts)):
            let commit = append(drafts)
            let alerts = commit.compactMap { entry -> AlertMessage? in
                guard entry.kind == .alert, let id = entry.workspace, let workspace = state.workspaces[id] else { return nil }
                return AlertMail.compose(alert: entry, workspace: workspace, catalog: state.catalog)
            }
            return .recorded(commit, alerts: alerts)
        }
    }

    /// Chains one commit after the last record, as the journal would encode it, and folds it in.
    private func append(_ drafts: [Entry]) -> [Entry] {
        var prev = state.lastHash.isEmpty ? JournalFormat.genesisHash : state.lastHash
        var commit: [Entry] = []
        for (index, draft) in drafts.enumerated() {
            var entry = draft
            let more = index < drafts.count - 1
            let (line, hash) = JournalFormat.encode(draft, prev: prev, more: more)
            continues.append(more)
            entry.hash = hash
            prev = hash
            journalBytes += Int64(line.count + 1)
            commit.append(entry)
        }
        do { try state.apply(commit) } catch { preconditionFailure("rules produced an unfoldable commit: \(error)") }
        for entry in commit {
            if let ws = entry.workspace, entry.kind.movesCredits { creditIndex[ws, default: []].append(entries.count) }
            entries.append(entry)
        }
        return commit
    }

    // MARK: Reading

    public func history(of workspace: String, kinds: Set<EntryKind>?, limit: Int?) throws(LedgerError) -> [Entry] {
        guard limit != 0 else { return [] }
        var out: [Entry] = []
        for index in (creditIndex[workspace] ?? []).reversed() {
            let entry = entries[index]
            if let kinds, !kinds.contains(entry.kind) { continue }
            out.append(entry)
            if let limit, out.count >= limit { break }
        }
        return out
    }

    public func historyPage(of workspace: String, start: Int, count: Int) throws(LedgerError) -> [Entry] {
        let refs = creditIndex[workspace] ?? []
        guard start >= 0, count > 0, start < refs.count else { return [] }
        let newest = refs.count - 1 - start
        let oldest = max(0, newest - count + 1)
        return stride(from: newest, through: oldest, by: -1).map { entries[refs[$0]] }
    }

    public func historyCount(of workspace: String) -> Int { creditIndex[workspace]?.count ?? 0 }

    public func entry(seq: Int64) throws(LedgerError) -> Entry? { record(seq) }

    /// The record `seq`, if there is one.
    private func record(_ seq: Int64) -> Entry? {
        seq >= 1 && seq <= Int64(entries.count) ? entries[Int(seq - 1)] : nil
    }

    /// Here a position is how many records lie before it.
    public func activityPage(before: EntryPosition?, count: Int, filter: EntryFilter,
                             newerThan: Int64?) throws(LedgerError) -> EntryPage {
        precondition(count > 0, "a page holds at least one entry")
        var index = Int(min(before?.value ?? Int64(entries.count), Int64(entries.count)))
        var page = EntryPage(entries: [], next: EntryPosition(Int64(index)), reachedEnd: false, oldestTimeRead: nil, headSeq: state.lastSeq)
        while index > 0, page.entries.count < count {
            let entry = entries[index - 1]
            if let newerThan, entry.seq <= newerThan { page.reachedEnd = true; return page }
            page.oldestTimeRead = entry.time
            if let since = filter.since, entry.time < since { page.reachedEnd = true; return page }
            if filter.matches(entry, catalog: state.catalog) { page.entries.append(entry) }
            index -= 1
            page.next = EntryPosition(Int64(index))
        }
        if index == 0 { page.reachedEnd = true }
        return page
    }

    public func reversalFacts(workspace: String, seq: Int64) throws(LedgerError) -> ReversalFacts {
        reversalFacts(inWorkspace: workspace, seq: seq)
    }

    /// The original, any reversal of it and its rollover links (R41), from the workspace's credit entries.
    private func reversalFacts(inWorkspace workspace: String, seq: Int64) -> ReversalFacts {
        ReversalFacts.find(seq, workspace: workspace, in: (creditIndex[workspace] ?? []).map { entries[$0] })
    }

    public func reversal(of seq: Int64, in workspace: String) throws(LedgerError) -> Int64? {
        reversalFacts(inWorkspace: workspace, seq: seq).reversedBy
    }

    /// Re-encodes every record from the genesis hash and folds it into a fresh state: each hash
    /// must be the one its bytes give, each `prev` the record before's, each record foldable.
    public func verify(expectedHead: (seq: Int64, hash: String)?) throws(LedgerError) -> VerifyReport {
        var replayed = LedgerState(catalog: state.catalog)
        var prev = JournalFormat.genesisHash
        for (index, entry) in entries.enumerated() {
            let hash = JournalFormat.encode(entry, prev: prev, more: continues[index]).hash
            guard hash == entry.hash else {
                throw .damaged(line: index + 1, seq: entry.seq, problem: "its contents do not match its checksum (edited or damaged)")
            }
            do { try replayed.apply(entry) } catch { throw .damaged(line: index + 1, seq: entry.seq, problem: error.problem) }
            prev = hash
        }
        if let expectedHead, record(expectedHead.seq)?.hash != expectedHead.hash {
            throw .headNotInChain(seq: expectedHead.seq, hash: expectedHead.hash, found: record(expectedHead.seq)?.hash, journalEnds: replayed.lastSeq)
        }
        return VerifyReport(records: entries.count, workspaces: replayed.workspaces.count, headSeq: replayed.lastSeq,
                            headHash: replayed.lastHash, journalBytes: journalBytes, tornTail: nil, checkpoint: "none (in memory)")
    }

    public func forEachEntry(_ body: (Entry) throws -> Void) throws {
        for entry in entries { try body(entry) }
    }
}
