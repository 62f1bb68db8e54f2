import CreditKit
import LedgerCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file-backed ledger in one directory: `journal.jsonl` (append-only, hash-chained),
/// `catalog.json`, `outbox/` (Maildir) and a `lock` file. See DESIGN.md, "The ledger on disk".
public final class FileLedger: Ledger {
    /// The files of a ledger directory.
    public struct Paths: Sendable {
        public var directory: String
        public var journal: String { directory + "/journal.jsonl" }
        public var catalog: String { directory + "/catalog.json" }
        public var lock: String { directory + "/lock" }
        public var outbox: String { directory + "/outbox" }

        public init(directory: String) {
            var trimmed = directory
            while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
            self.directory = trimmed
        }
    }

    public let paths: Paths
    public internal(set) var state: LedgerState
    /// A half-written tail seen on the last read and left in place (only a writer cuts it).
    public internal(set) var tornTail: TornTail?
    /// The half-written tail this ledger's last write cut back, if it had to.
    public internal(set) var cutTail: TornTail?
    /// How far the journal may run past the checkpoint before a writer rewrites it (tests lower it).
    var checkpointRefreshRecords = Checkpoint.tailRecordsMax
    /// Problems met after a commit was durable, not yet taken by `takeWarnings()`.
    var warnings: [AfterCommitWarning] = []
    /// Why the checkpoint was not used, when it was there but stale or damaged (it is rebuilt).
    public internal(set) var checkpointProblem: String?
    /// Whether the checkpoint was ignored for a problem a rewrite mends: the next write rebuilds
    /// it, however short the journal's tail, so the note is not said by every command after.
    var checkpointNeedsRebuild = false
    /// How long a writer waits for another writer's lock.
    public var lockTimeout: Double = 10
    /// Another thread may make a write still waiting for the lock give up (`LockWait`).
    public let lockWait = LockWait()
    /// The clock this ledger runs on, from its init record (R27); a ledger made before it was
    /// recorded runs on the real clock.
    public internal(set) var clock: LedgerClock = .real
    var scanner: JournalScanner
    /// Credit-history index of each loaded workspace up to the checkpoint; the scanner holds the rest.
    var checkpointIndex: [String: [RecordRef]] = [:]
    /// The checkpoint this ledger started from, if any.
    var checkpoint: Checkpoint?
    /// The SHA-256 of the `catalog.json` bytes `state.catalog` was read from (the checkpoint keeps it).
    var catalogSHA: [UInt8] = []
    /// The device and inode of the journal file this ledger read (a replaced file is read again).
    var journalIdentity: LedgerFootprint.Identity?
    /// The outbox's folders while this ledger holds the write lock.
    var outboxFolders: OutboxFolders?
    /// Where the last write put its alert messages: their files in `outbox/new/` (R24).
    public internal(set) var deliveries: [OutboxMessage] = []

    init(paths: Paths, catalog: Catalog, scope: Set<String>?) {
        self.paths = paths
        self.state = LedgerState(catalog: catalog)
        self.scanner = JournalScanner(state: state, scope: scope)
    }

    public var checkpointPath: String { paths.directory + "/checkpoint" }

    /// The ledger directory, for messages.
    public var location: String { paths.directory }

    /// Opens the ledger in `directory`: loads its catalog and folds its journal, checking every
    /// record read. With `workspaces`, only those are folded (the others' records are still read
    /// and chain-checked): opening then costs the tail since the checkpoint plus those
    /// workspaces. `useCheckpoint: false` reads the whole journal from its first byte.
    /// A damaged record anywhere but a half-written tail is an error naming it.
    public static func open(directory: String, workspaces: Set<String>? = nil, useCheckpoint: Bool = true) throws(LedgerError) -> FileLedger {
        try open(directory: directory, workspaces: workspaces, useCheckpoint: useCheckpoint, verifying: nil)
    }

    /// `open`, or with `verifying` (bytes per run, no checkpoint) the whole journal checked with
    /// lines decoded on a second thread and no indexes kept: the ledger that results only reports.
    static func open(directory: String, workspaces: Set<String>?, useCheckpoint: Bool, verifying: Int?,
                     watching watchedSeq: Int64? = nil) throws(LedgerError) -> FileLedger {
        precondition(verifying == nil || !useCheckpoint, "verify reads the journal from its first byte")
        let paths = Paths(directory: directory)
        guard POSIXFile.exists(paths.journal) else {
            // A file where the ledger's folder should be is not a ledger to create there.
            if POSIXFile.exists(directory), !POSIXFile.isDirectory(directory) { throw .io(operation: "open", path: directory, errno: ENOTDIR) }
            throw .notFound(directory: paths.directory)
        }
        let descriptor = try POSIXFile.open(paths.journal, flags: O_RDONLY)
        defer { close(descriptor) }
        // An empty journal is not an empty ledger: its init record is missing (an `init` killed
        // before it wrote it, or an emptied file). Refused, never read as a ledger with no operators.
        if POSIXFile.size(ofOrZero: descriptor) == 0 { waitForCreator(paths) }
        guard POSIXFile.size(ofOrZero: descriptor) > 0 else {
            throw .damaged(line: 1, seq: nil, problem: "the journal is empty: it lacks the ledger's init record (an `init` that did not finish, or an emptied file)")
        }
        let catalogBytes = try CatalogLoader.read(path: paths.catalog)
        let catalogSHA = SHA256Hex.raw(catalogBytes)
        // Read once, for the catalog it caches and for `startFromCheckpoint`.
        let early = Result { () throws(BinaryReadError) in try Checkpoint.load(path: paths.directory + "/checkpoint") }
        let cached = useCheckpoint ? (try? early.get())?.catalog(matching: catalogSHA) : nil
        let catalog = if let cached { cached } else { try CatalogLoader.decode(catalogBytes, source: paths.catalog) }
        let ledger = FileLedger(paths: paths, catalog: catalog, scope: workspaces)
        ledger.catalogSHA = catalogSHA
        try ledger.checkCatalog(catalogBytes, descriptor)
        if useCheckpoint { try ledger.startFromCheckpoint(early, descriptor) } else { try ledger.refuseJournalShorterThanCheckpoint(early, descriptor) }
        // Without a checkpoint the whole journal is read anyway: fold every workspace.
        if ledger.checkpoint == nil { ledger.scanner.scope = nil }
        if let runBytes = verifying {
            ledger.scanner.indexing = false
            ledger.scanner.replayingRules = true
            ledger.scanner.watchedSeq = watchedSeq
            try ledger.catchUpInParallel(descriptor, runBytes: runBytes)
            try ledger.checkTornTail(descriptor)
            return ledger
        }
        try ledger.catchUp(descriptor)
        if useCheckpoint && ledger.scanner.scope == nil && ledger.tailRecords >= Checkpoint.tailRecordsMax {
            ledger.saveCheckpointIfUnlocked()
        }
        return ledger
    }

    /// Records read from the journal itself rather than from the checkpoint.
    var tailRecords: Int { scanner.tailOffsets.count }

    /// Takes state and indexes from a checkpoint that matches the journal; on any doubt, starts
    /// from the first byte instead and says why. A journal shorter than the checkpoint's end is
    /// refused (`journalShorterThanCheckpoint`): records were removed.
    private func startFromCheckpoint(_ early: Result<Checkpoint?, BinaryReadError>, _ descriptor: Int32) throws(LedgerError) {
        let checkpoint: Checkpoint
        do {
            guard let loaded = try early.get() else { return }
            checkpoint = loaded
        } catch {
            ignoreCheckpoint(error)
            return
        }
        try checkpoint.refuseIfJournalShorter(descriptor, checkpointPath: checkpointPath)
        do {
            try resume(from: checkpoint, descriptor)
        } catch {
            ignoreCheckpoint(error)
        }
    }

    /// Notes why the checkpoint is not used, and whether rewriting it mends that.
    private func ignoreCheckpoint(_ error: BinaryReadError) {
        checkpointProblem = Checkpoint.ignoredNote(error)
        checkpointNeedsRebuild = !error.blocksRewrite
    }

    /// A reader that does not start from the checkpoint still refuses a journal shorter than it
    /// (an unreadable or damaged checkpoint says nothing and is left to be rebuilt).
    private func refuseJournalShorterThanCheckpoint(_ early: Result<Checkpoint?, BinaryReadError>, _ descriptor: Int32) throws(LedgerError) {
        guard let checkpoint = (try? early.get()) ?? nil else { return }
        try checkpoint.refuseIfJournalShorter(descriptor, checkpointPath: checkpointPath)
    }

    /// Restores state and indexes from a checkpoint once it is checked against the journal.
    private func resume(from checkpoint: Checkpoint, _ descriptor: Int32) throws(BinaryReadError) {
        var checkpoint = checkpoint
        try checkpoint.check(againstJournal: descriptor, path: paths.journal)
        // A ledger opened for no workspace lists them from the directory: it is checked now, so a
        // damaged one is ignored like a damaged header. One workspace is found by binary search.
        if scanner.scope?.isEmpty ?? true { try checkpoint.verifyDirectory() }
        var restored = LedgerState(catalog: state.catalog)
        restored.operators = checkpoint.operators
        restored.removedOperators = checkpoint.removedOperators
        restored.lastSeq = checkpoint.lastSeq
        restored.lastTime = checkpoint.lastTime
        restored.lastHash = checkpoint.lastHash
        var index: [String: [RecordRef]] = [:]
        if let scope = scanner.scope {
            for id in scope {
                guard let (ws, refs) = try checkpoint.workspace(id, path: checkpointPath) else { continue }
                restored.workspaces[id] = ws
                index[id] = refs
            }
        } else {
            for (ws, refs) in try checkpoint.allWorkspaces(path: checkpointPath) {
                restored.workspaces[ws.id] = ws
                index[ws.id] = refs
            }
        }
        var resumed = JournalScanner(state: restored, scope: scanner.scope)
        resumed.end = checkpoint.journalEnd
        resumed.lineCount = checkpoint.lineCount
        resumed.tailBase = checkpoint.lastSeq
        scanner = resumed
        self.checkpoint = checkpoint
        state = restored
        checkpointIndex = index
    }

    /// Writes a fresh checkpoint when no writer holds the lock (it is a cache: skipping is harmless).
    private func saveCheckpointIfUnlocked() {
        guard let lock = try? POSIXFile.open(paths.lock, flags: O_RDWR | O_CREAT | O_NOFOLLOW) else { return }
        defer { close(lock) }
        guard POSIXFile.tryLockExclusive(lock) else { return }
        defer { POSIXFile.unlock(lock) }
        try? saveCheckpoint()
    }

    /// Writes the checkpoint of the current state; every workspace must be loaded.
    public func saveCheckpoint() throws(LedgerError) {
        precondition(scanner.scope == nil, "a checkpoint needs every workspace loaded")
        guard tornTail == nil || tornTail?.offset == scanner.end else { return }
        // Move the tail's index onto the checkpoint's workspace by workspace, in place: building a
        // merged copy would hold the whole index twice. Readers see the same refs either way.
        for id in Array(scanner.creditIndex.keys) {
            guard let refs = scanner.creditIndex.removeValue(forKey: id) else { continue }
            checkpointIndex[id, default: []].append(contentsOf: refs)
        }
        try Checkpoint.write(path: checkpointPath, state: state, index: checkpointIndex, journalEnd: scanner.end, lineCount: scanner.lineCount,
                             catalogSHA: catalogSHA)
        scanner.tailBase = state.lastSeq
        scanner.tailOffsets = []
        checkpointNeedsRebuild = false
    }

    /// Reads whatever was appended since the last read and folds it in, a chunk at a time.
    func catchUp(_ descriptor: Int32) throws(LedgerError) {
        let info = try POSIXFile.status(of: descriptor, path: paths.journal)
        let size = Int64(info.st_size)
        guard size >= scanner.end else {
            throw .damaged(line: scanner.lineCount, seq: state.lastSeq,
                           problem: "the journal is shorter (\(size) bytes) than the \(scanner.end) bytes already read: records were removed")
        }
        // What was read must still be there as it was read (a write is never appended after an
        // edit), and a journal replaced by another file is read again as a fresh open reads it.
        try checkHeadUnchanged(descriptor)
        let identity = LedgerFootprint.Identity(info)
        if let known = journalIdentity, known != identity { try rereadReplacedJournal() }
        journalIdentity = identity
        tornTail = nil
        var chunk = Self.readChunkBytes
        while scanner.end < size {
            let start = scanner.end
            let length = Int(min(Int64(chunk), size - start))
            let bytes = try POSIXFile.readAll(descriptor, from: start, count: length, path: paths.journal)
            let tail: TornTail?
            do {
                tail = try scanner.scan(bytes, base: start)
            } catch {
                state = scanner.state
                throw error
            }
            if start + Int64(bytes.count) >= size {
                tornTail = tail
                break
            }
            // A commit longer than the chunk: read more at once.
            if scanner.end == start { chunk *= 4 }
        }
        // Assigned once, after the loop: sharing the state while scanning would copy every
        // workspace the next chunk touches.
        state = scanner.state
        try checkTornTail(descriptor)
    }

    /// How much of the journal is read at a time.
    static let readChunkBytes = 8 << 20

    /// Re-reads the journal if another process appended to it (for long-running readers).
    public func refresh() throws(LedgerError) {
        let descriptor = try POSIXFile.open(paths.journal, flags: O_RDONLY)
        defer { close(descriptor) }
        try catchUp(descriptor)
    }

    /// The first record names the catalog's SHA-256; the file must still match it.
    private func checkCatalog(_ bytes: [UInt8], _ descriptor: Int32) throws(LedgerError) {
        // The init record is read with its checksum checked, and damage in it is named as line 1.
        let first: Entry
        do {
            first = try readEntry(descriptor, at: 0, checkHash: true)
        } catch {
            if case .damaged(_, _, let problem) = error { throw .damaged(line: 1, seq: 1, problem: problem) }
            throw error
        }
        guard first.kind == .initialize, first.seq == 1 else {
            throw .damaged(line: 1, seq: 1, problem: "the first record is not the ledger's init record")
        }
        clock = first.clock ?? .real
        if let expected = first.catalogHash, expected != SHA256Hex.digest(bytes) {
            throw .badCatalog(file: paths.catalog, problems: ["does not match the catalog this ledger was created with (its SHA-256 differs from the init record's); restore the original file"])
        }
    }

    /// Number of records in the ledger.
    public var recordCount: Int { Int(state.lastSeq) }

    /// Opens the ledger for a list of every workspace without loading them all: the workspaces
    /// the journal's tail names are loaded and folded, the others come from the checkpoint's
    /// summaries (`workspaceSummaries()`).
    public static func openForSummaries(directory: String) throws(LedgerError) -> FileLedger {
        let probe = try open(directory: directory, workspaces: [])
        guard let checked = probe.checkpoint else { return try open(directory: directory) }
        // Nothing written since the checkpoint: the probe is already the ledger asked for.
        guard !probe.scanner.touchedWorkspaces.isEmpty else { return probe }
        let ledger = try open(directory: directory, workspaces: probe.scanner.touchedWorkspaces)
        guard let checkpoint = ledger.checkpoint else { return ledger }
        if checkpoint.pageTableSHA == checked.pageTableSHA && checkpoint.directoryLength == checked.directoryLength {
            // The same directory, checked once by the probe.
            ledger.checkpoint?.verifiedDirectory = checked.verifiedDirectory
        } else if (try? ledger.checkpoint?.verifyDirectory()) == nil {
            return try open(directory: directory, useCheckpoint: false)
        }
        return ledger
    }

    /// Loads one workspace into a ledger opened for some workspaces only, as it stands at this
    /// ledger's last read; later reads fold its records too. Costs the checkpoint's blob for it
    /// and the journal's tail, not the other workspaces.
    public func ensureLoaded(_ id: String) throws(LedgerError) {
        // Known either from the checkpoint (found without decoding the other entries) or created since.
        let known = scanner.knownWorkspaces.contains(id) || ((try? checkpoint?.blob(id)) ?? nil) != nil
        guard scanner.scope != nil, state.workspaces[id] == nil, known else { return }
        var single = try FileLedger.open(directory: paths.directory, workspaces: [id])
        if single.state.lastSeq != state.lastSeq {
            // Someone appended meanwhile: read it here too, then load against the same journal.
            try refresh()
            single = try FileLedger.open(directory: paths.directory, workspaces: [id])
        }
        guard single.state.lastSeq == state.lastSeq, let ws = single.state.workspaces[id] else { return }
        state.workspaces[id] = ws
        scanner.state = state
        scanner.scope?.insert(id)
        checkpointIndex[id] = single.checkpointIndex[id]
        scanner.creditIndex[id] = single.scanner.creditIndex[id]
    }

    /// Loads every workspace the journal's tail names that is not loaded yet, so their
    /// summaries are current (a long-running reader calls it after `refresh()`).
    public func loadTouchedWorkspaces() throws(LedgerError) {
        guard scanner.scope != nil else { return }
        for id in scanner.touchedWorkspaces.sorted() where state.workspaces[id] == nil { try ensureLoaded(id) }
    }

    /// A summary of every workspace, in id order: loaded ones from the state, the others from
    /// the checkpoint (which is current for every workspace the tail does not name).
    public func workspaceSummaries() -> [WorkspaceSummary] {
        var summaries: [WorkspaceSummary] = []
        if scanner.scope != nil, let checkpoint {
            // Straight into one array in the directory's order (already sorted for ASCII ids),
            // with no table of them all.
            summaries.reserveCapacity(checkpoint.workspaceCount + state.workspaces.count)
            try? checkpoint.forEachBlob { id, blob in
                if state.workspaces[id] == nil { summaries.append(blob.summary) }
                return true
            }
        }
        let loaded = state.workspaces.values.map(WorkspaceSummary.init).sorted { $0.id < $1.id }
        guard !summaries.isEmpty else { return loaded }
        // The directory's byte order is the ids' order when they are ASCII: then the loaded
        // ones are merged in, and the others are never moved; otherwise all are sorted.
        guard summaries.indices.dropFirst().allSatisfy({ summaries[$0 - 1].id < summaries[$0].id }) else {
            return (summaries + loaded).sorted { $0.id < $1.id }
        }
        return Self.merged(summaries, loaded)
    }

    /// Two lists each in id order, merged into one in id order.
    private static func merged(_ first: [WorkspaceSummary], _ second: [WorkspaceSummary]) -> [WorkspaceSummary] {
        var out: [WorkspaceSummary] = []
        out.reserveCapacity(first.count + second.count)
        var (left, right) = (0, 0)
        while left < first.count || right < second.count {
            if right == second.count || (left < first.count && first[left].id < second[right].id) {
                out.append(first[left]); left += 1
            } else {
                out.append(second[right]); right += 1
            }
        }
        return out
    }

    /// `workspaceSummaries()` brought up to `time` (S3), so the list gives the balance every
    /// other view gives, without loading any workspace.
    public func workspaceSummaries(broughtUpTo time: Timestamp) -> [WorkspaceSummary] {
        workspaceSummaries().map { $0.broughtUp(to: time) }
    }

    /// The workspaces of the ledger, loaded or not: those in the checkpoint and those created since.
    public var workspaceIDs: Set<String> {
        scanner.knownWorkspaces.union((try? checkpoint?.workspaceIDs()) ?? [])
    }

    /// Where the record `seq` starts, when this ledger has read or indexed it.
    func offset(ofSeq seq: Int64) -> Int64? {
        if seq == 1 { return 0 }
        if seq > scanner.tailBase && seq <= scanner.tailBase + Int64(scanner.tailOffsets.count) {
            return scanner.tailOffsets[Int(seq - scanner.tailBase - 1)]
        }
        for refs in checkpointIndex.values {
            var low = 0, high = refs.count - 1
            while low <= high {
                let middle = (low + high) / 2
                if refs[middle].seq == seq { return refs[middle].offset }
                if refs[middle].seq < seq { low = middle + 1 } else { high = middle - 1 }
            }
        }
        return nil
    }

    /// The entry with sequence number `seq`, read from the journal by offset.
    public func entry(seq: Int64) throws(LedgerError) -> Entry? {
        guard seq >= 1, let offset = offset(ofSeq: seq) else { return nil }
        let descriptor = try POSIXFile.open(paths.journal, flags: O_RDONLY)
        defer { close(descriptor) }
        return try readEntry(descriptor, at: offset)
    }

    /// The credit-history index of a workspace, oldest first.
    func creditRefs(of workspace: String) -> [RecordRef] {
        (checkpointIndex[workspace] ?? []) + (scanner.creditIndex[workspace] ?? [])
    }

    /// A workspace's credit entries, newest first, read by offset: only the rows asked for are decoded.
    public func history(of workspace: String, kinds: Set<EntryKind>? = nil, limit: Int? = nil) throws(LedgerError) -> [Entry] {
        let refs = creditRefs(of: workspace)
        guard !refs.isEmpty, limit != 0 else { return [] }
        let descriptor = try POSIXFile.open(paths.journal, flags: O_RDONLY)
        defer { close(descriptor) }
        var out: [Entry] = []
        for ref in refs.reversed() {
            let entry = try readEntry(descriptor, at: ref.offset)
            if let kinds, !kinds.contains(entry.kind) { continue }
            out.append(entry)
            if let limit, out.count >= limit { break }
        }
        return out
    }

    /// One page of a workspace's credit history, newest first: rows `start ..< start + count`
    /// counted from the newest. Only those rows are read and decoded, so a page costs the same
    /// at any depth of any history.
    public func historyPage(of workspace: String, start: Int, count: Int) throws(LedgerError) -> [Entry] {
        let seqs = creditRefs(of: workspace)
        guard start >= 0, count > 0, start < seqs.count else { return [] }
        let descriptor = try POSIXFile.open(paths.journal, flags: O_RDONLY)
        defer { close(descriptor) }
        let newest = seqs.count - 1 - start
        let oldest = max(0, newest - count + 1)
        var page: [Entry] = []
        page.reserveCapacity(newest - oldest + 1)
        for index in stride(from: newest, through: oldest, by: -1) {
            page.append(try readEntry(descriptor, at: seqs[index].offset))
        }
        return page
    }

    /// How many credit entries a workspace has.
    public func historyCount(of workspace: String) -> Int {
        (checkpointIndex[workspace]?.count ?? 0) + (scanner.creditIndex[workspace]?.count ?? 0)
    }

    /// The record whose line starts at `offset`, checked against its own checksum: a record the
    /// checkpoint stands for is read from the journal as it is now, so an edit there is named
    /// (exit 2) when a read reaches it, never shown or exported as if it were the record.
    func readEntry(_ descriptor: Int32, at offset: Int64, checkHash: Bool = true) throws(LedgerError) -> Entry {
        guard let entry = try readEntry(descriptor, at: offset, checkHash: checkHash, ifLine: { _ in true }) else {
            throw .damaged(line: 0, seq: nil, problem: "record at byte \(offset) could not be read")
        }
        return entry
    }

    /// `readEntry`, decoding the record only when its line's bytes pass `wanted` (a cheap look
    /// that spares the decode of lines a search can tell from their bytes it does not need).
    func readEntry(_ descriptor: Int32, at offset: Int64, checkHash: Bool = true,
                   ifLine wanted: (UnsafeBufferPointer<UInt8>) -> Bool) throws(LedgerError) -> Entry? {
        var length = 1024
        while true {
            var buffer = [UInt8](repeating: 0, count: length)
            let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, length, off_t(offset)) }
            guard got > 0 else { throw .io(operation: "read", path: paths.journal, errno: got < 0 ? errno : EIO) }
            let newline = buffer.withUnsafeBufferPointer { JournalScanner.indexOfNewline(UnsafeBufferPointer(rebasing: $0[0..<got]), from: 0) }
            if let newline {
                return try buffer.withUnsafeBufferPointer { (all) throws(LedgerError) -> Entry? in
                    let line = UnsafeBufferPointer(rebasing: all[0..<newline])
                    guard wanted(line) else { return nil }
                    do throws(JournalFormat.LineProblem) {
                        return try JournalFormat.decode(line, checkHash: checkHash).entry
                    } catch {
                        throw Self.damagedRecord(line, at: offset, error)
                    }
                }
            }
            guard got == length, length < JournalFormat.lineLengthMax * 2 else {
                throw .damaged(line: 0, seq: nil, problem: "record at byte \(offset) has no end")
            }
            length *= 4
        }
    }

    /// A record that does not decode or does not match its checksum, named by its seq when its
    /// line still shows one, and by where its line starts.
    static func damagedRecord(_ line: UnsafeBufferPointer<UInt8>, at offset: Int64, _ problem: JournalFormat.LineProblem) -> LedgerError {
        let place = JournalScanner.guessSeq(line).map { "record seq \($0) (byte \(offset) of journal.jsonl)" } ?? "the record at byte \(offset) of journal.jsonl"
        return .damaged(line: 0, seq: nil, problem: "\(place): \(problem.description)")
    }

    /// Calls `body` with every record in order, reading the journal a chunk at a time (for
    /// export), each checked against its own checksum.
    /// Throws what `body` throws, or a `LedgerError` from reading.
    public func forEachEntry(_ body: (Entry) throws -> Void) throws {
        let descriptor = try POSIXFile.open(paths.journal, flags: O_RDONLY)
        defer { close(descriptor) }
        var offset: Int64 = 0
        var seen: Int64 = 0
        while seen < state.lastSeq {
            let bytes = try POSIXFile.readAll(descriptor, from: offset, count: Self.readChunkBytes, path: paths.journal)
            var consumed = 0
            try bytes.withUnsafeBufferPointer { buffer in
                while seen < state.lastSeq, let newline = JournalScanner.indexOfNewline(buffer, from: consumed) {
                    let line = UnsafeBufferPointer(rebasing: buffer[consumed..<newline])
                    let record: JournalFormat.DecodedRecord
                    do throws(JournalFormat.LineProblem) {
                        record = try JournalFormat.decode(line, checkHash: true)
                    } catch {
                        throw Self.damagedRecord(line, at: offset + Int64(consumed), error)
                    }
                    try body(record.entry)
                    seen = record.entry.seq
                    consumed = newline + 1
                }
            }
            guard consumed > 0 else { break }
            offset += Int64(consumed)
        }
    }
}
