/// A ledger whose server tells its open readers of every commit (PostgreSQL LISTEN/NOTIFY), over
/// a connection that can be lost and made again. A console on one reads only when told (or
/// rarely, as a check), instead of polling; a file ledger is not one and is polled.
public protocol LiveLedger: Ledger {
    /// Starts hearing commits: from now on `takeNews` says whether anyone committed. Throws when
    /// the server cannot be asked (nothing changes).
    func listen() throws(LedgerError)
    /// What was heard since the last call (cleared by it): commits by anyone, a lost connection.
    /// Cheap: no round trip to the server.
    func takeNews() -> LedgerNews
    /// Connects again as the same role to the same place and listens again; then `refresh`
    /// catches up. Throws (nothing changes) while the server is still away.
    func reconnect() throws(LedgerError)
}

/// What a `LiveLedger`'s listener heard between two looks.
public struct LedgerNews: Hashable, Sendable {
    /// Someone (this process included) committed: the journal has records to read.
    public var commits: Bool
    /// The connection to the server was lost: reads and writes fail until `reconnect`.
    public var lost: Bool

    public init(commits: Bool = false, lost: Bool = false) {
        self.commits = commits
        self.lost = lost
    }
}
