extension SchemaMigrations {
    /// Version 10: removal (R42; docs/POSTGRESQL.md, "Who sees and writes what"). A
    /// `member_removed` or `operator_removed` record ends the person's place in `people`
    /// (`removed_seq`, set by the record trigger in the same transaction); `sees()` and `may_add()`
    /// ignore ended places; a person with no place left loses the desk (REVOKE of the desk role,
    /// or of their own grants on a ledger without one). `people` stays append-only but for that
    /// one change; a fresh add after a removal is a new row.
    static let version10: [String] = [
        "ALTER TABLE creditdesk.people ADD COLUMN removed_seq bigint REFERENCES creditdesk.journal (seq)",
        "ALTER TABLE creditdesk.people DROP CONSTRAINT people_role_workspace_key",
        "CREATE UNIQUE INDEX people_current ON creditdesk.people (role, workspace) NULLS NOT DISTINCT WHERE removed_seq IS NULL",
        refusePeopleChange,
        "DROP TRIGGER people_append_only ON creditdesk.people",
        "CREATE TRIGGER people_append_only BEFORE UPDATE OR DELETE ON creditdesk.people FOR EACH ROW EXECUTE FUNCTION creditdesk.refuse_people_change()",
        """
        CREATE OR REPLACE FUNCTION creditdesk.sees(ws text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
          SET search_path = pg_catalog AS $$
          SELECT EXISTS (SELECT 1 FROM creditdesk.people p
                         WHERE p.role = session_user AND p.removed_seq IS NULL AND (p.kind = 'support' OR p.workspace = ws))
        $$
        """,
        """
        CREATE OR REPLACE FUNCTION creditdesk.may_add(ws text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
          SET search_path = pg_catalog AS $$
          SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = session_user AND r.rolsuper)
              OR EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = 'creditdesk' AND n.nspowner::regrole::text = quote_ident(session_user))
              OR EXISTS (SELECT 1 FROM creditdesk.people p WHERE p.role = session_user AND p.removed_seq IS NULL
                         AND (p.kind = 'support' OR (ws IS NOT NULL AND p.kind = 'owner' AND p.workspace = ws)))
        $$
        """,
        revokeDesk,
        "REVOKE ALL ON FUNCTION creditdesk.revoke_desk(text) FROM PUBLIC",
        recordPersonWithRemoval,
        // A removed support agent's stored states are trusted no more (version 9's `trusts`).
        """
        CREATE OR REPLACE FUNCTION creditdesk.trusts(writer text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
          SET search_path = pg_catalog AS $$
          SELECT writer = session_user
              OR EXISTS (SELECT 1 FROM creditdesk.people p WHERE p.role = writer AND p.kind = 'support' AND p.removed_seq IS NULL)
              OR EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = 'creditdesk' AND n.nspowner::regrole::text = quote_ident(writer))
              OR EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = writer AND r.rolsuper)
        $$
        """,
        grantAccessToStandingPeople,
    ]

    /// `grant_access(person)` from version 10: as version 4's, but only for a person with a place
    /// not ended by a removal; a person whose every place was removed is added again first (R42).
    static let grantAccessToStandingPeople = """
        CREATE OR REPLACE FUNCTION creditdesk.grant_access(person text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
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
          IF NOT EXISTS (SELECT 1 FROM creditdesk.people p WHERE p.role = person AND p.removed_seq IS NULL) THEN
            RAISE EXCEPTION '% was removed from every place in this ledger (R42): add them again first (workspace add-member, operator add)', quote_ident(person)
              USING ERRCODE = 'CDR02';
          END IF;
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = person) THEN
            RAISE EXCEPTION 'there is no database role %: a DBA creates it first (CREATE ROLE % LOGIN)', quote_ident(person), quote_ident(person)
              USING ERRCODE = 'CDR01';
          END IF;
          PERFORM creditdesk.grant_desk(person);
        END $$
        """

    /// `people` refuses every UPDATE and DELETE but the one a removal makes: `removed_seq` set
    /// once, on a place not yet ended, every other column unchanged.
    static let refusePeopleChange = """
        CREATE FUNCTION creditdesk.refuse_people_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'UPDATE' AND OLD.removed_seq IS NULL AND NEW.removed_seq IS NOT NULL
             AND NEW.role = OLD.role AND NEW.workspace IS NOT DISTINCT FROM OLD.workspace
             AND NEW.kind = OLD.kind AND NEW.seq = OLD.seq THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION 'creditdesk.% is append-only: % refused', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'P0001';
        END $$
        """

    /// `revoke_desk(person)`: takes the desk back from a person with no place left, as
    /// `grant_desk` gave it: membership of the desk role, or version 7's and version 9's grants
    /// to the person.
    static let revokeDesk = revokeDeskFunction(replacing: false, privileges: deskPrivilegesV7 + deskPrivilegesV9)

    /// `revoke_desk(person)` taking back `privileges` from a person on a ledger without a desk
    /// role, or the desk role's membership; `replacing` a version before it.
    static func revokeDeskFunction(replacing: Bool, privileges: [DeskGrant]) -> String {
        """
        CREATE \(replacing ? "OR REPLACE " : "")FUNCTION creditdesk.revoke_desk(person text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
          SET search_path = pg_catalog AS $$
        DECLARE
          desk text := (SELECT role FROM creditdesk.desk_role);
        BEGIN
          IF desk IS NOT NULL THEN
            EXECUTE format('REVOKE %I FROM %I', desk, person);
            RETURN;
          END IF;
        \(privileges.map { "  EXECUTE format('\($0.revokeSQL)', quote_ident(person));" }.joined(separator: "\n"))
        END $$
        """
    }

    /// `record_person()` from version 10: version 3's trigger, and a removal record that ends
    /// its person's place (refused, 42501, from a role that may not add people there) and
    /// revokes the desk when no place is left (never from the schema's owner).
    static let recordPersonWithRemoval = """
        CREATE OR REPLACE FUNCTION creditdesk.record_person() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
          SET search_path = pg_catalog AS $$
        DECLARE
          record jsonb := NEW.line::jsonb;
          person text;
          place text;
          named boolean := true;
          removal boolean := false;
          owner text := (SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'creditdesk');
        BEGIN
          CASE record->>'kind'
            WHEN 'init' THEN person := record->>'actor'; place := 'support'; named := false;
            WHEN 'operator' THEN person := record->>'name'; place := record->>'role';
            WHEN 'workspace' THEN person := record->>'owner'; place := 'owner'; named := false;
            WHEN 'member' THEN person := record->>'member'; place := 'member';
            WHEN 'member_removed' THEN person := record->>'member'; place := 'member'; removal := true;
            WHEN 'operator_removed' THEN person := record->>'name'; place := 'support'; removal := true;
            ELSE RETURN NULL;
          END CASE;
          IF named AND NOT creditdesk.may_add(NEW.workspace) THEN
            RAISE EXCEPTION 'role % may not add or remove people in this ledger', session_user USING ERRCODE = '42501';
          END IF;
          IF removal THEN
            UPDATE creditdesk.people SET removed_seq = NEW.seq
              WHERE role = person AND kind = place AND removed_seq IS NULL
                AND workspace IS NOT DISTINCT FROM (CASE WHEN place = 'support' THEN NULL ELSE NEW.workspace END);
            IF person <> owner AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = person)
               AND NOT EXISTS (SELECT 1 FROM creditdesk.people p WHERE p.role = person AND p.removed_seq IS NULL) THEN
              PERFORM creditdesk.revoke_desk(person);
            END IF;
            RETURN NULL;
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
        """
}
