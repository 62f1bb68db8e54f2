import CreditKit
import LedgerCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FileLedger {
    /// Bytes read back from the end of what was read to find the head record's line, at first
    /// (a record is rarely longer; a longer one is read again with four times as much).
    static let headReadBytes = 1024

    /// The journal must still hold, where this ledger read it, the head it holds: the last record
    /// read ends in its newline, checks against its own checksum and hashes to `state.lastHash`,
    /// as a fresh open finds it. So an edit inside it, even one of the same length made by a new
    /// file (`sed -i`), is damage named before anything is read or appended after it. One pread.
    func checkHeadUnchanged(_ descriptor: Int32) throws(LedgerError) {
        guard scanner.end > 0 else { return }
        var count = Int(min(scanner.end, Int64(Self.headReadBytes)))
        while true {
            let start = scanner.end - Int64(count)
            let bytes = try POSIXFile.readAll(descriptor, from: start, count: count, path: paths.journal)
            guard bytes.count == count, bytes.last == 10 else { throw missingNewline(bytes.count == count ? bytes.last : nil) }
            let body = bytes[..<(count - 1)]
            if let newline = body.lastIndex(of: 10) {
                return try checkHead(body[(newline + 1)...], at: start + Int64(newline + 1))
            }
            if start == 0 { return try checkHead(body, at: 0) }
            guard count <= JournalFormat.lineLengthMax else {
                throw .damaged(line: scanner.lineCount, seq: state.lastSeq, problem: "the last record read has no beginning: the journal was changed after it was written")
            }
            count = Int(min(scanner.end, Int64(count * 4)))
        }
    }

    /// The last record read ends in `byte` (nil: nothing) where its newline should be: a process
    /// that read the journal before the byte was changed would otherwise glue two records.
    private func missingNewline(_ byte: UInt8?) -> LedgerError {
        let what = byte.map { "the byte 0x\(String($0, radix: 16))" } ?? "nothing"
        return .damaged(line: scanner.lineCount, seq: state.lastSeq,
                        problem: "the record ends with \(what) where its newline should be; a crash cannot leave that, so the journal was changed after it was written")
    }

    /// `line` (no newline), starting at byte `offset`, must be the head record this ledger read.
    private func checkHead(_ line: ArraySlice<UInt8>, at offset: Int64) throws(LedgerError) {
        let record = try line.withUnsafeBufferPointer { (buffer) throws(LedgerError) -> JournalFormat.DecodedRecord in
            do throws(JournalFormat.LineProblem) {
                return try JournalFormat.decode(buffer, checkHash: true)
            } catch {
                throw .damaged(line: scanner.lineCount, seq: JournalScanner.guessSeq(buffer), problem: error.description)
            }
        }
        guard record.entry.seq != state.lastSeq || record.entry.hash != state.lastHash else { return }
        throw .damaged(line: scanner.lineCount, seq: state.lastSeq,
                       problem: "the record at byte \(offset) of journal.jsonl is not the one read there (it is seq \(record.entry.seq), hash \(record.entry.hash)): the journal was changed after it was written")
    }
}

extension FileLedger {
    /// The journal this ledger read was replaced by another file (a restored copy, an editor's
    /// save): read the new one from the start as a fresh open does, so damage anywhere it would
    /// name is named here too; read cleanly, and holding the head checked just before, it is the
    /// same chain, and this ledger goes on from it.
    func rereadReplacedJournal() throws(LedgerError) {
        let fresh = try FileLedger.open(directory: paths.directory, workspaces: scanner.scope)
        guard fresh.state.lastSeq >= state.lastSeq else {
            throw .damaged(line: fresh.scanner.lineCount, seq: fresh.state.lastSeq,
                           problem: "journal.jsonl was replaced by a file of fewer records (\(fresh.state.lastSeq), \(state.lastSeq) were read): records were removed")
        }
        state = fresh.state
        scanner = fresh.scanner
        checkpoint = fresh.checkpoint
        checkpointIndex = fresh.checkpointIndex
        journalIdentity = fresh.journalIdentity
    }
}
