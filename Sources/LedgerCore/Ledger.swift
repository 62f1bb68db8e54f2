import CreditKit

/// What a ledger backend offers, and all the executable and the console see of one: the folded
/// state, commands submitted safely against concurrent writers, and reads of history. The file
/// ledger (LedgerStore), the in-memory ledger (`MemoryLedger`) and a database backend implement it.
///
/// Synchronous and `throws(LedgerError)` on purpose: the CLI runs one command and exits, and the
/// console's loop handles one key at a time, so neither has anything to do while a write is in
/// flight. A network backend blocks its caller on its own event loop and maps its failures to
/// `LedgerError`, whose every case means nothing was written.
public protocol Ledger: AnyObject {
    /// Where the ledger is, for messages: a directory, or a database URL without its password.
    var location: String { get }
    /// The state as of the last read or write: every workspace, or those a backend loaded.
    var state: LedgerState { get }
    /// The clock the ledger runs on (R27): `.test` for one created with a test clock. A clock
    /// reset is a command (`.resetClock`), recorded like any other.
    var clock: LedgerClock { get }
    /// How long a writer waits for another writer, in seconds, before `LedgerError.lockTimeout`.
    var lockTimeout: Double { get set }
    /// Lets another thread make a write still waiting for that lock give up (`LedgerError.lockWaitAbandoned`).
    var lockWait: LockWait { get }

    /// Reads what other writers recorded since the last read (for long-running readers).
    func refresh() throws(LedgerError)
    /// Loads one workspace into a ledger opened for some workspaces only; a no-op when it is
    /// loaded, unknown, or every workspace is.
    func ensureLoaded(_ workspace: String) throws(LedgerError)
    /// Loads each of `workspaces` that is not loaded yet, as `ensureLoaded(_:)` does one; a
    /// backend may read them all in one snapshot.
    func ensureLoaded(_ workspaces: Set<String>) throws(LedgerError)
    /// Loads every workspace written since the ledger was opened, so their summaries are current.
    func loadTouchedWorkspaces() throws(LedgerError)
    /// A summary of every workspace, loaded or not, in id order, as recorded.
    func workspaceSummaries() -> [WorkspaceSummary]
    /// `workspaceSummaries()` brought up to `time` (S3 expiries due by then applied).
    func workspaceSummaries(broughtUpTo time: Timestamp) -> [WorkspaceSummary]

    /// Decides `command` against the freshest state and records it durably, in one commit.
    /// An idempotent repeat (R6, R10, R26) carries the entry that did it first.
    func submit(_ command: Command, context: CommandContext) throws(LedgerError) -> SubmitOutcome
    /// Decides commands one after another, each against the state the ones before left, and
    /// records them all durably at once; `next` gives the next command (nil to stop), at most
    /// `limit`. Each command is its own commit. With `readingOriginals`, repeats carry their original.
    func submitBatch(limit: Int, readingOriginals: Bool,
                     _ next: (LedgerState) -> (Command, CommandContext)?) throws(LedgerError) -> [SubmitOutcome]
    /// `submitBatch` for large imports: each outcome goes to `decided` as it is decided (without
    /// alerts or originals) and is not kept. Returns the batch's alert messages (R24).
    @discardableResult
    func submitStreaming(limit: Int, _ next: (LedgerState) -> (Command, CommandContext)?,
                         decided: (SubmitOutcome) -> Void) throws(LedgerError) -> [AlertMessage]
    /// Tidies up after a run of `submitStreaming` (the file ledger rewrites its checkpoint).
    func finishStreaming() throws(LedgerError)

    /// A workspace's credit entries (R22), newest first, of `kinds` (nil: all), at most `limit`.
    func history(of workspace: String, kinds: Set<EntryKind>?, limit: Int?) throws(LedgerError) -> [Entry]
    /// Rows `start ..< start + count` of a workspace's credit history, counted from the newest.
    func historyPage(of workspace: String, start: Int, count: Int) throws(LedgerError) -> [Entry]
    /// How many credit entries a workspace has.
    func historyCount(of workspace: String) -> Int
    /// One entry by its sequence number; nil when there is none (or it is not indexed here).
    func entry(seq: Int64) throws(LedgerError) -> Entry?
    /// Up to `count` entries of every workspace matching `filter`, newest first, older than
    /// `before` (nil: the newest); with `newerThan`, only entries after that seq (live views).
    func activityPage(before: EntryPosition?, count: Int, filter: EntryFilter,
                      newerThan: Int64?) throws(LedgerError) -> EntryPage
    /// What a reversal (R34) of entry `seq` needs: the entry, and the adjustment reversing it already.
    func reversalFacts(workspace: String, seq: Int64) throws(LedgerError) -> ReversalFacts
    /// The seq of the adjustment that reverses entry `seq` of `workspace`, if there is one.
    func reversal(of seq: Int64, in workspace: String) throws(LedgerError) -> Int64?

    /// Checks every record, the hash chain and the rules from the first record; throws the first
    /// damage, or `headNotInChain` when `expectedHead` is no longer in the chain. A ledger too
    /// damaged to open is verified through its backend type (`FileLedger.verify(directory:)`).
    func verify(expectedHead: (seq: Int64, hash: String)?) throws(LedgerError) -> VerifyReport
    /// Calls `body` with every record in order, oldest first, without holding them all (export).
    /// Throws what `body` throws, or a `LedgerError` from reading.
    func forEachEntry(_ body: (Entry) throws -> Void) throws
    /// The problems met after commits were durable, since the last call (each leaves its commit
    /// standing and is repaired by a later write).
    func takeWarnings() -> [AfterCommitWarning]
}

extension Ledger {
    /// One `ensureLoaded(_:)` per workspace, in id order.
    public func ensureLoaded(_ workspaces: Set<String>) throws(LedgerError) {
        for id in workspaces.sorted() { try ensureLoaded(id) }
    }

    /// R33: workspace `id`'s balance, earned, spent and held as of `time`, from its credit
    /// entries: a binary search by time over their positions (a few reads at any size), then
    /// the entries after it, to wind the totals back. Every backend has it through the protocol.
    public func balance(of id: String, asOf time: Timestamp) throws(LedgerError) -> BalanceAsOf? {
        try ensureLoaded(id)
        guard let written = state.workspaces[id] else { return nil }
        let count = historyCount(of: id)
        let after = try AsOf.entriesAfter(time, count: count) { (position: Int) throws(LedgerError) -> Timestamp in
            try historyPage(of: id, start: position, count: 1).first?.time ?? time
        }
        let newer = after == 0 ? [] : try historyPage(of: id, start: 0, count: after)
        return AsOf.rewind(written, over: newer, to: time)
    }
}
