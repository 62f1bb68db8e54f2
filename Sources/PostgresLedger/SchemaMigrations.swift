/// The `creditdesk` schema, as ordered migrations: migration N is the list of statements that
/// takes the schema from version N-1 to N, run in one transaction and recorded in
/// `creditdesk.schema_version`. Never edit a shipped migration; add the next one.
/// docs/POSTGRESQL.md describes the tables (their columns are part of the contract).
public enum SchemaMigrations {
    /// The schema version this build writes and reads.
    public static var latest: Int { all.count }

    /// Every migration, oldest first; index 0 is version 1.
    static let all: [[String]] = [version1, version2]

    /// The tables that never change once written: UPDATE, DELETE and TRUNCATE are refused by a
    /// trigger, whoever asks, and no role but the owner is granted them.
    static let appendOnlyTables = ["journal", "entries", "idempotency_keys"]

    /// Version 1: the journal and hash-chain head, the readable entries and balances, the
    /// idempotency keys, the append-only triggers, and privileges granted to nobody by default.
    static let version1: [String] = [
        "CREATE SCHEMA creditdesk",
        """
        CREATE TABLE creditdesk.schema_version (
          version integer PRIMARY KEY,
          applied_at timestamptz NOT NULL DEFAULT now())
        """,
        // The ledger's one row: the catalog it prices with, byte for byte as `init` was given it.
        """
        CREATE TABLE creditdesk.ledger (
          id boolean PRIMARY KEY DEFAULT true CHECK (id),
          catalog_id text NOT NULL,
          catalog_json bytea NOT NULL,
          catalog_sha256 text NOT NULL CHECK (catalog_sha256 ~ '^[0-9a-f]{64}$'),
          created_by text NOT NULL)
        """,
        // The chain head: every writer locks this one row (SELECT … FOR UPDATE) before deciding.
        """
        CREATE TABLE creditdesk.head (
          id boolean PRIMARY KEY DEFAULT true CHECK (id),
          seq bigint NOT NULL CHECK (seq >= 0),
          hash text NOT NULL)
        """,
        // Exactly the record line the file ledger writes to journal.jsonl, newline excluded.
        """
        CREATE TABLE creditdesk.journal (
          seq bigint PRIMARY KEY CHECK (seq >= 1),
          line text NOT NULL,
          prev text NOT NULL CHECK (prev ~ '^[0-9a-f]{64}$'),
          hash text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
          more boolean NOT NULL,
          workspace text)
        """,
        // The credit entries, with the columns of `history --json` (`ws` is `workspace`).
        """
        CREATE TABLE creditdesk.entries (
          seq bigint PRIMARY KEY REFERENCES creditdesk.journal (seq),
          time timestamptz NOT NULL,
          kind text NOT NULL CHECK (kind IN ('grant', 'topup', 'charge', 'refund', 'adjustment', 'expiry')),
          workspace text NOT NULL,
          credits bigint NOT NULL,
          balance bigint NOT NULL CHECK (balance >= 0),
          actor text NOT NULL,
          action text, job text, item text, pack text, price_cents bigint, invoice text, plan text,
          source text, expires timestamptz, ref bigint, reverses bigint, on_behalf_of text,
          payment text, request text, alert text, messages bigint, member text, status text,
          reason text,
          hash text NOT NULL REFERENCES creditdesk.journal (hash))
        """,
        "CREATE INDEX entries_by_workspace ON creditdesk.entries (workspace, seq DESC)",
        // Each workspace's balance after its last credit entry; never negative (R8's last line).
        """
        CREATE TABLE creditdesk.balances (
          workspace text PRIMARY KEY,
          balance bigint NOT NULL CHECK (balance >= 0),
          earned bigint NOT NULL CHECK (earned >= 0),
          spent bigint NOT NULL,
          seq bigint NOT NULL REFERENCES creditdesk.journal (seq))
        """,
        // R5–R7, R10, R26: each key once per workspace, whatever the application does.
        """
        CREATE TABLE creditdesk.idempotency_keys (
          workspace text NOT NULL,
          kind text NOT NULL CHECK (kind IN ('job', 'refund', 'clone', 'invoice', 'payment', 'request')),
          key text NOT NULL,
          seq bigint NOT NULL REFERENCES creditdesk.journal (seq),
          PRIMARY KEY (workspace, kind, key))
        """,
        """
        CREATE FUNCTION creditdesk.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'creditdesk.% is append-only: % refused', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'P0001';
        END $$
        """,
    ] + appendOnlyTables.flatMap { table in
        [
            "CREATE TRIGGER \(table)_append_only BEFORE UPDATE OR DELETE ON creditdesk.\(table) FOR EACH ROW EXECUTE FUNCTION creditdesk.refuse_change()",
            "CREATE TRIGGER \(table)_no_truncate BEFORE TRUNCATE ON creditdesk.\(table) FOR EACH STATEMENT EXECUTE FUNCTION creditdesk.refuse_change()",
        ]
    } + [
        "REVOKE ALL ON ALL TABLES IN SCHEMA creditdesk FROM PUBLIC",
        "REVOKE ALL ON SCHEMA creditdesk FROM PUBLIC",
    ]

    /// Version 2: holds (R35) and voids (R36). Entries may be of kind hold, release and void and
    /// carry the credits a hold reserves (`held`); each workspace's balance row carries what its
    /// open holds reserve, and the available balance (balance − held) is never negative.
    static let version2: [String] = [
        "ALTER TABLE creditdesk.entries DROP CONSTRAINT entries_kind_check",
        """
        ALTER TABLE creditdesk.entries ADD CONSTRAINT entries_kind_check
          CHECK (kind IN ('grant', 'topup', 'charge', 'refund', 'adjustment', 'expiry', 'hold', 'release', 'void'))
        """,
        "ALTER TABLE creditdesk.entries ADD COLUMN held bigint CHECK (held >= 0)",
        "ALTER TABLE creditdesk.balances ADD COLUMN held bigint NOT NULL DEFAULT 0 CHECK (held >= 0)",
        "ALTER TABLE creditdesk.balances ADD CONSTRAINT balances_available_check CHECK (balance - held >= 0)",
    ]
}

extension PostgresSession {
    /// The schema version the database holds; 0 when it holds no CreditDesk schema.
    func schemaVersion() throws(PostgresProblem) -> Int {
        let exists = try query("SELECT to_regclass('creditdesk.schema_version') IS NOT NULL")
        guard let row = exists.first, (try? row.decode(Bool.self)) == true else { return 0 }
        let rows = try query("SELECT coalesce(max(version), 0) FROM creditdesk.schema_version")
        return Int((try? rows.first?.decode(Int32.self)) ?? 0)
    }

    /// Runs every migration past the database's version, each in its own transaction.
    func migrate(to target: Int = SchemaMigrations.latest) throws(PostgresProblem) {
        let current = try schemaVersion()
        guard current <= SchemaMigrations.latest else { throw .schemaTooNew(found: current, known: SchemaMigrations.latest) }
        guard current < target else { return }
        for version in (current + 1)...target {
            try transaction { () throws(PostgresProblem) in
                for statement in SchemaMigrations.all[version - 1] { try query(statement) }
                try query("INSERT INTO creditdesk.schema_version (version) VALUES ($1)", [Int32(version)])
            }
        }
    }
}
