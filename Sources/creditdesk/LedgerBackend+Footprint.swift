import LedgerStore

extension LedgerBackend {
    /// Whether writing `path` would write into the file ledger at `location`: inside its folder,
    /// or one of its files however reached (`LedgerFootprint`). Never for PostgreSQL, which
    /// keeps no files a name could reach.
    static func holds(_ path: String, ledger location: LedgerLocation) -> Bool {
        guard case .directory(let directory) = location else { return false }
        return LedgerFootprint.holds(path, ledger: directory)
    }
}
