import CreditKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FileLedger {
    /// Creates a new ledger in `directory` (made 0700 if missing) priced by `catalogBytes`;
    /// `actor` becomes its first support agent.
    public static func create(directory: String, catalogBytes: [UInt8], catalogSource: String,
                              actor: String, time: Timestamp) throws(LedgerError) -> FileLedger {
        let paths = Paths(directory: directory)
        let catalog = try CatalogLoader.decode(catalogBytes, source: catalogSource, checkingText: true)
        guard FreeText.isValidToken(actor) else {
            throw .badCatalog(file: catalogSource, problems: ["the operator name \"\(actor)\" is not a valid name"])
        }
        if POSIXFile.exists(paths.journal) { throw .alreadyExists(directory: paths.directory) }
        try POSIXFile.makeDirectory(paths.directory)
        chmod(paths.directory, 0o700)
        try makeOutbox(paths)
        // Claim the directory first: of two concurrent `init`s, only one creates the journal.
        let descriptor: Int32
        do {
            descriptor = try POSIXFile.open(paths.journal, flags: O_WRONLY | O_CREAT | O_EXCL)
        } catch {
            if case .io(_, _, EEXIST) = error { throw .alreadyExists(directory: paths.directory) }
            throw error
        }
        defer { close(descriptor) }
        try POSIXFile.writeFileAtomically(paths.catalog, catalogBytes)
        var first = Entry(seq: 1, time: time, kind: .initialize, actor: actor)
        first.catalog = catalog.id
        first.catalogHash = SHA256Hex.digest(catalogBytes)
        let (line, _) = JournalFormat.encode(first, prev: JournalFormat.genesisHash, more: false)
        try POSIXFile.writeAll(descriptor, line + [10], at: 0, path: paths.journal)
        try POSIXFile.sync(descriptor, path: paths.journal)
        try POSIXFile.syncDirectory(paths.directory)
        return try open(directory: paths.directory)
    }

    private static func makeOutbox(_ paths: Paths) throws(LedgerError) {
        for folder in [paths.outbox, paths.outbox + "/tmp", paths.outbox + "/new", paths.outbox + "/cur"] {
            try POSIXFile.makeDirectory(folder)
        }
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
            return .recorded(entries, alerts: delivered.filter { seqs.contains($0.seq) }.map(\.message))
        }
    }

    /// `submitBatch` for large imports: each outcome goes to `decided` as it is decided (with no
    /// alert messages), and nothing of the batch is kept once written. The outcomes stand only
    /// if this returns; the checkpoint is left for `refreshCheckpoint()` at the end of the import.
    public func submitStreaming(limit: Int, _ next: (LedgerState) -> (Command, CommandContext)?,
                                decided: (SubmitOutcome) -> Void) throws(LedgerError) {
        _ = try submitBatch(limit: limit, readingOriginals: false, refreshingCheckpoint: false, next, decided: decided)
    }

    /// Rewrites the checkpoint if the journal has run far past it (after a streamed import).
    public func refreshCheckpoint() throws(LedgerError) {
        try withWriteLock(refreshingCheckpoint: true) { _ throws(LedgerError) in }
    }

    /// The one batch writer: decides, folds and encodes each command straight into one buffer,
    /// stages alerts, writes and syncs once. Returns the alert messages delivered, by seq.
    private func submitBatch(limit: Int, readingOriginals: Bool, refreshingCheckpoint: Bool,
                             _ next: (LedgerState) -> (Command, CommandContext)?,
                             decided: (SubmitOutcome) -> Void) throws(LedgerError) -> [(seq: Int64, message: OutboxMessage)] {
        try withWriteLock(refreshingCheckpoint: refreshingCheckpoint) { descriptor throws(LedgerError) in
            // Decide on the state itself, not a copy: with no second reference to it, folding a
            // charge into a workspace with a million jobs costs one insert, not a copy of them all.
            var batch = BatchWriter(state: state, start: scanner.end, keepingEntries: readingOriginals)
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
        if case let .reverse(workspace, seq, _) = command, batch.state.workspaces[workspace] != nil {
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
            return .alreadyRecorded(why, original: original)
        case .success(.append(let drafts)):
            let commit = batch.add(drafts)
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
        }
    }

    /// The first entry of an idempotent repeat: from this batch, or from the journal.
    private func originalEntry(_ seq: Int64, among written: [Entry]) throws(LedgerError) -> Entry? {
        if let first = written.first, seq >= first.seq { return written[Int(seq - first.seq)] }
        return try entry(seq: seq)
    }

    /// Runs `body` holding the exclusive lock, with the journal open for writing and caught up.
    func withWriteLock<T>(refreshingCheckpoint: Bool = true, _ body: (Int32) throws(LedgerError) -> T) throws(LedgerError) -> T {
        let lockDescriptor = try POSIXFile.open(paths.lock, flags: O_RDWR | O_CREAT)
        defer { close(lockDescriptor) }
        try POSIXFile.lockExclusive(lockDescriptor, timeout: lockTimeout, path: paths.lock)
        defer { POSIXFile.unlock(lockDescriptor) }
        let descriptor = try POSIXFile.open(paths.journal, flags: O_RDWR)
        defer { close(descriptor) }
        try catchUp(descriptor)
        if let tail = tornTail {
            try POSIXFile.truncate(descriptor, to: tail.offset, path: paths.journal)
            try POSIXFile.sync(descriptor, path: paths.journal)
            cutTail = tail
            tornTail = nil
        }
        try Self.makeOutbox(paths)
        try reconcileOutbox()
        let result = try body(descriptor)
        if refreshingCheckpoint { try refreshCheckpointIfLong() }
        return result
    }

    /// Keeps opening cheap: once the journal has run far past the checkpoint, rewrite it (under
    /// the writers' lock, so it describes a journal nobody is appending to).
    private func refreshCheckpointIfLong() throws(LedgerError) {
        // An older checkpoint format lacks facts the summaries show: the next writer rewrites it.
        let older = !checkpointUpgraded && (checkpoint?.format ?? Checkpoint.currentFormat) < Checkpoint.currentFormat
        guard tailRecords >= Checkpoint.tailRecordsMax || older, tornTail == nil else { return }
        checkpointUpgraded = true
        if scanner.scope == nil {
            try saveCheckpoint()
        } else {
            try FileLedger.open(directory: paths.directory).saveCheckpoint()
        }
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
            for alert in alerts { unlink(paths.outbox + "/tmp/" + alert.message.fileName) }
            throw error
        }
        // The records were folded while they were decided (and indexed by `scanner.note`).
        let end = start + Int64(batch.bytes.count)
        let folded = batch.release()
        scanner.adopt(folded, recordCount: batch.recordCount, end: end)
        state = folded
        let delivered = Set(deliver(alerts.map(\.message)).map(\.fileName))
        return alerts.filter { delivered.contains($0.message.fileName) }
    }

    /// Writes each alert's message to `outbox/tmp/` before the journal commit.
    func stageAlerts(_ entries: [Entry], folded: LedgerState) throws(LedgerError) -> [(seq: Int64, message: OutboxMessage)] {
        var messages: [(seq: Int64, message: OutboxMessage)] = []
        for entry in entries {
            guard entry.kind == .alert, let id = entry.workspace, let workspace = folded.workspaces[id] else { continue }
            let mail = AlertMail.compose(alert: entry, workspace: workspace, catalog: folded.catalog)
            let name = AlertMail.fileName(for: entry)
            let temporary = paths.outbox + "/tmp/" + name
            let descriptor = try POSIXFile.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC)
            defer { close(descriptor) }
            try POSIXFile.writeAll(descriptor, Array(mail.text.utf8), at: 0, path: temporary)
            try POSIXFile.sync(descriptor, path: temporary)
            messages.append((entry.seq, OutboxMessage(fileName: name, path: paths.outbox + "/new/" + name, text: mail.text,
                                                      to: mail.to, subject: mail.subject)))
        }
        return messages
    }

    /// Moves staged messages into `outbox/new/` once their commit is durable. The commit stands
    /// whatever happens here: a message that cannot be moved stays staged and the next writer
    /// delivers it (`reconcileOutbox`), so it is returned only once it is really in `new/`.
    private func deliver(_ messages: [OutboxMessage]) -> [OutboxMessage] {
        guard !messages.isEmpty else { return [] }
        let delivered = messages.filter { rename(paths.outbox + "/tmp/" + $0.fileName, $0.path) == 0 }
        try? POSIXFile.syncDirectory(paths.outbox + "/new")
        return delivered
    }

    /// After a crash between commit and delivery: a staged message whose alert record is in the
    /// journal is delivered; one whose commit never landed is removed. No alert goes out twice.
    private func reconcileOutbox() throws(LedgerError) {
        let staged = POSIXFile.list(paths.outbox + "/tmp")
        for name in staged where name.hasSuffix(".creditdesk") {
            let from = paths.outbox + "/tmp/" + name
            if let seq = Self.alertSeq(inFileName: name), let entry = try entry(seq: seq), entry.kind == .alert {
                _ = rename(from, paths.outbox + "/new/" + name)
            } else {
                unlink(from)
            }
        }
    }

    static func alertSeq(inFileName name: String) -> Int64? {
        guard let marker = name.split(separator: ".").dropFirst().first, marker.hasPrefix("S") else { return nil }
        return Int64(marker.dropFirst().prefix { $0.isNumber })
    }
}
