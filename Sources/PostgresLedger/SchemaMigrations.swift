/// The `creditdesk` schema, as ordered migrations: migration N is the list of statements that
/// takes the schema from version N-1 to N, run in one transaction and recorded in
/// `creditdesk.schema_version`. Never edit a shipped migration; add the next one.
/// docs/POSTGRESQL.md describes the tables (their columns are part of the contract).
public enum SchemaMigrations {
    /// The schema version this build writes and reads.
    public static var latest: Int { all.count }

    /// Every migration, oldest first; index 0 is version 1.
    static let all: [[String]] = [version1, version2, version3, version4, version5, version6, version7, version8, version9, version10, version11]

    /// The key of the advisory lock every migration's transaction takes (`CreditDk` in ASCII).
    static let migrationLockKey: Int64 = 0x4372_6564_6974_446B

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

    /// Version 5: auto top-up (R37–R39). Each top-up request id is written once per workspace
    /// (`topup_request`), and answered once, by a payment or a decline (`topup_answer`).
    static let version5: [String] = [
        "ALTER TABLE creditdesk.idempotency_keys DROP CONSTRAINT idempotency_keys_kind_check",
        """
        ALTER TABLE creditdesk.idempotency_keys ADD CONSTRAINT idempotency_keys_kind_check
          CHECK (kind IN ('job', 'refund', 'clone', 'invoice', 'payment', 'request', 'topup_request', 'topup_answer'))
        """,
    ]

    /// Version 3: who sees and writes what, enforced by the database (docs/POSTGRESQL.md, "Who
    /// sees what"). `people` holds each role's place, filled by a trigger in the same transaction
    /// as the init, operator, workspace and member records, which also GRANTs the role what a desk
    /// needs; row-level security shows a role only its workspaces' rows (support: all); the
    /// chain functions give CreditDesk the whole journal it decides and verifies with.
    static let version3: [String] = [
        """
        CREATE TABLE creditdesk.people (
          role text NOT NULL,
          workspace text,
          kind text NOT NULL CHECK (kind IN ('support', 'owner', 'member')),
          seq bigint NOT NULL REFERENCES creditdesk.journal (seq),
          UNIQUE NULLS NOT DISTINCT (role, workspace))
        """,
        "CREATE TRIGGER people_append_only BEFORE UPDATE OR DELETE ON creditdesk.people FOR EACH ROW EXECUTE FUNCTION creditdesk.refuse_change()",
        "CREATE TRIGGER people_no_truncate BEFORE TRUNCATE ON creditdesk.people FOR EACH STATEMENT EXECUTE FUNCTION creditdesk.refuse_change()",
        // True when session_user may see rows of workspace `ws` (NULL: rows of no workspace): a
        // support agent sees all, an owner or member its workspaces.
        """
        CREATE FUNCTION creditdesk.sees(ws text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
          SET search_path = pg_catalog AS $$
          SELECT EXISTS (SELECT 1 FROM creditdesk.people p
                         WHERE p.role = session_user AND (p.kind = 'support' OR p.workspace = ws))
        $$
        """,
        // True when session_user may add a person to `ws` (NULL: an operator): the schema's
        // owner or a superuser, a support agent, or (for a workspace) its owner.
        """
        CREATE FUNCTION creditdesk.may_add(ws text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
          SET search_path = pg_catalog AS $$
          SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = session_user AND r.rolsuper)
              OR EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = 'creditdesk' AND n.nspowner::regrole::text = quote_ident(session_user))
              OR EXISTS (SELECT 1 FROM creditdesk.people p WHERE p.role = session_user
                         AND (p.kind = 'support' OR (ws IS NOT NULL AND p.kind = 'owner' AND p.workspace = ws)))
        $$
        """,
    ] + ["journal", "entries", "balances", "idempotency_keys"].flatMap { table in
        [
            "ALTER TABLE creditdesk.\(table) ENABLE ROW LEVEL SECURITY",
            "CREATE POLICY \(table)_by_workspace ON creditdesk.\(table) USING (creditdesk.sees(workspace)) WITH CHECK (creditdesk.sees(workspace))",
        ]
    } + [
        "ALTER TABLE creditdesk.people ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY people_own ON creditdesk.people FOR SELECT USING (role = session_user OR creditdesk.sees(NULL))",
        // The whole chain, for CreditDesk's fold, walk and verify: every line, whoever asks
        // among the roles granted EXECUTE (the table itself shows a member only its rows).
        """
        CREATE FUNCTION creditdesk.chain_after(after bigint, n integer) RETURNS TABLE (seq bigint, line text)
          LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
          SELECT j.seq, j.line FROM creditdesk.journal j WHERE j.seq > after ORDER BY j.seq LIMIT n
        $$
        """,
        """
        CREATE FUNCTION creditdesk.chain_before(before bigint, floor bigint, n integer) RETURNS TABLE (seq bigint, line text)
          LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
          SELECT j.seq, j.line FROM creditdesk.journal j WHERE j.seq < before AND j.seq > floor ORDER BY j.seq DESC LIMIT n
        $$
        """,
        """
        CREATE FUNCTION creditdesk.chain_record(at bigint) RETURNS TABLE (line text, prev text)
          LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
          SELECT j.line, j.prev FROM creditdesk.journal j WHERE j.seq = at
        $$
        """,
        "REVOKE ALL ON FUNCTION creditdesk.chain_after(bigint, integer), creditdesk.chain_before(bigint, bigint, integer), creditdesk.chain_record(bigint) FROM PUBLIC",
        // What a desk needs, and nothing more: read, append, move the head and the balances.
        """
        CREATE FUNCTION creditdesk.grant_desk(person text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
          SET search_path = pg_catalog AS $$
        BEGIN
          EXECUTE format('GRANT USAGE ON SCHEMA creditdesk TO %I', person);
          EXECUTE format('GRANT SELECT ON creditdesk.schema_version, creditdesk.ledger, creditdesk.head, creditdesk.journal, creditdesk.entries, creditdesk.balances, creditdesk.idempotency_keys TO %I', person);
          EXECUTE format('GRANT INSERT ON creditdesk.journal, creditdesk.entries, creditdesk.idempotency_keys, creditdesk.balances TO %I', person);
          EXECUTE format('GRANT UPDATE ON creditdesk.head, creditdesk.balances TO %I', person);
          EXECUTE format('GRANT EXECUTE ON FUNCTION creditdesk.chain_after(bigint, integer), creditdesk.chain_before(bigint, bigint, integer), creditdesk.chain_record(bigint) TO %I', person);
        END $$
        """,
        "REVOKE ALL ON FUNCTION creditdesk.grant_desk(text) FROM PUBLIC",
        // Each init, operator, workspace and member record puts its person in `people` and grants
        // the role a desk; a member or operator whose role does not exist is refused (CDR01), and
        // one added by a role that may not add people is refused (42501): the whole commit rolls back.
        """
        CREATE FUNCTION creditdesk.record_person() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
          SET search_path = pg_catalog AS $$
        DECLARE
          record jsonb := NEW.line::jsonb;
          person text;
          place text;
          named boolean := true;
        BEGIN
          CASE record->>'kind'
            WHEN 'init' THEN person := record->>'actor'; place := 'support'; named := false;
            WHEN 'operator' THEN person := record->>'name'; place := record->>'role';
            WHEN 'workspace' THEN person := record->>'owner'; place := 'owner'; named := false;
            WHEN 'member' THEN person := record->>'member'; place := 'member';
            ELSE RETURN NULL;
          END CASE;
          IF named AND NOT creditdesk.may_add(NEW.workspace) THEN
            RAISE EXCEPTION 'role % may not add people to this ledger', session_user USING ERRCODE = '42501';
          END IF;
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = person) THEN
            PERFORM creditdesk.grant_desk(person);
          ELSIF named THEN
            RAISE EXCEPTION 'there is no database role %: a DBA creates it first (CREATE ROLE % LOGIN)', quote_ident(person), quote_ident(person)
              USING ERRCODE = 'CDR01';
          END IF;
          INSERT INTO creditdesk.people (role, workspace, kind, seq)
            VALUES (person, CASE WHEN place = 'support' THEN NULL ELSE NEW.workspace END, place, NEW.seq)
            ON CONFLICT DO NOTHING;
          RETURN NULL;
        END $$
        """,
        "CREATE TRIGGER journal_people AFTER INSERT ON creditdesk.journal FOR EACH ROW EXECUTE FUNCTION creditdesk.record_person()",
        // The people a ledger made before version 3 already had, from its own records.
        """
        INSERT INTO creditdesk.people (role, workspace, kind, seq)
        SELECT person, CASE WHEN place = 'support' THEN NULL ELSE workspace END, place, seq FROM (
          SELECT j.seq, j.workspace,
                 CASE r->>'kind' WHEN 'init' THEN r->>'actor' WHEN 'operator' THEN r->>'name'
                                 WHEN 'workspace' THEN r->>'owner' ELSE r->>'member' END AS person,
                 CASE r->>'kind' WHEN 'init' THEN 'support' WHEN 'operator' THEN r->>'role'
                                 WHEN 'workspace' THEN 'owner' ELSE 'member' END AS place
          FROM creditdesk.journal j, LATERAL (SELECT j.line::jsonb AS r) l
          WHERE r->>'kind' IN ('init', 'operator', 'workspace', 'member')) found
        ORDER BY seq
        ON CONFLICT DO NOTHING
        """,
    ]

    /// What a desk is granted (`grant_desk`) from version 4: read, append, move the head and the
    /// balances, call the chain functions and `grant_access` (version 4 adds `grant_access`).
    static let deskGrants: [String] = deskGrantsV4.map(\.sql)

    /// Version 4's desk as privileges: the statements of `deskGrants`, each `TO %I`.
    static let deskGrantsV4: [DeskGrant] = [
        DeskGrant("USAGE", on: "SCHEMA", ["creditdesk"]),
        DeskGrant("SELECT", ["creditdesk.schema_version", "creditdesk.ledger", "creditdesk.head", "creditdesk.journal", "creditdesk.entries", "creditdesk.balances", "creditdesk.idempotency_keys"]),
        DeskGrant("INSERT", ["creditdesk.journal", "creditdesk.entries", "creditdesk.idempotency_keys", "creditdesk.balances"]),
        DeskGrant("UPDATE", ["creditdesk.head", "creditdesk.balances"]),
        DeskGrant("EXECUTE", on: "FUNCTION", ["creditdesk.chain_after(bigint, integer)", "creditdesk.chain_before(bigint, bigint, integer)", "creditdesk.chain_record(bigint)", "creditdesk.grant_access(text)"]),
    ]

    /// What a desk is granted from version 7: version 4's desk, plus reading and writing
    /// `workspace_states` and calling `chain_of`.
    static let deskGrantsV7: [String] = deskPrivilegesV7.map(\.sql)

    /// Version 7's desk as privileges; from version 8 they are granted once, to the ledger's desk
    /// role, instead of to each person.
    static let deskPrivilegesV7: [DeskGrant] = deskGrantsV4.map { grant in
        switch grant.privilege {
        case "SELECT", "INSERT", "UPDATE": grant.adding("creditdesk.workspace_states")
        case "EXECUTE": grant.adding("creditdesk.chain_of(text, bigint, bigint, integer)")
        default: grant
        }
    }

    /// `CREATE OR REPLACE` of `creditdesk.grant_desk(person)`, running each of `grants` (a
    /// statement whose `%I` is the person's role) through `format`.
    static func grantDeskFunction(_ grants: [String]) -> String {
        """
        CREATE OR REPLACE FUNCTION creditdesk.grant_desk(person text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
          SET search_path = pg_catalog AS $$
        BEGIN
        \(grants.map { "  EXECUTE format('\($0)', person);" }.joined(separator: "\n"))
        END $$
        """
    }

    /// Version 4: acting on someone's behalf, and access for a role created later. `entries.by`
    /// holds the support agent's role that acted under `--as` (JSON `by`);
    /// `creditdesk.grant_access(role)`, run by support, grants a desk to a person the ledger
    /// already has (a workspace's owner whose role a DBA created after `workspace create`); every
    /// person whose role exists is granted a desk now (a ledger upgraded from version 1 or 2 had
    /// granted nobody).
    static let version4: [String] = [
        #"ALTER TABLE creditdesk.entries ADD COLUMN "by" text"#,
        """
        CREATE FUNCTION creditdesk.grant_access(person text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
          SET search_path = pg_catalog AS $$
        BEGIN
          IF NOT creditdesk.may_add(NULL) THEN
            RAISE EXCEPTION 'role % may not grant access to this ledger: that takes a support agent', session_user
              USING ERRCODE = '42501';
          END IF;
          IF NOT EXISTS (SELECT 1 FROM creditdesk.people p WHERE p.role = person) THEN
            RAISE EXCEPTION '% is not a person of this ledger: add them first (workspace add-member, operator add)', quote_ident(person)
              USING ERRCODE = 'CDR02';
          END IF;
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = person) THEN
            RAISE EXCEPTION 'there is no database role %: a DBA creates it first (CREATE ROLE % LOGIN)', quote_ident(person), quote_ident(person)
              USING ERRCODE = 'CDR01';
          END IF;
          PERFORM creditdesk.grant_desk(person);
        END $$
        """,
        "REVOKE ALL ON FUNCTION creditdesk.grant_access(text) FROM PUBLIC",
        grantDeskFunction(deskGrants),
        """
        SELECT creditdesk.grant_desk(p.role) FROM (SELECT DISTINCT role FROM creditdesk.people) p
        WHERE EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = p.role)
        """,
    ]

    /// Version 6: rollover with a cap (R41). A plan grant that carries credits over at renewal
    /// moves none itself (`credits` 0) and says how many it carried in `rollover`. (Member limits,
    /// R40, are `member_limit` records of the journal alone: they move no credits.)
    static let version6: [String] = [
        "ALTER TABLE creditdesk.entries ADD COLUMN rollover bigint CHECK (rollover > 0)",
    ]
}

extension SchemaMigrations {
    /// Version 7: an open that does not read the whole journal (docs/POSTGRESQL.md, "Opening
    /// without the whole journal"). `workspace_states` holds each workspace's summary, current
    /// after every commit that touches it, and its folded state as of one of its own records
    /// (`state_seq`, whose hash is `state_hash`), rewritten once enough records follow it; the
    /// journal gets an index by workspace, and `chain_of` gives a desk one workspace's records
    /// (NULL: the records of no workspace) after a seq, as the other chain functions do.
    static let version7: [String] = [
        """
        CREATE TABLE creditdesk.workspace_states (
          workspace text PRIMARY KEY,
          summary bytea NOT NULL,
          summary_seq bigint NOT NULL CHECK (summary_seq >= 1),
          state bytea NOT NULL,
          state_seq bigint NOT NULL CHECK (state_seq >= 1),
          state_hash text NOT NULL CHECK (state_hash ~ '^[0-9a-f]{64}$'),
          state_sha256 bytea NOT NULL CHECK (length(state_sha256) = 32))
        """,
        "ALTER TABLE creditdesk.workspace_states ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY workspace_states_by_workspace ON creditdesk.workspace_states USING (creditdesk.sees(workspace)) WITH CHECK (creditdesk.sees(workspace))",
        "CREATE INDEX journal_by_workspace ON creditdesk.journal (workspace, seq)",
        """
        CREATE FUNCTION creditdesk.chain_of(ws text, after bigint, upto bigint, n integer) RETURNS TABLE (seq bigint, line text)
          LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
        BEGIN
          IF ws IS NULL THEN
            RETURN QUERY SELECT j.seq, j.line FROM creditdesk.journal j
              WHERE j.workspace IS NULL AND j.seq > after AND j.seq <= upto ORDER BY j.seq LIMIT n;
          ELSE
            RETURN QUERY SELECT j.seq, j.line FROM creditdesk.journal j
              WHERE j.workspace = ws AND j.seq > after AND j.seq <= upto ORDER BY j.seq LIMIT n;
          END IF;
        END $$
        """,
        "REVOKE ALL ON FUNCTION creditdesk.chain_of(text, bigint, bigint, integer) FROM PUBLIC",
        grantDeskFunction(deskGrantsV7),
        // The roles already given a desk get the new table and function too.
        "SELECT creditdesk.grant_desk(p.role) FROM (SELECT DISTINCT role FROM creditdesk.people) p WHERE EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = p.role)",
    ]
}

/// One privilege a desk is granted on some objects of the schema: `GRANT privilege ON [kind]
/// objects TO %I`, the `%I` filled with the role by `format` inside `grant_desk`.
struct DeskGrant: Sendable {
    /// `USAGE`, `SELECT`, `INSERT`, `UPDATE` or `EXECUTE`.
    let privilege: String
    /// `SCHEMA` or `FUNCTION`; nil for tables.
    let kind: String?
    /// The objects, schema-qualified (functions with their argument types).
    let objects: [String]

    init(_ privilege: String, on kind: String? = nil, _ objects: [String]) {
        self.privilege = privilege
        self.kind = kind
        self.objects = objects
    }

    /// The same grant on one more object, after the others.
    func adding(_ object: String) -> DeskGrant { DeskGrant(privilege, on: kind, objects + [object]) }

    /// The statement, with `%I` for the role.
    var sql: String { "GRANT \(privilege) ON \(target) TO %I" }

    /// The statement taking it back, with `%s` for a list of already quoted roles.
    var revokeSQL: String { "REVOKE \(privilege) ON \(target) FROM %s" }

    /// What the privilege is on: `[kind] objects`.
    private var target: String { "\(kind.map { "\($0) " } ?? "")\(objects.joined(separator: ", "))" }
}

extension PostgresSession {
    /// The schema version the database holds; 0 when it holds no CreditDesk schema.
    func schemaVersion() throws(PostgresProblem) -> Int {
        let exists = try query("SELECT to_regclass('creditdesk.schema_version') IS NOT NULL")
        guard let row = exists.first, (try? row.decode(Bool.self)) == true else { return 0 }
        let rows = try query("SELECT coalesce(max(version), 0) FROM creditdesk.schema_version")
        return Int((try? rows.first?.decode(Int32.self)) ?? 0)
    }

    /// The schema version (0: no CreditDesk schema) and, sent in the same pipelined run, the
    /// ledger's row as `ledgerRow` reads it (its answer is an error when the schema lacks it).
    func versionAndLedgerRow() throws(PostgresProblem) -> (version: Int, ledger: Result<([UInt8], String), PostgresProblem>) {
        let answers = try answers([
            ("SELECT to_regclass('creditdesk.schema_version') IS NOT NULL", []),
            ("SELECT coalesce(max(version), 0) FROM creditdesk.schema_version", []),
            (Self.ledgerRowSQL, []),
        ])
        guard let exists = try answers[0].get().first, (try? exists.decode(Bool.self)) == true else {
            return (0, .failure(.notInitialized(database: location.database)))
        }
        let version = Int((try answers[1].get().first.flatMap { row in try? row.decode(Int32.self) }) ?? 0)
        return (version, answers[2].flatMap { rows in Result { () throws(PostgresProblem) in try Self.ledgerRow(rows, database: location.database) } })
    }

    /// Runs every migration past the database's version, each in its own transaction holding
    /// the migration lock (`pg_advisory_xact_lock`), the version read again under it: two
    /// processes upgrading at once run each migration once, the second finding it done.
    func migrate(to target: Int = SchemaMigrations.latest) throws(PostgresProblem) {
        let current = try schemaVersion()
        guard current <= SchemaMigrations.latest else { throw .schemaTooNew(found: current, known: SchemaMigrations.latest) }
        guard current < target else { return }
        for version in (current + 1)...target {
            try transaction { () throws(PostgresProblem) in
                try query("SELECT pg_advisory_xact_lock($1)", [SchemaMigrations.migrationLockKey])
                guard try schemaVersion() < version else { return }
                for statement in SchemaMigrations.all[version - 1] { try query(statement) }
                try query("INSERT INTO creditdesk.schema_version (version) VALUES ($1)", [Int32(version)])
            }
        }
    }

    /// Brings a ledger at an older schema `version` to the latest on open, when the connecting
    /// role may (the schema's owner, a member of it, or a superuser); another role is refused
    /// with one line naming who can (`schemaTooOld`, exit 2), nothing changed.
    func upgrade(from version: Int) throws(PostgresProblem) {
        guard version < SchemaMigrations.latest else { return }
        let rows = try query("""
            SELECT pg_has_role(session_user, n.nspowner, 'MEMBER') OR r.rolsuper, pg_get_userbyid(n.nspowner)::text
            FROM pg_namespace n, pg_roles r WHERE n.nspname = 'creditdesk' AND r.rolname = session_user
            """)
        guard let row = rows.first else { throw .notInitialized(database: location.database) }
        let (allowed, owner) = try PostgresError.decode(row, as: (Bool, String).self)
        guard allowed else { throw .schemaTooOld(found: version, needed: SchemaMigrations.latest, owner: owner) }
        try migrate()
    }
}
