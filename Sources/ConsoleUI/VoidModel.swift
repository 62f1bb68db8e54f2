import CreditKit

/// The void form (R36): the grant, what is left of it by burn order (S3), which is exactly what
/// the void removes, and a required reason.
public struct VoidModel: Hashable, Sendable {
    /// The grant entry selected in the history.
    public var grant: Entry
    /// Credits still left of the grant, as the engine decided when the form opened or last checked.
    public var remaining: Credits
    public var reason = ""
    /// Why the last attempt to confirm was refused, shown under the form.
    public var problem: String?

    public init(grant: Entry, remaining: Credits) {
        self.grant = grant
        self.remaining = remaining
    }

    /// The credits the grant brought: its amount, or what a rollover carried in (R41).
    public var granted: Credits { grant.rollover ?? grant.credits }
}

/// What a void confirmation shows (R36): the grant, what it removes, the reason, and the balance
/// and available balance before and after.
public struct VoidConfirmation: Hashable, Sendable {
    public var grant: Entry
    public var remaining: Credits
    public var reason: String
    public var balanceBefore: Credits
    public var balanceAfter: Credits
    /// What holds reserve (R35): the available balance is the balance less this.
    public var held: Credits

    /// The command the confirm button submits: the same one `void WS SEQ --reason` writes.
    public var command: Command { .void(workspace: grant.workspace ?? "", seq: grant.seq, reason: reason) }
}
