import CreditKit
import LedgerCore

/// The ledger's server going away and coming back (PostgreSQL), or a file ledger's journal
/// becoming damaged and repaired: the status line says so, the last screen stays readable and
/// navigable, and keys that lead to a write are refused.
extension ConsoleState {
    /// What the run loop learnt of the ledger's server: a read done, the server lost or back.
    mutating func followLedger(_ action: ConsoleAction) {
        switch action {
        case .refreshed(let time): refreshed(at: time)
        case .linkLost(let since): linkLost(since: since)
        case let .journalUnreadable(since, error): journalUnreadable(since: since, error: error)
        case .linkRestored: linkRestored()
        default: break
        }
    }

    /// The server stopped answering: the status line takes over from any passing message.
    mutating func linkLost(since: Timestamp) {
        guard link.isReachable else { return }
        link = .unreachable(since: since)
        if flash?.kind != .refusal { flash = nil }
    }

    /// The journal stopped reading cleanly: the status line names why (a new problem replaces
    /// the one shown; the same one read again changes nothing).
    mutating func journalUnreadable(since: Timestamp, error: LedgerError) {
        if case .unreadable(_, error) = link { return }
        link = .unreadable(since: since, error: error)
        if flash?.kind != .refusal { flash = nil }
    }

    /// The server answers again, or the journal reads cleanly again; what was written meanwhile
    /// arrives as `.ledgerChanged`.
    mutating func linkRestored() {
        guard !link.isReachable else { return }
        let repaired = if case .unreadable = link { true } else { false }
        link = .reachable
        flash = Flash(repaired ? "the journal reads cleanly again: caught up with what was written"
                               : "the ledger server is back: caught up with what was written meanwhile", kind: .info)
    }

    /// While the server is away, refuses a command that leads to a write (true: it was refused).
    mutating func refuseWhileUnreachable(_ command: UICommand) -> Bool {
        guard let why = link.refusalText, Self.writeCommands.contains(command) else { return false }
        flash = Flash(why, kind: .refusal)
        return true
    }
}
