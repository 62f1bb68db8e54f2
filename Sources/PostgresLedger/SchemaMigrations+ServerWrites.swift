import CreditKit

extension SchemaMigrations {
    /// Version 9: the server writes what it derives from the journal and checks the rest
    /// (docs/POSTGRESQL.md, "Who sees and writes what"). A desk appends a commit only through
    /// `creditdesk.append_commit`, which checks each line (its SHA-256, the chain from the head,
    /// who wrote it, R18) and derives `entries` and `idempotency_keys` itself; balances and stored
    /// states are accepted only as the commit's lines say. Stored states record their writer
    /// (`written_by`, set by the server). Desks keep SELECT and lose every INSERT and UPDATE.
    static let version9: [String] = [
        "ALTER TABLE creditdesk.workspace_states ADD COLUMN written_by text NOT NULL DEFAULT session_user",
        // The states already stored are taken as the schema owner's, whoever upgrades.
        "UPDATE creditdesk.workspace_states SET written_by = (SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'creditdesk')",
        keeperFunction,
        lockHeadFunction,
        appendCommitFunction,
        storeStatesFunction,
        trustsFunction,
        "REVOKE ALL ON FUNCTION creditdesk.is_keeper(), \(serverWriteFunctions.joined(separator: ", ")) FROM PUBLIC",
        ownFunctionsBySchemaOwner,
        grantDeskThroughRoleV9,
        moveDesksToServerWrites,
    ]

    /// The functions through which a desk writes from version 9, and the one by which it
    /// judges a stored state's writer.
    static let serverWriteFunctions = [
        "creditdesk.lock_head()",
        "creditdesk.append_commit(jsonb, jsonb, jsonb, jsonb)",
        "creditdesk.store_states(jsonb)",
        "creditdesk.trusts(text)",
    ]

    /// What a desk is granted from version 9: read the tables, call the chain functions,
    /// `grant_access` and the write functions; no INSERT or UPDATE on any table.
    static let deskPrivilegesV9: [DeskGrant] = deskPrivilegesV7.compactMap { grant in
        switch grant.privilege {
        case "INSERT", "UPDATE": nil
        case "EXECUTE": serverWriteFunctions.reduce(grant) { $0.adding($1) }
        default: grant
        }
    }

    /// `deskPrivilegesV9` as statements, `%I` the role.
    static let deskGrantsV9: [String] = deskPrivilegesV9.map(\.sql)

    /// The write privileges version 9 takes back from a desk (the desk role, or each person).
    static let deskWritesRevoked: [DeskGrant] = deskPrivilegesV7.filter { $0.privilege == "INSERT" || $0.privilege == "UPDATE" }

    /// Takes back the desk's writes and grants the write functions, from every desk
    /// (`forEveryDesk`).
    static let moveDesksToServerWrites = forEveryDesk(
        deskWritesRevoked.map(\.revokeSQL)
            + ["GRANT EXECUTE ON FUNCTION \(serverWriteFunctions.joined(separator: ", ")) TO %s"])

    /// A DO block running each of `statements` (a `format` string whose `%s` is the list of
    /// roles) for every role holding a privilege on the schema's tables but the schema's owner:
    /// the desk role when the ledger has one, else each person's role. Nothing when there is none.
    static func forEveryDesk(_ statements: [String]) -> String {
        """
        DO $$
        DECLARE
          owner oid := (SELECT nspowner FROM pg_namespace WHERE nspname = 'creditdesk');
          persons text;
        BEGIN
          SELECT string_agg(DISTINCT quote_ident(pg_get_userbyid(a.grantee)), ', ') INTO persons
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, LATERAL aclexplode(c.relacl) a
            WHERE n.nspname = 'creditdesk' AND a.grantee NOT IN (0, owner);
          IF persons IS NULL THEN RETURN; END IF;
        \(statements.map { "  EXECUTE format('\($0)', persons);" }.joined(separator: "\n"))
        END $$
        """
    }

    /// `grant_desk(person)` from version 9: membership of the desk role when the ledger has one,
    /// else version 9's desk granted to the person (`deskGrantsV9`).
    static let grantDeskThroughRoleV9 = grantDeskThroughRole(else: deskGrantsV9)

    /// The write functions belong to the schema's owner (who owns the tables, so row-level
    /// security does not stand between them and the rows they check), whoever upgraded.
    static let ownFunctionsBySchemaOwner = ownedBySchemaOwner((["creditdesk.is_keeper()"] + serverWriteFunctions).map { "FUNCTION \($0)" })

    /// A DO block giving each of `objects` (`TABLE creditdesk.x`, `FUNCTION creditdesk.f()`) to
    /// the schema's owner, when whoever runs the migration is someone else.
    static func ownedBySchemaOwner(_ objects: [String]) -> String {
        """
        DO $$
        DECLARE
          owner text := (SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'creditdesk');
        BEGIN
          IF owner <> current_user THEN
        \(objects.map { "    EXECUTE format('ALTER \($0) OWNER TO %I', owner);" }.joined(separator: "\n"))
          END IF;
        END $$
        """
    }

    /// True when session_user is a superuser or the schema's owner: they own the tables anyway,
    /// and `migrate` copies other people's records as the owner, so their writes are not held to
    /// the identity rule (the chain and the derived rows are checked all the same).
    static let keeperFunction = """
        CREATE FUNCTION creditdesk.is_keeper() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
          SET search_path = pg_catalog AS $$
          SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = session_user AND r.rolsuper)
              OR EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = 'creditdesk' AND n.nspowner::regrole::text = quote_ident(session_user))
        $$
        """

    /// The chain head, locked for this transaction (`SELECT … FOR UPDATE` needs UPDATE on the
    /// table, which desks no longer have): a writer's first step, under its `lock_timeout`.
    static let lockHeadFunction = """
        CREATE FUNCTION creditdesk.lock_head() RETURNS TABLE (seq bigint, hash text)
          LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
          SELECT h.seq, h.hash FROM creditdesk.head h FOR UPDATE
        $$
        """

    /// The kinds a record of `system` may have (what the clock caused: expiries, releases past
    /// a hold's time to live, alerts; R41's rollover, a grant carrying `rollover`).
    static let systemKinds = ["expiry", "release", "alert"]

    /// The SQL condition on a parsed line `r` that some record kind moves credits (an `entries` row).
    static let creditKindsSQL = EntryKind.creditKinds.map { "'\($0.rawValue)'" }.joined(separator: ", ")

    /// Appends one commit (or, for `migrate`, several) under the head's lock, as one call:
    /// `lines` the journal lines (a JSON array of strings), `balances` the `balances` rows,
    /// `states` whole `workspace_states` rows and `summaries` summary-only rows (JSON arrays).
    /// Refuses, with nothing written: a line not hashed as the format says, or not continuing
    /// the head (CDR04, exit 2); a record of a workspace the role does not see, or whose actor is
    /// neither the role, `system` for what the clock causes, nor (with `by` the role, a support
    /// agent) someone the role acts for (CDR03, exit 1, R18); a balance or state row the lines do
    /// not bear out (CDR04). Every column of `journal`, `entries` and `idempotency_keys` comes
    /// from the lines. Returns the new head's seq.
    static let appendCommitFunction = """
        CREATE FUNCTION creditdesk.append_commit(lines jsonb, balances jsonb, states jsonb, summaries jsonb) RETURNS bigint
          LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
        DECLARE
          head_seq bigint;
          head_hash text;
          parsed jsonb;
          bad record;
          last_seq bigint;
          last_hash text;
        BEGIN
          SELECT h.seq, h.hash INTO head_seq, head_hash FROM creditdesk.head h FOR UPDATE;
          SELECT coalesce(jsonb_agg(jsonb_build_object('ord', t.ord, 'line', t.line, 'r', t.line::jsonb, 'hash', d.hash,
                   'ok', length(c.b) > 75 AND substring(c.b FROM length(c.b) - 74) = convert_to(',"hash":"' || d.hash || '"}', 'UTF8'))
                   ORDER BY t.ord), '[]') INTO parsed
          FROM jsonb_array_elements_text(lines) WITH ORDINALITY AS t(line, ord),
               LATERAL (SELECT convert_to(t.line, 'UTF8') AS b) c,
               LATERAL (SELECT encode(sha256(substring(c.b FROM 1 FOR greatest(length(c.b) - 75, 0))), 'hex') AS hash) d;
          SELECT x.seq, x.problem INTO bad FROM (
            SELECT c.ord, c.seq, CASE
                WHEN NOT c.ok THEN 'is not hashed as the journal format says (the SHA-256 of the line before its hash)'
                WHEN c.seq IS DISTINCT FROM head_seq + c.ord THEN 'does not continue the chain (its head is seq ' || head_seq || ')'
                WHEN c.prev IS DISTINCT FROM coalesce(lag(c.hash) OVER (ORDER BY c.ord), head_hash)
                  THEN 'does not continue the chain (its prev is not the hash of the record before it)'
              END AS problem
            FROM \(commitRowsSQL)) x
          WHERE x.problem IS NOT NULL ORDER BY x.ord LIMIT 1;
          IF FOUND THEN
            RAISE EXCEPTION 'record seq % %', bad.seq, bad.problem USING ERRCODE = 'CDR04';
          END IF;
          IF NOT creditdesk.is_keeper() THEN
            \(identityCheckSQL)
          END IF;
          INSERT INTO creditdesk.journal (seq, line, prev, hash, more, workspace)
            SELECT c.seq, c.line, c.prev, c.hash, coalesce((c.r->>'more')::boolean, false), c.ws FROM \(commitRowsSQL) ORDER BY c.ord;
          \(deriveEntriesSQL)
          \(deriveKeysSQL)
          \(checkBalancesSQL)
          \(checkStatesSQL)
          SELECT c.seq, c.hash INTO last_seq, last_hash FROM \(commitRowsSQL) ORDER BY c.ord DESC LIMIT 1;
          IF last_seq IS NOT NULL THEN
            UPDATE creditdesk.head SET seq = last_seq, hash = last_hash;
          END IF;
          RETURN coalesce(last_seq, head_seq);
        END $$
        """

    /// The commit's lines as rows `c(ord, line, r, hash, ok, seq, ws, prev)`, from the function's
    /// `parsed`: `r` the line as JSON, `hash` its SHA-256, `ok` whether the line ends in it.
    static let commitRowsSQL = """
        (SELECT p.ord, p.line, p.r, p.hash, p.ok, (p.r->>'seq')::bigint AS seq, p.r->>'ws' AS ws, p.r->>'prev' AS prev
           FROM jsonb_to_recordset(parsed) AS p(ord bigint, line text, r jsonb, hash text, ok boolean)) c
        """

    /// R18 on the server: each record is of a workspace the role sees (rows of none: support),
    /// and is the role's own, `system`'s (what the clock causes), or carries `by` = the role, a
    /// support agent acting for its actor.
    static let identityCheckSQL = """
        FOR bad IN
              SELECT c.seq, c.ws, c.r->>'actor' AS actor, c.r->>'by' AS acting, CASE
                  WHEN NOT creditdesk.sees(c.ws) THEN 'workspace'
                  WHEN c.r ? 'by' AND (c.r->>'by' IS DISTINCT FROM session_user OR NOT creditdesk.sees(NULL)) THEN 'by'
                  WHEN NOT c.r ? 'by' AND c.r->>'actor' IS DISTINCT FROM session_user
                       AND NOT (c.r->>'actor' = 'system' AND (c.r->>'kind' IN (\(systemKinds.map { "'\($0)'" }.joined(separator: ", ")))
                                                             OR (c.r->>'kind' = 'grant' AND c.r ? 'rollover'))) THEN 'actor'
                END AS problem
              FROM \(commitRowsSQL) ORDER BY c.ord
            LOOP
              CONTINUE WHEN bad.problem IS NULL;
              IF bad.problem = 'workspace' THEN
                RAISE EXCEPTION 'role % may not write records of %', session_user,
                  coalesce('workspace ' || bad.ws, 'no workspace (support only)') USING ERRCODE = 'CDR03';
              ELSIF bad.problem = 'by' THEN
                RAISE EXCEPTION 'record seq % says it was written by %, but role % wrote it: only a support agent acts on someone''s behalf, as itself (R18)',
                  bad.seq, bad.acting, session_user USING ERRCODE = 'CDR03';
              END IF;
              RAISE EXCEPTION 'record seq % names actor %, but role % wrote it: a record is its writer''s own (R18)',
                bad.seq, bad.actor, session_user USING ERRCODE = 'CDR03';
            END LOOP;
        """

    /// The `entries` rows of the commit's credit records, each column from the line
    /// (`PostgresBatch.entryColumns`, which the tests hold it to): `ws` is `workspace`, a record
    /// without `credits` has 0.
    static let deriveEntriesSQL = """
        INSERT INTO creditdesk.entries (seq, time, kind, workspace, credits, balance, actor, action, job, item, pack, price_cents,
                invoice, plan, source, expires, ref, reverses, on_behalf_of, payment, request, alert, messages, member, status,
                reason, hash, held, "by", rollover)
              SELECT c.seq, (c.r->>'time')::timestamptz, c.r->>'kind', c.ws, coalesce((c.r->>'credits')::bigint, 0),
                (c.r->>'balance')::bigint, c.r->>'actor', c.r->>'action', c.r->>'job', c.r->>'item', c.r->>'pack',
                (c.r->>'price_cents')::bigint, c.r->>'invoice', c.r->>'plan', c.r->>'source', (c.r->>'expires')::timestamptz,
                (c.r->>'ref')::bigint, (c.r->>'reverses')::bigint, c.r->>'on_behalf_of', c.r->>'payment', c.r->>'request',
                c.r->>'alert', (c.r->>'messages')::bigint, c.r->>'member', c.r->>'status', c.r->>'reason', c.hash,
                (c.r->>'held')::bigint, c.r->>'by', (c.r->>'rollover')::bigint
              FROM \(commitRowsSQL) WHERE c.ws IS NOT NULL AND c.r->>'kind' IN (\(creditKindsSQL)) ORDER BY c.ord;
        """

    /// The commit's idempotency keys, from the lines (`PostgresBatch.idempotencyKeys`): R5–R7,
    /// R10, R26, and R37/R39's top-up requests and answers.
    static let deriveKeysSQL = """
        INSERT INTO creditdesk.idempotency_keys (workspace, kind, key, seq)
              SELECT c.ws, k.kind, k.key, c.seq FROM \(commitRowsSQL),
                LATERAL (VALUES
                  (CASE WHEN c.r->>'kind' = 'charge' THEN 'job' END, c.r->>'job'),
                  (CASE WHEN c.r->>'kind' = 'charge' AND c.r ? 'item' THEN 'clone' END, coalesce(c.r->>'action', '') || ':' || (c.r->>'item')),
                  (CASE WHEN c.r->>'kind' = 'refund' THEN 'refund' END, c.r->>'job'),
                  (CASE WHEN c.r->>'kind' = 'grant' THEN 'invoice' END, c.r->>'invoice'),
                  (CASE WHEN c.r->>'kind' = 'topup' THEN 'payment' END, c.r->>'payment'),
                  (CASE WHEN c.r->>'kind' = 'topup' THEN 'topup_answer' END, '\(AutoTopUpPolicy.requestIDPrefix)' || (c.r->>'ref')),
                  (CASE WHEN c.r->>'kind' = 'topup_declined' THEN 'topup_answer' END, c.r->>'request'),
                  (CASE WHEN c.r->>'kind' = 'alert' AND c.r->>'alert' = '\(AlertKind.topUpRequest.rawValue)' THEN 'topup_request' END, c.r->>'request'),
                  (CASE WHEN c.r->>'kind' IN ('adjustment', 'grant') THEN 'request' END, c.r->>'request')) AS k(kind, key)
              WHERE c.ws IS NOT NULL AND k.kind IS NOT NULL AND k.key IS NOT NULL ORDER BY c.ord;
        """

    /// `balances` rows: exactly one for each workspace the commit's credit records touch, with
    /// the balance and seq of its last one (earned, spent and held are the desk's fold, which
    /// `verify` checks); any other row is refused (CDR04).
    static let checkBalancesSQL = """
        SELECT coalesce(b.workspace, l.ws) AS ws INTO bad FROM
                (SELECT DISTINCT ON (c.ws) c.ws, c.seq, (c.r->>'balance')::bigint AS balance FROM \(commitRowsSQL)
                 WHERE c.ws IS NOT NULL AND c.r->>'kind' IN (\(creditKindsSQL)) ORDER BY c.ws, c.ord DESC) l
                FULL JOIN jsonb_to_recordset(balances) AS b(workspace text, balance bigint, earned bigint, spent bigint, seq bigint, held bigint)
                  ON b.workspace = l.ws
              WHERE b.workspace IS NULL OR l.ws IS NULL OR b.balance IS DISTINCT FROM l.balance OR b.seq IS DISTINCT FROM l.seq LIMIT 1;
              IF FOUND THEN
                RAISE EXCEPTION 'the balance of workspace % is not the one its last credit record in this commit says', bad.ws USING ERRCODE = 'CDR04';
              END IF;
              INSERT INTO creditdesk.balances (workspace, balance, earned, spent, seq, held)
                SELECT b.workspace, b.balance, b.earned, b.spent, b.seq, coalesce(b.held, 0)
                FROM jsonb_to_recordset(balances) AS b(workspace text, balance bigint, earned bigint, spent bigint, seq bigint, held bigint)
              ON CONFLICT (workspace) DO UPDATE SET balance = EXCLUDED.balance, earned = EXCLUDED.earned,
                spent = EXCLUDED.spent, seq = EXCLUDED.seq, held = EXCLUDED.held;
        """

    /// Stored states and summaries: only of workspaces the commit's records touch, each as of
    /// its last record in the commit (seq and hash), written by the role (`written_by`); any
    /// other row is refused (CDR04).
    static let checkStatesSQL = """
        SELECT s.workspace AS ws INTO bad FROM
                (SELECT r.workspace, r.summary_seq, r.state_seq, r.state_hash
                   FROM jsonb_to_recordset(states) AS r(workspace text, summary_seq bigint, state_seq bigint, state_hash text)
                 UNION ALL
                 SELECT r.workspace, r.summary_seq, r.summary_seq, NULL
                   FROM jsonb_to_recordset(summaries) AS r(workspace text, summary_seq bigint)) s
                LEFT JOIN (SELECT DISTINCT ON (c.ws) c.ws, c.seq, c.hash FROM \(commitRowsSQL) WHERE c.ws IS NOT NULL ORDER BY c.ws, c.ord DESC) l
                  ON l.ws = s.workspace
              WHERE l.ws IS NULL OR s.summary_seq IS DISTINCT FROM l.seq OR s.state_seq IS DISTINCT FROM l.seq
                 OR (s.state_hash IS NOT NULL AND s.state_hash IS DISTINCT FROM l.hash) LIMIT 1;
              IF FOUND THEN
                RAISE EXCEPTION 'the stored state of workspace % is not as of its last record in this commit', bad.ws USING ERRCODE = 'CDR04';
              END IF;
              \(upsertStoredStates)
              UPDATE creditdesk.workspace_states w SET summary = decode(r.summary, 'hex'), summary_seq = r.summary_seq,
                  written_by = session_user
                FROM jsonb_to_recordset(summaries) AS r(workspace text, summary text, summary_seq bigint)
                WHERE w.workspace = r.workspace;
        """

    /// Writes the whole stored states of the JSON array `states` (rows of `StateWrites.whole`),
    /// each marked as written by session_user: the one statement `append_commit` and
    /// `store_states` end with, once they have checked the rows.
    static let upsertStoredStates = """
        INSERT INTO creditdesk.workspace_states (workspace, summary, summary_seq, state, state_seq, state_hash, state_sha256, written_by)
            SELECT r.workspace, decode(r.summary, 'hex'), r.summary_seq, decode(r.state, 'hex'), r.state_seq, r.state_hash,
                   decode(r.state_sha256, 'hex'), session_user
            FROM jsonb_to_recordset(states) AS r(workspace text, summary text, summary_seq bigint, state text,
                                                 state_seq bigint, state_hash text, state_sha256 text)
          ON CONFLICT (workspace) DO UPDATE SET summary = EXCLUDED.summary, summary_seq = EXCLUDED.summary_seq,
            state = EXCLUDED.state, state_seq = EXCLUDED.state_seq, state_hash = EXCLUDED.state_hash,
            state_sha256 = EXCLUDED.state_sha256, written_by = EXCLUDED.written_by;
        """

    /// True when session_user takes a stored state or summary written by `writer` as it is:
    /// its own, a support agent's, the schema owner's (`migrate`, upgrades) or a superuser's. Anyone else's
    /// is a cache miss: the desk folds the workspace from the journal and stores its own.
    static let trustsFunction = """
        CREATE FUNCTION creditdesk.trusts(writer text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
          SET search_path = pg_catalog AS $$
          SELECT writer = session_user
              OR EXISTS (SELECT 1 FROM creditdesk.people p WHERE p.role = writer AND p.kind = 'support')
              OR EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = 'creditdesk' AND n.nspowner::regrole::text = quote_ident(writer))
              OR EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = writer AND r.rolsuper)
        $$
        """

    /// Stores whole workspace states outside a commit (`migrate`, the first open after an
    /// upgrade, a desk filling the cache): each of a workspace the role sees, standing at a
    /// record of that workspace with that hash; `written_by` is the role. Refused otherwise
    /// (CDR03 for a workspace not seen, CDR04 for a state the journal does not bear out).
    static let storeStatesFunction = """
        CREATE FUNCTION creditdesk.store_states(states jsonb) RETURNS void
          LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
        DECLARE
          bad record;
        BEGIN
          SELECT r.workspace, j.seq IS NULL AS unknown INTO bad
            FROM jsonb_to_recordset(states) AS r(workspace text, state_seq bigint, state_hash text)
            LEFT JOIN creditdesk.journal j ON j.seq = r.state_seq AND j.hash = r.state_hash AND j.workspace = r.workspace
            WHERE j.seq IS NULL OR NOT (creditdesk.is_keeper() OR creditdesk.sees(r.workspace)) LIMIT 1;
          IF FOUND AND NOT bad.unknown THEN
            RAISE EXCEPTION 'role % may not store the state of workspace %', session_user, bad.workspace USING ERRCODE = 'CDR03';
          ELSIF FOUND THEN
            RAISE EXCEPTION 'the stored state of workspace % does not stand at one of its records', bad.workspace USING ERRCODE = 'CDR04';
          END IF;
          \(upsertStoredStates)
        END $$
        """
}
