import CreditKit
import LedgerCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FileLedger {
    /// Creates a new ledger in `directory` (made 0700 if missing) priced by `catalogBytes`;
    /// `actor` becomes its first support agent. A `.test` clock is recorded in the init record (R27).
    public static func create(directory: String, catalogBytes: [UInt8], catalogSource: String,
                              actor: String, time: Timestamp, clock: LedgerClock = .real) throws(LedgerError) -> FileLedger {
        let paths = Paths(directory: directory)
        let catalog = try CatalogLoader.decode(catalogBytes, source: catalogSource, checkingText: true)
        guard FreeText.isValidToken(actor) else {
            throw .badCatalog(file: catalogSource, problems: ["the operator name \"\(actor)\" is not a valid name"])
        }
        if POSIXFile.exists(paths.journal) { throw .alreadyExists(directory: paths.directory) }
        try POSIXFile.makeDirectory(paths.directory)
        chmod(paths.directory, 0o700)
        try OutboxFolders.open(paths).close()
        // The writers' lock is held until the init record is durable: a reader that meets the
        // journal still empty waits for it (`waitForCreator`) instead of calling it damaged.
        let lock = try POSIXFile.open(paths.lock, flags: O_RDWR | O_CREAT | O_NOFOLLOW)
        defer { close(lock) }
        try POSIXFile.lockExclusive(lock, timeout: creationWaitSeconds, path: paths.lock)
        defer { POSIXFile.unlock(lock) }
        // Claim the directory first: of two concurrent `init`s, only one creates the journal.
        let descriptor: Int32
        do {
            descriptor = try POSIXFile.open(paths.journal, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW)
        } catch {
            if case .io(_, _, EEXIST) = error { throw .alreadyExists(directory: paths.directory) }
            throw error
        }
        defer { close(descriptor) }
        try POSIXFile.writeFileAtomically(paths.catalog, catalogBytes)
        var first = Entry(seq: 1, time: time, kind: .initialize, actor: actor)
        first.catalog = catalog.id
        first.catalogHash = SHA256Hex.digest(catalogBytes)
        if clock == .test { first.clock = .test }
        let (line, _) = JournalFormat.encode(first, prev: JournalFormat.genesisHash, more: false)
        try POSIXFile.writeAll(descriptor, line + [10], at: 0, path: paths.journal)
        try POSIXFile.sync(descriptor, path: paths.journal)
        try POSIXFile.syncDirectory(paths.directory)
        POSIXFile.unlock(lock)
        return try open(directory: paths.directory)
    }

    /// How long an opener waits for a ledger being created (its creator holds the lock), in seconds.
    static let creationWaitSeconds: Double = 10

    /// An empty journal may be a ledger being created this moment: its creator holds the
    /// writers' lock until the init record is durable, so wait once for that lock (never creating
    /// it). Returns at once when nobody holds it (an emptied journal, an `init` that was killed).
    static func waitForCreator(_ paths: Paths) {
        guard let lock = try? POSIXFile.open(paths.lock, flags: O_RDONLY | O_NOFOLLOW) else { return }
        defer { close(lock) }
        guard (try? POSIXFile.lockExclusive(lock, timeout: creationWaitSeconds, path: paths.lock)) != nil else { return }
        POSIXFile.unlock(lock)
    }

    /// Decides `command` against the freshest state and records it durably. Under the exclusive
    /// lock: catch up with other writers, cut a torn tail, decide, append the whole commit in one
    /// write, fsync, then deliver alert messages to the outbox. A failed write is cut back.
    public func submit(_ command: Command, context: CommandContext) throws(LedgerError) -> SubmitOutcome {
        var pending: [(Command, CommandContext)] = [(command, context)]
        let outcomes = try submitBatch(limit: 1, readingOriginals: true) { _ in pending.popLast() }
        return outcomes[0]
    }

    /// Decides commands one after another, each against the state the ones before it left, and
    /// records all of them with one write and one fsync (`generate`, `import`). `next` gives the
    /// next command for the state so far, nil to stop; at most `limit` are taken. Each command's
    /// records form their own commit, so a crash keeps whole commands only. With
    /// `readingOriginals`, an idempotent repeat carries the entry that did it first (read back
    /// from the journal); batches leave it out to stay fast.
    public func submitBatch(limit: Int, readingOriginals: Bool = false,
                            _ next: (LedgerState) -> (Command, CommandContext)?) throws(LedgerError) -> [SubmitOutcome] {
        var outcomes: [SubmitOutcome] = []
        let delivered = try submitBatch(limit: limit, readingOriginals: readingOriginals, refreshingCheckpoint: true, next) { outcomes.append($0) }
        guard !delivered.isEmpty else { return outcomes }
        return outcomes.map { outcome in
            guard case .recorded(let entries, _) = outcome else { return outcome }
            let seqs = Set(entries.map(\.seq))
            return .recorded(entries, alerts: delivered.filter { seqs.contains($0.seq) }.map(\.message.message))
        }
    }

    /// `submitBatch` for large imports: each outcome goes to `decided` as it is decided (with no
    /// alert messages), and nothing of the batch is kept once written. The outcomes stand only
    /// if this returns; the checkpoint is left for `refreshCheckpoint()` at the end of the import.
    /// Returns the batch's alert messages delivered to `outbox/new/`, for the caller to send (R24).
    @discardableResult
    public func submitStreaming(limit: Int, _ next: (LedgerState) -> (Command, CommandContext)?,
                                decided: (SubmitOutcome) -> Void) throws(LedgerError) -> [AlertMessage] {
        try submitBatch(limit: limit, readingOriginals: false, refreshingCheckpoint: false, next, decided: decided).map(\.message.message)
    }

    /// Rewrites the checkpoint if the journal has run far past it (after a streamed import).
    public func refreshCheckpoint() throws(LedgerError) {
        try withWriteLock(refreshingCheckpoint: true) { _ throws(LedgerError) in }
    }

    /// After a streamed import: the checkpoint is brought up to the journal (`refreshCheckpoint`).
    public func finishStreaming() throws(LedgerError) {
        try refreshCheckpoint()
    }

    /// Where the last write put the alert message `alert`, if it reached `outbox/new/`.
    public func delivery(of alert: AlertMessage) -> OutboxMessage? {
        deliveries.first { $0.message.seq == alert.seq }
    }

    /// The one batch writer: decides, folds and encodes each command straight into one buffer,
    /// stages alerts, writes and syncs once. Returns the alert messages delivered, by seq.
    private func submitBatch(limit: Int, readingOriginals: Bool, refreshingCheckpoint: Bool,
                             _ next: (LedgerState) -> (Command, CommandContext)?,
                             decided: (SubmitOutcome) -> Void) throws(LedgerError) -> [(seq: Int64, message: OutboxMessage)] {
        deliveries = []
        return try withWriteLock(refreshingCheckpoint: refreshingCheckpoint) { descriptor throws(LedgerError) in
            // Decide on the state itself, not a copy: with no second reference to it, folding a
            // charge into a workspace with a million jobs costs one insert, not a copy of them all.
            var batch = BatchWriter(state: state, start: scanner.end, keepingEntries: readingOriginals, readingBack: limit == 1)
            state = LedgerState(catalog: batch.state.catalog)
            scanner.state = state
            var committed = false
            defer { if !committed { restoreAfterFailedBatch() } }
            var taken = 0
            while taken < limit, let (command, context) = next(batch.state) {
                taken += 1
                decided(try decide(command, context: context, readingOriginals: readingOriginals, into: &batch))
            }
            guard !batch.bytes.isEmpty else {
                state = batch.state
                scanner.state = batch.state
                committed = true
                return []
            }
            let delivered = try append(&batch, to: descriptor)
            committed = true
            return delivered
        }
    }

    /// Decides one command against the batch so far and, when it records something, adds its
    /// commit to the batch.
    private func decide(_ command: Command, context: CommandContext, readingOriginals: Bool,
                        into batch: inout BatchWriter) throws(LedgerError) -> SubmitOutcome {
        var reversal: ReversalFacts?
        if let (workspace, seq) = command.reversalFactsEntry, batch.state.workspaces[workspace] != nil {
            reversal = try reversalFacts(workspace: workspace, seq: seq)
        }
        switch batch.decide(command, context: context, reversal: reversal) {
        case .failure(let rejection):
            return .rejected(rejection)
        case .success(.nothingToRecord(let why)):
            return .nothingToRecord(why)
        case .success(.alreadyRecorded(let why)):
            let original = readingOriginals
                ? try why.originalSeq.flatMap { seq throws(LedgerError) in try originalEntry(seq, among: batch.written) } : nil
            // R26: the same payment or request id for another pack or amount is refused, not answered.
            if let original, let reuse = command.keyReuse(of: original) { return .rejected(reuse) }
            return .alreadyRecorded(why, original: original)
        case .success(.append(let drafts)):
            let commit = try batch.add(drafts)
            for (entry, offset) in commit { scanner.note(entry, offset: offset) }
            return .recorded(commit.map(\.entry), alerts: [])
        }
    }

    /// After a batch that could not be written: read the journal again, as a new opener would.
    private func restoreAfterFailedBatch() {
        if let fresh = try? FileLedger.open(directory: paths.directory, workspaces: scanner.scope) {
            state = fresh.state
            scanner = fresh.scanner
            checkpointIndex = fresh.checkpointIndex
            journalIdentity = fresh.journalIdentity
        }
    }

    /// The first entry of an idempotent repeat: from this batch, or from the journal.
    private func originalEntry(_ seq: Int64, among written: [Entry]) throws(LedgerError) -> Entry? {
        if let first = written.first, seq >= first.seq { return written[Int(seq - first.seq)] }
        return try entry(seq: seq)
    }

    /// Runs `body` holding the exclusive lock, with the journal open for writing and caught up.
    /// Both `DIR/lock` and the journal file itself are locked: a journal reached from a second
    /// directory (a symlink or a hard link) is written by one writer at a time all the same.
    /// After `body`, a checkpoint that cannot be rewritten is a warning (`takeWarnings`), not a failure.
    func withWriteLock<T>(refreshingCheckpoint: Bool = true, _ body: (Int32) throws(LedgerError) -> T) throws(LedgerError) -> T {
        let lockDescriptor = try POSIXFile.open(paths.lock, flags: O_RDWR | O_CREAT | O_NOFOLLOW)
        defer { close(lockDescriptor) }
        try POSIXFile.lockExclusive(lockDescriptor, timeout: lockTimeout, path: paths.lock, wait: lockWait)
        defer { POSIXFile.unlock(lockDescriptor) }
        let descriptor = try POSIXFile.open(paths.journal, flags: O_RDWR)
        defer { close(descriptor) }
        try POSIXFile.lockExclusive(descriptor, timeout: lockTimeout, path: paths.journal)
        defer { POSIXFile.unlock(descriptor) }
        try catchUp(descriptor)
        if let tail = tornTail {
            try POSIXFile.truncate(descriptor, to: tail.offset, path: paths.journal)
            try POSIXFile.sync(descriptor, path: paths.journal)
            cutTail = tail
            tornTail = nil
        }
        let folders = try OutboxFolders.open(paths)
        outboxFolders = folders
        defer {
            outboxFolders = nil
            folders.close()
        }
        try reconcileOutbox(folders)
        let result = try body(descriptor)
        if refreshingCheckpoint { refreshCheckpointIfLong() }
        return result
    }

    /// Keeps opening cheap: once the journal has run far past the checkpoint, rewrite it (under
    /// the writers' lock, so it describes a journal nobody is appending to). It runs after the
    /// commit, so a failure here is a warning: the checkpoint is a cache, the records stand.
    private func refreshCheckpointIfLong() {
        guard tailRecords >= checkpointRefreshRecords || checkpointNeedsRebuild, tornTail == nil else { return }
        do throws(LedgerError) {
            if scanner.scope == nil {
                try saveCheckpoint()
            } else {
                try FileLedger.open(directory: paths.directory).saveCheckpoint()
            }
        } catch {
            warnings.append(.checkpointNotRewritten(error))
        }
    }

    /// The problems met after this ledger's commits were durable, since the last call; each
    /// leaves the commit standing and is repaired by a later write.
    public func takeWarnings() -> [AfterCommitWarning] {
        defer { warnings = [] }
        return warnings
    }

    /// Appends a batch's commits with one write and one fsync, adopts the state they were folded
    /// into, and delivers their alert messages. A failed write is cut back to where it began.
    private func append(_ batch: inout BatchWriter, to descriptor: Int32) throws(LedgerError) -> [(seq: Int64, message: OutboxMessage)] {
        let alerts = try stageAlerts(batch.alerts, folded: batch.state)
        let start = scanner.end
        precondition(start == batch.start, "the journal moved under the writer's lock")
        do {
            try POSIXFile.writeAll(descriptor, batch.bytes, at: start, path: paths.journal)
            try POSIXFile.sync(descriptor, path: paths.journal)
        } catch {
            // Nothing of a failed commit may stay behind: cut back to where it started.
            _ = ftruncate(descriptor, off_t(start))
            _ = fsync(descriptor)
            for alert in alerts { outboxFolders?.discard(alert.message.fileName) }
            throw error
        }
        // The records were folded while they were decided (and indexed by `scanner.note`).
        let end = start + Int64(batch.bytes.count)
        let folded = batch.release()
        scanner.adopt(folded, recordCount: batch.recordCount, end: end)
        state = folded
        deliveries = deliver(alerts.map(\.message))
        let delivered = Set(deliveries.map(\.fileName))
        return alerts.filter { delivered.contains($0.message.fileName) }
    }

    /// Writes each alert's message to `outbox/tmp/` before the journal commit (through the
    /// folders the write lock opened, else opened here).
    func stageAlerts(_ entries: [Entry], folded: LedgerState) throws(LedgerError) -> [(seq: Int64, message: OutboxMessage)] {
        guard entries.contains(where: { $0.kind == .alert }) else { return [] }
        let held = outboxFolders
        let folders: OutboxFolders
        if let held { folders = held } else { folders = try OutboxFolders.open(paths) }
        defer { if held == nil { folders.close() } }
        var messages: [(seq: Int64, message: OutboxMessage)] = []
        var staged: [OutboxFolders.Staged] = []
        for entry in entries {
            guard entry.kind == .alert, let id = entry.workspace, let workspace = folded.workspaces[id] else { continue }
            let mail = AlertMail.compose(alert: entry, workspace: workspace, catalog: folded.catalog)
            let name = AlertMail.fileName(for: entry)
            staged.append((name, mail.text, paths.outbox + "/tmp/" + name))
            messages.append((entry.seq, OutboxMessage(message: mail, fileName: name, path: paths.outbox + "/new/" + name)))
        }
        try folders.stage(staged, tmpPath: paths.outbox + "/tmp")
        return messages
    }

    /// Moves staged messages into `outbox/new/` once their commit is durable. The commit stands
    /// whatever happens here: a message that cannot be moved stays staged and the next writer
    /// delivers it (`reconcileOutbox`), so it is returned only once it is really in `new/`.
    private func deliver(_ messages: [OutboxMessage]) -> [OutboxMessage] {
        guard !messages.isEmpty, let folders = outboxFolders else { return [] }
        let delivered = messages.filter { message in
            guard let code = folders.deliver(message.fileName) else { return true }
            warnings.append(.alertLeftStaged(fileName: message.fileName, errno: code))
            return false
        }
        folders.syncNew()
        return delivered
    }

    /// After a crash between commit and delivery: a staged message whose alert record is in the
    /// journal is delivered; one whose commit never landed is removed. No alert goes out twice.
    private func reconcileOutbox(_ folders: OutboxFolders) throws(LedgerError) {
        for name in folders.staged() where name.hasSuffix(".creditdesk") {
            if let seq = Self.alertSeq(inFileName: name), let entry = try entry(seq: seq), entry.kind == .alert {
                _ = folders.deliver(name)
            } else {
                folders.discard(name)
            }
        }
    }

    static func alertSeq(inFileName name: String) -> Int64? {
        guard let marker = name.split(separator: ".").dropFirst().first, marker.hasPrefix("S") else { return nil }
        return Int64(marker.dropFirst().prefix { $0.isNumber })
    }
}
