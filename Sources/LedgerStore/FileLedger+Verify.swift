import CreditKit

/// What `verify` found in a ledger that checked out.
public struct VerifyReport: Equatable, Sendable {
    public var records: Int
    public var workspaces: Int
    public var headSeq: Int64
    public var headHash: String
    public var journalBytes: Int64
    public var tornTail: TornTail?
}

extension FileLedger {
    /// Reads the whole journal from its first byte: every record's checksum, the hash chain from
    /// the genesis hash, the sequence, the rules' invariants, and the catalog's hash. Throws the
    /// first damaged record; a half-written tail is reported, not an error.
    public static func verify(directory: String) throws(LedgerError) -> VerifyReport {
        let ledger = try open(directory: directory)
        return VerifyReport(records: ledger.recordCount, workspaces: ledger.state.workspaces.count,
                            headSeq: ledger.state.lastSeq, headHash: ledger.state.lastHash,
                            journalBytes: ledger.scanner.end, tornTail: ledger.tornTail)
    }
}
