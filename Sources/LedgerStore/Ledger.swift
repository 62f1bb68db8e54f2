import CreditKit

/// What a ledger backend offers: the folded state, a way to submit commands that is safe
/// against concurrent writers, and reads of history. The file ledger implements it; a database
/// backend can implement it too.
public protocol Ledger: AnyObject {
    /// The state as of the last read or write.
    var state: LedgerState { get }
    /// Decides and durably records a command against the freshest state.
    func submit(_ command: Command, context: CommandContext) throws(LedgerError) -> SubmitOutcome
    /// A workspace's credit entries, newest first.
    func history(of workspace: String, kinds: Set<EntryKind>?, limit: Int?) throws(LedgerError) -> [Entry]
    /// One entry by its sequence number.
    func entry(seq: Int64) throws(LedgerError) -> Entry?
}

/// What submitting a command did.
public enum SubmitOutcome: Equatable, Sendable {
    /// The entries were appended and synced; the alert messages were written to the outbox.
    case recorded([Entry], alerts: [OutboxMessage])
    /// An idempotent repeat: nothing was written; `original` is the entry that did it first.
    case alreadyRecorded(AlreadyRecorded, original: Entry?)
    /// Nothing needed writing (a job that failed before it was charged).
    case nothingToRecord(String)
    /// Refused by a rule; nothing was written.
    case rejected(Rejection)
}
