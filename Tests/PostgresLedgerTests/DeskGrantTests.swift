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

    @Test func version8FallsBackToVersion7sGrants() {
        for grant in SchemaMigrations.deskGrantsV7 {
            #expect(SchemaMigrations.grantDeskThroughRole.contains("EXECUTE format('\(grant)', person);"))
        }
        #expect(SchemaMigrations.version8.last == SchemaMigrations.grantDeskThroughRole)
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
        #expect(desk.contains("workspace_states:SELECT") && !desk.contains("workspace_states:UPDATE"))
        #expect(desk.contains("creditdesk.chain_of(text,bigint,bigint,integer):EXECUTE"))
        #expect(desk.contains("creditdesk.append_commit(jsonb,jsonb,jsonb,jsonb):EXECUTE"))
        #expect(try privileges(of: role, in: old) == desk)
        for session in [old, new] {
            #expect(try grantsNamingOnTheSchema(role, in: session) == 0, "the desk comes from the desk role, not the person's own grants")
            #expect(try isDeskMember(role, in: session))
        }
    }

    /// How many entries of the schema's tables' and functions' ACLs name `role` itself.
    private func grantsNamingOnTheSchema(_ role: String, in session: PostgresSession) throws -> Int {
        let rows = try session.query("""
            SELECT count(*)::int FROM (
              SELECT (aclexplode(c.relacl)).grantee FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'creditdesk'
              UNION ALL
              SELECT (aclexplode(f.proacl)).grantee FROM pg_proc f JOIN pg_namespace n ON n.oid = f.pronamespace WHERE n.nspname = 'creditdesk'
              UNION ALL
              SELECT (aclexplode(nspacl)).grantee FROM pg_namespace WHERE nspname = 'creditdesk') g
            WHERE g.grantee = (SELECT oid FROM pg_roles WHERE rolname = $1)
            """, [role])
        return Int(try rows.first?.decode(Int32.self) ?? -1)
    }

    /// True when `role` is a member of the ledger's desk role.
    private func isDeskMember(_ role: String, in session: PostgresSession) throws -> Bool {
        let rows = try session.query("SELECT pg_has_role($1, (SELECT role FROM creditdesk.desk_role), 'MEMBER')", [role])
        return try rows.first?.decode(Bool.self) ?? false
    }

    /// Version 7 granted each person their own desk, and the tables' ACLs stopped growing at about
    /// 2,400 people (`row is too big`). From version 8 a person is a member of the desk role: 3,000
    /// people take a second or two, the ACLs keep their size, and each role can be dropped as any.
    @Test func aLedgerTakesThousandsOfPeople() throws {
        let prefix = "desk_many_\(UInt32.random(in: 0..<UInt32.max))_"
        let people = 3_000
        let scratch = try TestPostgres.freshDatabase("desk_many")
        defer { scratch.drop() }
        let session = try TestPostgres.connect(scratch.location)
        defer { session.close() }
        try session.migrate()
        try session.query("DO $$BEGIN FOR i IN 1..\(people) LOOP EXECUTE format('CREATE ROLE %I', '\(prefix)' || i); END LOOP; END$$")
        defer {
            _ = try? session.query("DO $$BEGIN FOR i IN 1..\(people) LOOP EXECUTE format('DROP ROLE IF EXISTS %I', '\(prefix)' || i); END LOOP; END$$")
        }
        let aclBefore = try tableACLSize(in: session)
        try session.query("SELECT creditdesk.grant_desk('\(prefix)' || i) FROM generate_series(1, \(people)) i")

        #expect(try tableACLSize(in: session) == aclBefore)
        #expect(try privileges(of: "\(prefix)\(people)", in: session).contains("creditdesk.append_commit(jsonb,jsonb,jsonb,jsonb):EXECUTE"))
        #expect(try isDeskMember("\(prefix)1", in: session))
        try session.query("DO $$BEGIN FOR i IN 1..\(people) LOOP EXECUTE format('DROP ROLE %I', '\(prefix)' || i); END LOOP; END$$")
    }

    /// The number of ACL entries on `creditdesk.entries`.
    private func tableACLSize(in session: PostgresSession) throws -> Int {
        let rows = try session.query("SELECT cardinality(relacl) FROM pg_class WHERE oid = 'creditdesk.entries'::regclass")
        return Int(try rows.first?.decode(Int32.self) ?? -1)
    }

    /// A schema owner that may not create roles still gets a working ledger: version 8 leaves
    /// `desk_role` empty and `grant_desk` gives each person version 7's grants, the same desk;
    /// version 9 takes back each person's INSERT and UPDATE and grants the write functions.
    @Test func withoutCreateRoleEachPersonKeepsTheirOwnGrants() throws {
        let suffix = UInt32.random(in: 0..<UInt32.max)
        let owner = "desk_owner_\(suffix)", person = "desk_person_\(suffix)", later = "desk_later_\(suffix)"
        let admin = try TestPostgres.connect(try TestPostgres.serverLocation())
        let scratch = try TestPostgres.freshDatabase("desk_plain")
        defer {
            scratch.drop()
            _ = try? admin.query("DROP ROLE IF EXISTS \(person)")
            _ = try? admin.query("DROP ROLE IF EXISTS \(later)")
            _ = try? admin.query("DROP ROLE IF EXISTS \(owner)")
            admin.close()
        }
        try admin.query("CREATE ROLE \(owner) LOGIN NOCREATEROLE")
        try admin.query("CREATE ROLE \(person)")
        let database = try TestPostgres.connect(scratch.location)
        try database.query("GRANT CREATE ON DATABASE \(scratch.location.database) TO \(owner)")
        database.close()

        let session = try TestPostgres.connect(scratch.location, as: owner)
        defer { session.close() }
        try session.migrate(to: 8)
        try session.query("SELECT creditdesk.grant_desk($1)", [person])
        #expect(try privileges(of: person, in: session).contains("entries:INSERT"))
        try session.migrate()

        #expect(try session.query("SELECT role FROM creditdesk.desk_role").isEmpty)
        #expect(try grantsNamingOnTheSchema(person, in: session) > 0)
        let desk = try privileges(of: person, in: session)
        #expect(desk.contains("entries:SELECT") && desk.contains("creditdesk.append_commit(jsonb,jsonb,jsonb,jsonb):EXECUTE"))
        #expect(!desk.contains { $0.hasSuffix(":INSERT") || $0.hasSuffix(":UPDATE") || $0.hasSuffix(":DELETE") }, "\(desk)")
        try admin.query("CREATE ROLE \(later)")
        try session.query("SELECT creditdesk.grant_desk($1)", [later])
        #expect(try privileges(of: later, in: session) == desk, "a person granted after version 9 gets the same desk")
        // R42: without a desk role, taking the desk back revokes every grant it gave, the write functions' too.
        try session.query("SELECT creditdesk.revoke_desk($1)", [person])
        #expect(try grantsNamingOnTheSchema(person, in: session) == 0)
        let left = try privileges(of: person, in: session)
        let deskFunctions = ["creditdesk.append_commit", "creditdesk.lock_head", "creditdesk.store_states", "creditdesk.chain_after"]
        #expect(!left.contains("entries:SELECT") && !left.contains("schema:USAGE"), "\(left)")
        #expect(!left.contains { grant in deskFunctions.contains { grant.hasPrefix($0) } }, "\(left)")
    }
}
