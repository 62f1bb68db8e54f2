import CreditKit

/// What submitting a command did.
public enum SubmitOutcome: Hashable, Sendable {
    /// The entries were recorded durably; `alerts` are the R24 messages their alert records call for.
    case recorded([Entry], alerts: [AlertMessage])
    /// An idempotent repeat: nothing was written; `original` is the entry that did it first.
    case alreadyRecorded(AlreadyRecorded, original: Entry?)
    /// Nothing needed writing (a job that failed before it was charged).
    case nothingToRecord(String)
    /// Refused by a rule; nothing was written.
    case rejected(Rejection)
}

/// An alert email (R24) committed with its alert record: what to send, not where it is kept
/// (a backend reports that its own way: the file ledger's Maildir outbox, say).
public struct AlertMessage: Hashable, Sendable {
    /// The seq of the alert record it is for.
    public var seq: Int64
    /// The address, empty when the owner is not one valid address (an older ledger).
    public var to: String
    /// The subject, as shown (without the `[CreditDesk]` tag its header carries).
    public var subject: String
    /// The whole RFC 5322 message, headers and body.
    public var text: String

    public init(seq: Int64, to: String, subject: String, text: String) {
        self.seq = seq; self.to = to; self.subject = subject; self.text = text
    }
}
