/// What `verify` found in a ledger that checked out: counts, the head of the hash chain
/// (`headSeq:headHash`, the same for every backend fed the same commands), and notes.
public struct VerifyReport: Equatable, Sendable {
    /// Records in the chain, the init record included.
    public var records: Int
    /// Workspaces the records create.
    public var workspaces: Int
    /// The last record's seq and its SHA-256 (hex), as `verify` prints them.
    public var headSeq: Int64
    public var headHash: String
    /// The bytes the records take in the backend's journal encoding (one line each, newline included).
    public var journalBytes: Int64
    /// A half-written tail found after the last whole commit (file ledgers only).
    public var tornTail: TornTail?
    /// The checkpoint: absent, matching the journal, or why it is ignored.
    public var checkpoint: String
    /// Commits holding text that today's input rules refuse, written by an older version: read,
    /// shown neutralised (`FreeText.shown`), their amounts checked, their text not replayed.
    public var olderTextCommits: Int = 0

    public init(records: Int, workspaces: Int, headSeq: Int64, headHash: String, journalBytes: Int64,
                tornTail: TornTail?, checkpoint: String, olderTextCommits: Int = 0) {
        self.records = records; self.workspaces = workspaces; self.headSeq = headSeq; self.headHash = headHash
        self.journalBytes = journalBytes; self.tornTail = tornTail; self.checkpoint = checkpoint
        self.olderTextCommits = olderTextCommits
    }
}
