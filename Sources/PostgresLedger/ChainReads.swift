/// How a process reads the journal's lines for its fold, walks and `verify`: from schema version
/// 3 on through the chain functions (`creditdesk.chain_after`, `chain_before`, `chain_record`,
/// SECURITY DEFINER), because row-level security shows a member's role only its workspaces' rows
/// of the table itself; before version 3 from the table. Each query answers `(seq, line)` rows,
/// or `(line, prev)` for one record; `$1`… are the bounds, the row count is the last argument.
struct ChainReads: Sendable {
    /// True when the schema has the chain functions (version 3 or later).
    let viaFunctions: Bool

    /// The schema version from which the journal is read through the chain functions.
    static let functionsSinceVersion = 3

    init(schemaVersion: Int) {
        viaFunctions = schemaVersion >= Self.functionsSinceVersion
    }

    /// Rows with seq > $1, oldest first, at most `rows`.
    func after(rows: Int) -> String {
        viaFunctions
            ? "SELECT seq, line FROM creditdesk.chain_after($1, \(rows))"
            : "SELECT seq, line FROM creditdesk.journal WHERE seq > $1 ORDER BY seq LIMIT \(rows)"
    }

    /// Rows with $2 < seq < $1, newest first, at most `rows`.
    func before(rows: Int) -> String {
        viaFunctions
            ? "SELECT seq, line FROM creditdesk.chain_before($1, $2, \(rows))"
            : "SELECT seq, line FROM creditdesk.journal WHERE seq < $1 AND seq > $2 ORDER BY seq DESC LIMIT \(rows)"
    }

    /// The line and prev of record $1.
    var record: String {
        viaFunctions
            ? "SELECT line, prev FROM creditdesk.chain_record($1)"
            : "SELECT line, prev FROM creditdesk.journal WHERE seq = $1"
    }
}
