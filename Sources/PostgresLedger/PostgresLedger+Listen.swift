import CreditKit
import LedgerCore
import NIOConcurrencyHelpers
import PostgresNIO

/// Live desks (docs/POSTGRESQL.md, "Live desks"): every write transaction sends
/// `NOTIFY creditdesk_journal, '<seq>'` (delivered only after COMMIT), and a console listens on
/// its connection, so it reads the journal when someone committed instead of polling it.
extension PostgresLedger: LiveLedger {
    /// The channel every commit is announced on; the payload is the new head's seq.
    public static let journalChannel = "creditdesk_journal"
    /// How long a reconnect may take, in seconds: short, because the console waits for it.
    public static let reconnectTimeoutSeconds: Int64 = 2

    public func listen() throws(LedgerError) {
        listening = true
        try PostgresError.mapped { () throws(PostgresProblem) in try listenOnConnection() }
    }

    public func takeNews() -> LedgerNews { heard.take() }

    public func reconnect() throws(LedgerError) {
        let stands = try PostgresError.mapped { () throws(PostgresProblem) -> Bool in
            try session.reconnect(timeoutSeconds: Self.reconnectTimeoutSeconds)
            _ = heard.take()
            if listening { try listenOnConnection() }
            return try standsOnServer()
        }
        if !stands { try reload() }
    }

    /// Whether the server still holds the record this desk folded last, with the same hash. A
    /// write's COMMIT does not wait for the disk (its desk waits after it: see
    /// `PostgresBatch.durableStatement`), so a desk may have read a commit that a crash then lost;
    /// and a server may come back as another: a standby promoted without the primary's last
    /// commits, a database restored from a backup. Its chain then ends before this desk's state,
    /// or goes on differently.
    private func standsOnServer() throws(PostgresProblem) -> Bool {
        guard state.lastSeq > 0 else { return true }
        guard let row = try session.query(chain.record, [state.lastSeq]).first else { return false }
        let (line, _) = try PostgresError.decode(row, as: (String, String).self)
        return try JournalRecord.decodeOwnHash(line, seq: state.lastSeq).entry.hash == state.lastHash
    }

    /// Reads the ledger again as an open does (the same workspaces), dropping what this desk had
    /// folded: for a desk whose last records the server no longer holds.
    private func reload() throws(LedgerError) {
        state = LedgerState(catalog: state.catalog)
        stored = [:]
        touched = []
        storedSummaries = [:]
        if let scope {
            try openScoped(scope)
        } else {
            try PostgresError.mapped { () throws(PostgresProblem) in
                try readStoredSeqs()
                try catchUp()
            }
        }
    }

    /// Hears the channel and the connection's end on the connection in use, then sends `LISTEN`
    /// and waits for it, so a commit after this returns is heard.
    private func listenOnConnection() throws(PostgresProblem) {
        let heard = self.heard
        let connection = session.connection
        guard !connection.isClosed else { throw .connectionLost(why: "the server closed the connection") }
        connection.addListener(channel: Self.journalChannel) { _, _ in heard.commit() }
        connection.closeFuture.whenComplete { _ in heard.lose() }
        try session.query("LISTEN \(Self.journalChannel)")
    }
}

/// What the listener heard, shared between the event loop (which sets it) and the console's
/// thread (which takes it).
final class HeardNews: Sendable {
    private let box = NIOLockedValueBox(LedgerNews())

    func commit() { box.withLockedValue { $0.commits = true } }

    /// The connection closed (the server stopped, the network broke, or it was closed here).
    func lose() { box.withLockedValue { $0.lost = true } }

    func take() -> LedgerNews {
        box.withLockedValue { news in
            defer { news = LedgerNews() }
            return news
        }
    }
}
