import Testing
@testable import PostgresLedger

/// `grant_desk` as migrations 4 and 7 build it from their lists of grants: the SQL is the text
/// they shipped with (a migration that already ran never changes meaning), and a ledger
/// upgraded from version 6 gives a role exactly the desk a new version 7 ledger gives.
struct DeskGrantTests {
    /// The function body's statements as version 4 shipped them.
    static let shippedV4 = [
        "GRANT USAGE ON SCHEMA creditdesk TO %I",
        "GRANT SELECT ON creditdesk.schema_version, creditdesk.ledger, creditdesk.head, creditdesk.journal, creditdesk.entries, creditdesk.balances, creditdesk.idempotency_keys TO %I",
        "GRANT INSERT ON creditdesk.journal, creditdesk.entries, creditdesk.idempotency_keys, creditdesk.balances TO %I",
        "GRANT UPDATE ON creditdesk.head, creditdesk.balances TO %I",
        "GRANT EXECUTE ON FUNCTION creditdesk.chain_after(bigint, integer), creditdesk.chain_before(bigint, bigint, integer), creditdesk.chain_record(bigint), creditdesk.grant_access(text) TO %I",
    ]

    /// Version 7's `grant_desk` as it shipped, written out by hand.
    static let shippedV7Function = """
        CREATE OR REPLACE FUNCTION creditdesk.grant_desk(person text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
          SET search_path = pg_catalog AS $$
        BEGIN
          EXECUTE format('GRANT USAGE ON SCHEMA creditdesk TO %I', person);
          EXECUTE format('GRANT SELECT ON creditdesk.schema_version, creditdesk.ledger, creditdesk.head, creditdesk.journal, creditdesk.entries, creditdesk.balances, creditdesk.idempotency_keys, creditdesk.workspace_states TO %I', person);
          EXECUTE format('GRANT INSERT ON creditdesk.journal, creditdesk.entries, creditdesk.idempotency_keys, creditdesk.balances, creditdesk.workspace_states TO %I', person);
          EXECUTE format('GRANT UPDATE ON creditdesk.head, creditdesk.balances, creditdesk.workspace_states TO %I', person);
          EXECUTE format('GRANT EXECUTE ON FUNCTION creditdesk.chain_after(bigint, integer), creditdesk.chain_before(bigint, bigint, integer), creditdesk.chain_record(bigint), creditdesk.grant_access(text), creditdesk.chain_of(text, bigint, bigint, integer) TO %I', person);
        END $$
        """

    @Test func version4GrantsAreTheShippedStatements() {
        #expect(SchemaMigrations.deskGrants == Self.shippedV4)
        #expect(SchemaMigrations.version4.contains(SchemaMigrations.grantDeskFunction(Self.shippedV4)))
    }

    @Test func version7BuildsGrantDeskFromItsListAsShipped() {
        #expect(SchemaMigrations.grantDeskFunction(SchemaMigrations.deskGrantsV7) == Self.shippedV7Function)
        #expect(SchemaMigrations.version7.contains(Self.shippedV7Function))
        #expect(SchemaMigrations.version7.filter { $0.contains("grant_desk(person text)") }.count == 1)
    }

    @Test func version7DeskIsVersion4sPlusTheStoredStates() {
        for (old, new) in zip(SchemaMigrations.deskGrants, SchemaMigrations.deskGrantsV7) {
            #expect(new.hasPrefix(String(old.dropLast(" TO %I".count))), "\(new)")
        }
        #expect(SchemaMigrations.deskGrantsV7.count == SchemaMigrations.deskGrants.count)
    }
}

/// The same desk on the server: upgraded or new, a role ends with the same privileges.
@Suite(.enabled(if: TestPostgres.isConfigured, TestPostgres.skipNote))
struct DeskGrantUpgradeTests {
    /// Every privilege `role` holds on the schema's tables and functions, one `object:privilege`
    /// a line, sorted.
    private func privileges(of role: String, in session: PostgresSession) throws -> [String] {
        let rows = try session.query("""
            SELECT c.relname || ':' || p FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
                   unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p
            WHERE n.nspname = 'creditdesk' AND c.relkind = 'r' AND has_table_privilege($1, c.oid, p)
            UNION ALL
            SELECT f.oid::regprocedure::text || ':EXECUTE' FROM pg_proc f JOIN pg_namespace n ON n.oid = f.pronamespace
            WHERE n.nspname = 'creditdesk' AND has_function_privilege($1, f.oid, 'EXECUTE')
            UNION ALL
            SELECT 'schema:USAGE' WHERE has_schema_privilege($1, 'creditdesk', 'USAGE')
            """, [role])
        return try rows.map { try $0.decode(String.self) }.sorted()
    }

    @Test func aDeskGrantedAtVersion6IsTheNewLedgersDeskAfterTheUpgrade() throws {
        let role = "desk_grant_\(UInt32.random(in: 0..<UInt32.max))"
        let admin = try TestPostgres.connect(try TestPostgres.serverLocation())
        defer {
            _ = try? admin.query("DROP ROLE IF EXISTS \(role)")
            admin.close()
        }
        let upgraded = try TestPostgres.freshDatabase("desk_old")
        let fresh = try TestPostgres.freshDatabase("desk_new")
        defer { upgraded.drop(); fresh.drop() }
        try admin.query("CREATE ROLE \(role)")

        let old = try TestPostgres.connect(upgraded.location)
        defer { old.close() }
        try old.migrate(to: 6)
        try old.query("SELECT creditdesk.grant_desk($1)", [role])
        try old.query("INSERT INTO creditdesk.journal (seq, line, prev, hash, more) VALUES (1, $1, repeat('0', 64), repeat('a', 64), false)",
                      [#"{"kind":"init","actor":"\#(role)"}"#])
        try old.migrate()

        let new = try TestPostgres.connect(fresh.location)
        defer { new.close() }
        try new.migrate()
        try new.query("SELECT creditdesk.grant_desk($1)", [role])

        let desk = try privileges(of: role, in: new)
        #expect(desk.contains("workspace_states:UPDATE"))
        #expect(desk.contains("creditdesk.chain_of(text,bigint,bigint,integer):EXECUTE"))
        #expect(try privileges(of: role, in: old) == desk)
    }
}
