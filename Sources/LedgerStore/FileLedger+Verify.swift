import CreditKit
import LedgerCore
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

extension FileLedger {
    /// Reads the whole journal from its first byte: every record's checksum, the hash chain from
    /// the genesis hash, the sequence, the rules' invariants, and the catalog's hash. Throws the
    /// first damaged record; a half-written tail is reported, not an error.
    /// Every commit is replayed through the rules: it must be what the engine would have
    /// written (`RuleReplay`). With `expectedHead` (an operator's pinned `SEQ:HASH`), throws
    /// `headNotInChain` unless that record is still in the chain.
    public static func verify(directory: String, expectedHead: (seq: Int64, hash: String)? = nil) throws(LedgerError) -> VerifyReport {
        try verify(directory: directory, runBytes: DecodedRun.bytesPerRun, expectedHead: expectedHead)
    }

    /// `verify` of this ledger's directory, read afresh from its first byte.
    public func verify(expectedHead: (seq: Int64, hash: String)?) throws(LedgerError) -> VerifyReport {
        try Self.verify(directory: paths.directory, expectedHead: expectedHead)
    }

    /// `verify`, reading `runBytes` of journal per decoded run (small in tests, to cross many runs).
    static func verify(directory: String, runBytes: Int, expectedHead: (seq: Int64, hash: String)? = nil) throws(LedgerError) -> VerifyReport {
        let ledger = try open(directory: directory, workspaces: nil, useCheckpoint: false, verifying: runBytes, watching: expectedHead?.seq)
        if let expectedHead, ledger.scanner.watchedHash != expectedHead.hash {
            throw .headNotInChain(seq: expectedHead.seq, hash: expectedHead.hash, found: ledger.scanner.watchedHash, journalEnds: ledger.state.lastSeq)
        }
        return VerifyReport(records: ledger.recordCount, workspaces: ledger.state.workspaces.count,
                            headSeq: ledger.state.lastSeq, headHash: ledger.state.lastHash,
                            journalBytes: ledger.scanner.end, tornTail: ledger.tornTail,
                            checkpoint: checkpointStatus(directory: directory),
                            olderTextCommits: ledger.scanner.olderTextRecords)
    }

    /// Whether the checkpoint can be used: it loads, its checksums hold, and the journal record
    /// at its offset carries its head hash.
    static func checkpointStatus(directory: String) -> String {
        let paths = Paths(directory: directory)
        let path = paths.directory + "/checkpoint"
        guard POSIXFile.kind(at: path) != .missing else { return "none (it is built as the journal grows)" }
        do {
            guard let checkpoint = try Checkpoint.load(path: path) else { return "none" }
            guard let descriptor = try? POSIXFile.open(paths.journal, flags: O_RDONLY) else { return "not checked" }
            defer { close(descriptor) }
            try checkpoint.check(againstJournal: descriptor, path: paths.journal)
            return "matches the journal at seq \(checkpoint.lastSeq)"
        } catch {
            return Checkpoint.ignoredNote(error)
        }
    }

    /// Reads the whole journal like `catchUp`, but decodes (and checksums) the next run of lines
    /// on a second thread while this one chains and folds the current run, in journal order, so
    /// the first damage found is the same as a sequential read finds.
    func catchUpInParallel(_ descriptor: Int32, runBytes: Int) throws(LedgerError) {
        Self.limitMallocArenas()
        let size = try POSIXFile.size(of: descriptor, path: paths.journal)
        var pending = PendingCommit()
        var run = try DecodedRun.read(descriptor, from: scanner.end, size: size, runBytes: runBytes, path: paths.journal)
        var folded: DecodedRun?
        while !run.lines.isEmpty {
            let ahead = DecodedRun.Slot()
            // The run folded last is freed by the reader, not here: its thousands of entries'
            // releases are off the thread that chains and folds.
            ahead.retired = folded
            folded = nil
            let group = DispatchGroup()
            let from = run.next, path = paths.journal
            DispatchQueue.global().async(group: group) {
                ahead.retired = nil
                ahead.result = Result { () throws(LedgerError) in try DecodedRun.read(descriptor, from: from, size: size, runBytes: runBytes, path: path) }
            }
            let failure = fold(&run, pending: &pending)
            group.wait()
            if let failure {
                state = scanner.state
                throw failure
            }
            guard let result = ahead.result else { preconditionFailure("the read-ahead did not run") }
            ahead.result = nil
            folded = run
            run = try result.get()
        }
        tornTail = scanner.tornTail(fileEnd: size, pending: pending)
        state = scanner.state
    }

    /// The read-ahead may run on any of the dispatch pool's threads, and glibc gives each thread
    /// that contends its own malloc arena, each keeping its freed memory: two arenas (this
    /// thread's and one for the readers) keep verify's peak memory steady.
    private static func limitMallocArenas() {
        #if canImport(Glibc)
        // mallopt(M_ARENA_MAX, 2); <malloc.h> is not in the Glibc module, so it is looked up.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let arenaMax: Int32 = -8
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMax, 2)
        #endif
    }

    /// Chains and folds one run of decoded lines; returns the first damage.
    private func fold(_ run: inout DecodedRun, pending: inout PendingCommit) -> LedgerError? {
        // Lines are lent to the scanner in place in the run's storage, not copied out of it.
        let next = run.next
        return run.lines.withUnsafeMutableBufferPointer { lines in
            for index in lines.indices {
                let lineEnd = index + 1 < lines.count ? lines[index + 1].offset : next
                if let failure = scanner.take(&lines[index], next: lineEnd, pending: &pending) { return failure }
            }
            return nil
        }
    }
}

/// The whole lines of one stretch of the journal, decoded and checksummed.
struct DecodedRun: Sendable {
    var lines: [DecodedLine]
    /// Where the next run starts: just past the last newline read.
    var next: Int64

    /// Where a run decoded on another thread is left for the reader.
    final class Slot: @unchecked Sendable {
        var result: Result<DecodedRun, LedgerError>?
        /// A run already folded, for the reader to free.
        var retired: DecodedRun?
    }

    /// How much of the journal one run reads by default (it grows for a longer line).
    static let bytesPerRun = 1 << 20

    /// Reads and decodes the whole lines from `offset`; none at the end of the journal or when
    /// only a line with no newline is left (a torn tail).
    static func read(_ descriptor: Int32, from offset: Int64, size: Int64, runBytes: Int, path: String) throws(LedgerError) -> DecodedRun {
        var length = max(runBytes, 1)
        while offset < size {
            let count = Int(min(Int64(length), size - offset))
            let bytes = try POSIXFile.readAll(descriptor, from: offset, count: count, path: path)
            let run = bytes.withUnsafeBufferPointer { decode($0, at: offset) }
            if !run.lines.isEmpty || offset + Int64(count) >= size { return run }
            length *= 4
        }
        return DecodedRun(lines: [], next: offset)
    }

    /// Decodes every whole line of `buffer`, which starts at file offset `base`.
    private static func decode(_ buffer: UnsafeBufferPointer<UInt8>, at base: Int64) -> DecodedRun {
        var lines: [DecodedLine] = []
        var cursor = 0
        while let newline = JournalScanner.indexOfNewline(buffer, from: cursor) {
            lines.append(DecodedLine(UnsafeBufferPointer(rebasing: buffer[cursor..<newline]), offset: base + Int64(cursor)))
            cursor = newline + 1
        }
        return DecodedRun(lines: lines, next: base + Int64(cursor))
    }
}
