import LedgerCore

extension PostgresLedger {
    /// R18: who really acts when `actor` is named (`--as`): the role the server authenticated
    /// (`session_user`) when it is someone else, to be recorded as the entries' `by`; nil when
    /// the role acts as itself.
    public func actingRole(for actor: String) -> String? {
        actor == sessionUser ? nil : sessionUser
    }

    /// Grants `role` what a desk needs (`creditdesk.grant_access`, schema version 4): for a person
    /// the ledger already has whose login role a DBA created later (a workspace's owner made with
    /// `workspace create --owner` before the role existed). Support only (42501, exit 1); a role
    /// the ledger does not know (CDR02) or the server lacks (CDR01) is refused, exit 1. Idempotent.
    public func grantAccess(_ role: String) throws(LedgerError) {
        try PostgresError.mapped { () throws(PostgresProblem) in
            try session.transaction { () throws(PostgresProblem) in
                _ = try session.query("SELECT creditdesk.grant_access($1)", [role])
            }
        }
    }
}
