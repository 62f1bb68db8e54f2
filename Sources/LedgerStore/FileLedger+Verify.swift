import CreditKit
#if canImport(Glibc)
import Glibc
#endif

/// What `verify` found in a ledger that checked out.
public struct VerifyReport: Equatable, Sendable {
    public var records: Int
    public var workspaces: Int
    public var headSeq: Int64
    public var headHash: String
    public var journalBytes: Int64
    public var tornTail: TornTail?
    /// The checkpoint: absent, matching the journal, or why it is ignored.
    public var checkpoint: String
}

extension FileLedger {
    /// Reads the whole journal from its first byte: every record's checksum, the hash chain from
    /// the genesis hash, the sequence, the rules' invariants, and the catalog's hash. Throws the
    /// first damaged record; a half-written tail is reported, not an error.
    public static func verify(directory: String) throws(LedgerError) -> VerifyReport {
        let ledger = try open(directory: directory, useCheckpoint: false)
        return VerifyReport(records: ledger.recordCount, workspaces: ledger.state.workspaces.count,
                            headSeq: ledger.state.lastSeq, headHash: ledger.state.lastHash,
                            journalBytes: ledger.scanner.end, tornTail: ledger.tornTail,
                            checkpoint: checkpointStatus(directory: directory))
    }

    /// Whether the checkpoint can be used: it loads, its checksums hold, and the journal record
    /// at its offset carries its head hash.
    static func checkpointStatus(directory: String) -> String {
        let paths = Paths(directory: directory)
        let path = paths.directory + "/checkpoint"
        guard POSIXFile.exists(path) else { return "none (it is built as the journal grows)" }
        do {
            guard let checkpoint = try Checkpoint.load(path: path) else { return "none" }
            guard let descriptor = try? POSIXFile.open(paths.journal, flags: O_RDONLY) else { return "not checked" }
            defer { close(descriptor) }
            try checkpoint.check(againstJournal: descriptor, path: paths.journal)
            return "matches the journal at seq \(checkpoint.lastSeq)"
        } catch {
            return "the checkpoint \(error.description); it is ignored and will be rebuilt"
        }
    }
}
