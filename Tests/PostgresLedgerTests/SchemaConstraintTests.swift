import Testing
@testable import PostgresLedger

/// The schema's own guarantees, tried against the real server with the application out of the
/// way: what a psql session or a buggy client meets.
@Suite(.enabled(if: TestPostgres.isConfigured, TestPostgres.skipNote))
struct SchemaConstraintTests {
    /// A migrated database with one journal record for workspace `acme`.
    private func migrated(_ body: (PostgresSession) throws -> Void) throws {
        let database = try TestPostgres.freshDatabase("schema")
        defer { database.drop() }
        let session = try TestPostgres.connect(database.location)
        defer { session.close() }
        try session.migrate()
        try session.query("""
            INSERT INTO creditdesk.journal (seq, line, prev, hash, more, workspace)
            VALUES (1, '{}', repeat('0', 64), repeat('a', 64), false, 'acme')
            """)
        try body(session)
    }

    private func sqlState(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let problem as PostgresProblem {
            if case .server(let state, _) = problem { return state }
            return "\(problem)"
        } catch { return "\(error)" }
    }

    @Test func migrationsRecordTheirVersionAndRunOnce() throws {
        try migrated { session in
            #expect(try session.schemaVersion() == SchemaMigrations.latest)
            try session.migrate()
            #expect(try session.schemaVersion() == SchemaMigrations.latest)
        }
    }

    @Test func appendOnly_journalRefusesUpdateDeleteAndTruncate() throws {
        try migrated { session in
            #expect(sqlState { try session.query("UPDATE creditdesk.journal SET line = 'x' WHERE seq = 1") } == "P0001")
            #expect(sqlState { try session.query("DELETE FROM creditdesk.journal") } == "P0001")
            #expect(sqlState { try session.query("TRUNCATE creditdesk.journal CASCADE") } == "P0001")
            let rows = try session.query("SELECT line FROM creditdesk.journal WHERE seq = 1")
            #expect(try rows.first?.decode(String.self) == "{}")
        }
    }

    @Test func appendOnly_entriesRefuseUpdate() throws {
        try migrated { session in
            try session.query("""
                INSERT INTO creditdesk.entries (seq, time, kind, workspace, credits, balance, actor, hash)
                VALUES (1, '2026-01-10T09:00:00Z', 'topup', 'acme', 500, 500, 'ann', repeat('a', 64))
                """)
            #expect(sqlState { try session.query("UPDATE creditdesk.entries SET credits = 5000") } == "P0001")
            #expect(sqlState { try session.query("DELETE FROM creditdesk.entries") } == "P0001")
        }
    }

    @Test func R8_balanceCheckRefusesANegativeBalance() throws {
        try migrated { session in
            #expect(sqlState { try session.query("INSERT INTO creditdesk.balances VALUES ('acme', -1, 0, 1, 1)") } == PostgresProblem.SQLState.checkViolation)
            #expect(sqlState {
                try session.query("""
                    INSERT INTO creditdesk.entries (seq, time, kind, workspace, credits, balance, actor, hash)
                    VALUES (1, '2026-01-10T09:00:00Z', 'charge', 'acme', -6, -6, 'lee', repeat('a', 64))
                    """)
            } == PostgresProblem.SQLState.checkViolation)
        }
    }

    @Test func R6_uniqueKeysRefuseASecondChargeOfTheSameJob() throws {
        try migrated { session in
            try session.query("INSERT INTO creditdesk.idempotency_keys VALUES ('acme', 'job', 'j-1', 1)")
            #expect(sqlState { try session.query("INSERT INTO creditdesk.idempotency_keys VALUES ('acme', 'job', 'j-1', 1)") }
                    == PostgresProblem.SQLState.uniqueViolation)
            #expect(sqlState { try session.query("INSERT INTO creditdesk.idempotency_keys VALUES ('acme', 'job', NULL, 1)") } == "23502")
            // The same job id in another workspace is another key.
            try session.query("INSERT INTO creditdesk.idempotency_keys VALUES ('globex', 'job', 'j-1', 1)")
        }
    }
}
