import ConsoleUI
import CreditKit
import LedgerCore

/// How a console on a ledger that announces its commits (PostgreSQL LISTEN/NOTIFY) follows it:
/// it reads the journal when the listener heard a commit (and every `checkMilliseconds` as a
/// check), not on every tick; when the connection is lost it says so, tries again on
/// `ReconnectBackoff`'s schedule, and on coming back listens again and catches up. Every
/// workspace the news wrote is loaded, so lists (the Accounts screen) show it too.
final class LiveWatch {
    /// How often the loop looks at what the listener heard, in milliseconds: no round trip, so
    /// short enough that another desk's write shows well within a second.
    static let lookMilliseconds: Int64 = 200
    /// How often the journal is read even without news, in milliseconds (a check that the
    /// connection still answers, and a net under a notification that never came).
    static let checkMilliseconds: Int64 = 15_000

    let ledger: any LiveLedger
    /// Whether the server answers, as the console was last told.
    private(set) var link = LedgerLink.reachable
    private var backoff = ReconnectBackoff()
    /// When (monotonic milliseconds) the next reconnect is tried, while unreachable.
    private var nextTry: Int64 = 0
    /// When the journal was last read.
    private var lastRead: Int64

    /// Starts listening on `ledger`; nil for a ledger that does not announce commits (polled).
    init?(_ ledger: any Ledger, now: Int64) {
        guard let live = ledger as? any LiveLedger else { return nil }
        self.ledger = live
        lastRead = now
        // A listen that fails shows as a lost connection at the first look, and is retried.
        do { try live.listen() } catch { pendingLoss = true }
    }

    private var pendingLoss = false

    /// The actions for this look: the journal's news, the link lost or found again.
    func look(_ state: ConsoleState, now: Int64, wall: Timestamp) -> [ConsoleAction] {
        if !link.isReachable { return retry(now: now, wall: wall) }
        let news = ledger.takeNews()
        if news.lost || pendingLoss { return lose(now: now, wall: wall) }
        guard news.commits || now - lastRead >= Self.checkMilliseconds else { return [.refreshed(wall)] }
        lastRead = now
        do {
            try ledger.refresh()
            try ledger.loadTouchedWorkspaces()
        } catch {
            if case .database(_, refused: false) = error { return lose(now: now, wall: wall) }
            return [.couldNot("the ledger could not be read: \(error)")]
        }
        let changed: [ConsoleAction] = ledger.state.lastSeq != state.seenSeq ? [.ledgerChanged(ledger.state)] : []
        return changed + [.refreshed(wall)]
    }

    /// The connection is gone: the console says so; the first try comes after the first delay.
    private func lose(now: Int64, wall: Timestamp) -> [ConsoleAction] {
        pendingLoss = false
        link = .unreachable(since: wall)
        backoff.reset()
        nextTry = now + backoff.delayMilliseconds
        return [.linkLost(since: wall)]
    }

    /// Tries the server again when the backoff says so; on success listens again and catches up
    /// with everything written meanwhile.
    private func retry(now: Int64, wall: Timestamp) -> [ConsoleAction] {
        guard now >= nextTry else { return [] }
        do {
            try ledger.reconnect()
            try ledger.refresh()
            try ledger.loadTouchedWorkspaces()
        } catch {
            backoff.failed()
            nextTry = now + backoff.delayMilliseconds
            return []
        }
        link = .reachable
        backoff.reset()
        lastRead = now
        return [.linkRestored, .ledgerChanged(ledger.state), .refreshed(wall)]
    }
}
