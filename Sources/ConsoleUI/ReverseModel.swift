import CreditKit

/// The reversal form (R34): the entry being undone, a required reason, and the balance after.
public struct ReverseModel: Hashable, Sendable {
    public var entry: Entry
    public var reason = ""
    /// Why the last attempt to confirm was refused, shown under the form.
    public var problem: String?

    public init(entry: Entry) { self.entry = entry }
}

/// What a reversal confirmation shows, and the command it submits.
public struct ReversalConfirmation: Hashable, Sendable {
    public var entry: Entry
    public var reason: String
    public var balanceBefore: Credits
    public var balanceAfter: Credits
}

/// Which entries are known to be reversed, and by which entry, as the ledger last said (R34):
/// asked for when a detail shows an adjustment or grant, and learned from reversals written here.
public struct ReversalIndex: Hashable, Sendable {
    /// Original seq to the seq of the adjustment that reverses it.
    public var by: [Int64: Int64] = [:]
    /// What the ledger said of an entry when asked (R34, R36, R41): its reversal, the rollover
    /// that carried its credits, the reversal of the grant a rollover carried. They only ever go
    /// from none to one, so an answer stays true until the ledger says more.
    public var facts: [Int64: ReversalFacts] = [:]
    /// Entries already asked about since the ledger last changed.
    public var asked: Set<Int64> = []

    public init() {}

    /// After the ledger changed: the facts it gave may have grown, so each is asked again
    /// when needed (reversals already learned stay: they are never undone).
    mutating func forgetAnswers() {
        asked = []
        facts = [:]
    }
}
