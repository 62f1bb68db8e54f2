import CreditKit
import LedgerCore

/// The records of a commit read so far, waiting for its last record.
struct PendingCommit {
    var records: [(entry: Entry, offset: Int64)] = []
    /// Where the commit's first record starts.
    var start: Int64 = 0
    /// Lines read since the last whole commit.
    var lines = 0
}

/// One journal line decoded on its own, its checksum checked: what the scanner chains and folds.
/// Decoding needs nothing from the lines before it, so it can run ahead on another thread.
struct DecodedLine: Sendable {
    /// The record, when the line decoded and its checksum held.
    var record: JournalFormat.DecodedRecord?
    /// Why the line is not a good record, when it is not.
    var problem: JournalFormat.LineProblem?
    /// The `seq` the line seems to carry, when it cannot be decoded.
    var guessedSeq: Int64?
    /// Where the line starts in the journal.
    var offset: Int64

    /// Decodes `line` (without its newline), which starts at `offset`.
    init(_ line: UnsafeBufferPointer<UInt8>, offset: Int64) {
        self.offset = offset
        do throws(JournalFormat.LineProblem) {
            record = try JournalFormat.decode(line)
        } catch {
            problem = error
            guessedSeq = JournalScanner.guessSeq(line)
        }
    }
}

/// Folds journal bytes into a ledger state, checking every record's checksum, the hash chain,
/// the sequence, and the rules' invariants. Records of one commit are applied together or not at all.
struct JournalScanner {
    var state: LedgerState
    /// The workspaces folded into `state`; nil for all. Records of others are checked and stepped over.
    var scope: Set<String>?
    /// Byte offset just past the last whole commit.
    var end: Int64 = 0
    /// Lines read so far (for messages that name a line).
    var lineCount = 0
    /// The seq before the first record this scanner read (the checkpoint's, or 0).
    var tailBase: Int64 = 0
    /// Offset of every record this scanner read, by `seq - tailBase - 1`.
    var tailOffsets: [Int64] = []
    /// The credit entries of each folded workspace, oldest first.
    var creditIndex: [String: [RecordRef]] = [:]
    /// Workspaces created in the records this scanner read.
    var knownWorkspaces: Set<String> = []
    /// Every workspace named by the records this scanner read, folded or not; kept only for a
    /// ledger opened for some workspaces (the only one that asks).
    var touchedWorkspaces: Set<String> = []
    /// Whether to keep the offsets and indexes above; `verify` only checks, so it keeps none.
    var indexing = true
    /// Whether every commit is replayed through the rules before it is folded (`verify`): it
    /// must be exactly what the engine would have written (`RuleReplay`).
    var replayingRules = false
    /// Commits `verify` found holding text that today's input rules refuse (an older version's).
    var olderTextRecords = 0
    /// For `verify`'s replay of reversals (R34): the grants and adjustments read so far, by seq,
    /// and which of them a later adjustment already reverses.
    var reversible = ReversibleRecords()
    /// For `verify`'s replay of an older version's expiries and voids (R5, S3): what refunds gave
    /// back to each parcel so far.
    var refundedParcels = RefundedParcels()
    /// A seq whose hash `verify --expect-head` wants, and the hash read for it.
    var watchedSeq: Int64?
    private(set) var watchedHash: String?
    /// The damage met by an earlier scan, if any.
    private(set) var damage: LedgerError?
    /// A one-entry commit that a line's entry is swapped into while it is replayed and folded,
    /// and swapped back out of: no entry is copied and no array allocated per record.
    private var lent: [Entry] = [JournalScanner.placeholder]
    /// What `lent` holds between records.
    private static let placeholder = Entry(seq: 0, time: Timestamp(secondsSinceEpoch: 0), kind: .charge, actor: "")

    init(state: LedgerState, scope: Set<String>? = nil) {
        self.state = state
        self.scope = scope
    }

    /// Indexes a record this process is writing, as if it had read it at `offset`.
    mutating func note(_ entry: Entry, offset: Int64) {
        tailOffsets.append(offset)
        guard let ws = entry.workspace else { return }
        if scope != nil { touchedWorkspaces.insert(ws) }
        if entry.kind == .workspace { knownWorkspaces.insert(ws) }
        if folds(ws) && entry.showsInHistory { creditIndex[ws, default: []].append(RecordRef(seq: entry.seq, offset: offset)) }
    }

    /// Takes `recordCount` records this process wrote (each passed to `note`) and already folded
    /// into `folded`, as if it had read them up to `newEnd`.
    mutating func adopt(_ folded: LedgerState, recordCount: Int, end newEnd: Int64) {
        state = folded
        lineCount += recordCount
        end = newEnd
    }

    /// Whether the records of `workspace` are folded.
    func folds(_ workspace: String) -> Bool { scope?.contains(workspace) ?? true }

    /// Reads `bytes`, which start at file offset `base` (== `end`), and folds every whole commit.
    /// Returns the torn tail, if the bytes end inside a commit.
    mutating func scan(_ bytes: [UInt8], base: Int64) throws(LedgerError) -> TornTail? {
        precondition(base == end, "scan must continue where the last one stopped")
        // A scanner that met damage may hold part of a commit: it never reads again.
        if let damage { throw damage }
        do {
            return try scanWhole(bytes, base: base)
        } catch {
            damage = error
            throw error
        }
    }

    private mutating func scanWhole(_ bytes: [UInt8], base: Int64) throws(LedgerError) -> TornTail? {
        var pending = PendingCommit()
        let count = bytes.count
        let result: Result<Void, LedgerError> = bytes.withUnsafeBufferPointer { buffer in
            var cursor = 0
            while cursor < count {
                guard let newline = Self.indexOfNewline(buffer, from: cursor) else { break }
                let line = UnsafeBufferPointer(rebasing: buffer[cursor..<newline])
                var decoded = DecodedLine(line, offset: base + Int64(cursor))
                cursor = newline + 1
                if let failure = take(&decoded, next: base + Int64(cursor), pending: &pending) { return .failure(failure) }
            }
            return .success(())
        }
        if case .failure(let error) = result { throw error }
        return tornTail(fileEnd: base + Int64(count), pending: pending)
    }

    /// The half-written tail when the bytes read end at `fileEnd`, nil if they end on a whole commit.
    func tornTail(fileEnd: Int64, pending: PendingCommit) -> TornTail? {
        let tailLength = fileEnd - end
        guard tailLength > 0 else { return nil }
        return TornTail(offset: pending.records.isEmpty ? end : pending.start, length: tailLength, afterSeq: state.lastSeq)
    }

    /// Chains one decoded line after the record before it and, when it ends its commit, folds
    /// the whole commit. Returns the damage it finds; lines are taken in journal order. The
    /// line's entry is lent to the fold and given back, so its storage is freed with its line.
    mutating func take(_ decoded: inout DecodedLine, next: Int64, pending: inout PendingCommit) -> LedgerError? {
        pending.lines += 1
        let lineNumber = lineCount + pending.lines
        guard let more = decoded.record?.more else {
            return .damaged(line: lineNumber, seq: decoded.guessedSeq, problem: decoded.problem?.description ?? "")
        }
        guard chains(decoded.record!.prev, pending: pending) else {
            return .damaged(line: lineNumber, seq: decoded.record!.entry.seq,
                            problem: "the hash chain is broken: its \"prev\" does not match the record before it (a record was edited, removed or reordered)")
        }
        if pending.records.isEmpty && !more {
            // A commit of one record, the usual case: folded straight from the line, not queued.
            if let failure = takeAlone(&decoded.record!.entry, offset: decoded.offset, line: lineNumber) { return failure }
        } else {
            if pending.records.isEmpty { pending.start = decoded.offset }
            pending.records.append((decoded.record!.entry, decoded.offset))
            guard !more else { return nil }
            let firstLine = lineNumber - pending.records.count + 1
            if replayingRules, let failure = replay(pending.records.map(\.entry), firstLine: firstLine) { return failure }
            if let failure = commit(pending.records, firstLine: lineNumber - pending.records.count + 1) { return failure }
            pending.records.removeAll(keepingCapacity: true)
        }
        lineCount += pending.lines
        pending.lines = 0
        end = next
        return nil
    }

    /// Whether a record naming `prev` follows the record before it (the genesis hash for the first).
    private func chains(_ prev: String, pending: PendingCommit) -> Bool {
        if let last = pending.records.last { return prev == last.entry.hash }
        return state.lastHash.isEmpty ? prev == JournalFormat.genesisHash : prev == state.lastHash
    }

    /// Replays and folds a commit of one record, lent by swapping it into `lent` and back.
    private mutating func takeAlone(_ entry: inout Entry, offset: Int64, line: Int) -> LedgerError? {
        // Most records are plain job charges, shown to be what the rules write in place; any
        // other record, or a charge that is not plainly right, goes through the whole replay.
        if !replayingRules || RuleReplay.isPlainCharge(entry, state: &state) {
            return commitRecord(entry, offset: offset, line: line)
        }
        var commit = self.lent
        self.lent = []
        swap(&commit[0], &entry)
        defer {
            swap(&commit[0], &entry)
            self.lent = commit
        }
        if let failure = replay(commit, firstLine: line) { return failure }
        return commitRecord(commit[0], offset: offset, line: line)
    }

    /// The damage of a commit that is not what the rules would have written, naming its record.
    /// Text today's input rules refuse but an older version accepted is admitted (and counted in
    /// `olderTextRecords`); every other rule is replayed as usual.
    private mutating func replay(_ commit: [Entry], firstLine: Int) -> LedgerError? {
        var olderText = false
        defer { if olderText { olderTextRecords += 1 } }
        // Moved out for the replay and back after it: the closure reads it while the state is
        // borrowed, and a second reference would copy the table on the next insert.
        let reversible = self.reversible
        self.reversible = ReversibleRecords()
        let found = commit.isEmpty ? nil
            : RuleReplay.breach(in: commit, state: &state, admittedOlderText: &olderText, reversal: { reversible.facts(for: $0) },
                                refunded: refundedParcels)
        self.reversible = consume reversible
        guard let (seq, breach) = found else {
            self.reversible.note(commit)
            refundedParcels.note(commit, before: state)
            return nil
        }
        return .damaged(line: firstLine + Int(seq - commit[0].seq), seq: seq, problem: "it breaks the rules: \(breach.message)")
    }

    /// Applies one whole commit.
    private mutating func commit(_ records: [(entry: Entry, offset: Int64)], firstLine: Int) -> LedgerError? {
        for (index, record) in records.enumerated() {
            if let failure = commitRecord(record.entry, offset: record.offset, line: firstLine + index) { return failure }
        }
        return nil
    }

    /// Folds (or steps over) one record of a whole commit and indexes it.
    private mutating func commitRecord(_ entry: Entry, offset: Int64, line: Int) -> LedgerError? {
        let folded = entry.workspace.map(folds) ?? true
        do {
            if folded { try state.apply(entry) } else { try state.skip(entry) }
        } catch {
            return .damaged(line: line, seq: entry.seq, problem: error.problem)
        }
        if entry.seq == watchedSeq { watchedHash = entry.hash }
        guard indexing else { return nil }
        tailOffsets.append(offset)
        if let ws = entry.workspace {
            if scope != nil { touchedWorkspaces.insert(ws) }
            if entry.kind == .workspace { knownWorkspaces.insert(ws) }
            if folded && entry.showsInHistory { creditIndex[ws, default: []].append(RecordRef(seq: entry.seq, offset: offset)) }
        }
        return nil
    }

    static func indexOfNewline(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < buffer.count, let base = buffer.baseAddress else { return nil }
        guard let found = memchr(base + start, 10, buffer.count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The `seq` of a line too damaged to decode, when it can still be read.
    static func guessSeq(_ line: UnsafeBufferPointer<UInt8>) -> Int64? {
        let head = Array(line.prefix(64))
        let key = Array("\"seq\":".utf8)
        guard head.count >= key.count,
              let start = (0...(head.count - key.count)).first(where: { Array(head[$0..<($0 + key.count)]) == key })
        else { return nil }
        let digits = head[(start + key.count)...].prefix { $0 >= 48 && $0 <= 57 }
        return Int64(String(decoding: digits, as: UTF8.self))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
