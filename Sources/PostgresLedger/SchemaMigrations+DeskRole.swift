extension SchemaMigrations {
    /// Version 8: one desk role per ledger (docs/POSTGRESQL.md, "Who sees and writes what").
    /// Version 7 granted each person the desk's privileges on every table, and a table's ACL lives
    /// in its `pg_class` row, which cannot grow past a page: about 2,400 people stopped the ledger
    /// taking members. From version 8 the privileges are granted once, to a NOLOGIN role
    /// `creditdesk_desk_<database oid>` named in `creditdesk.desk_role`, and a person is made a
    /// member of it (a row of `pg_auth_members`). The people already added become members and
    /// lose their own grants; the schema's owner keeps its own. Creating the role needs CREATEROLE
    /// (or a superuser): without it the ledger keeps version 7's per-person grants and
    /// `desk_role` stays empty.
    static let version8: [String] = [
        """
        CREATE TABLE creditdesk.desk_role (
          id boolean PRIMARY KEY DEFAULT true CHECK (id),
          role text NOT NULL)
        """,
        "REVOKE ALL ON creditdesk.desk_role FROM PUBLIC",
        makeDeskRole,
        grantDeskThroughRole,
    ]

    /// Creates the ledger's desk role (or takes over one a dropped database of the same oid
    /// left, without its members), grants it the desk, and moves every person onto it.
    static let makeDeskRole = """
        DO $$
        DECLARE
          desk text := 'creditdesk_desk_' || (SELECT oid FROM pg_database WHERE datname = current_database());
          owner text := (SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'creditdesk');
          stale text;
          persons text;
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = desk) THEN
            SELECT string_agg(quote_ident(pg_get_userbyid(m.member)), ', ') INTO stale
              FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
              WHERE r.rolname = desk AND pg_get_userbyid(m.member) <> owner;
            IF stale IS NOT NULL THEN EXECUTE format('REVOKE %I FROM %s', desk, stale); END IF;
          ELSE
            BEGIN
              IF owner = current_user THEN
                EXECUTE format('CREATE ROLE %I NOLOGIN', desk);
              ELSE
                EXECUTE format('CREATE ROLE %I NOLOGIN ADMIN %I', desk, owner);
              END IF;
            EXCEPTION WHEN insufficient_privilege THEN
              RAISE NOTICE 'no CREATEROLE: each person keeps their own grants';
              RETURN;
            END;
          END IF;
          INSERT INTO creditdesk.desk_role (role) VALUES (desk);
        \(deskPrivilegesV7.map { "  EXECUTE format('\($0.sql)', desk);" }.joined(separator: "\n"))
          SELECT string_agg(quote_ident(p.role), ', ') INTO persons
            FROM (SELECT DISTINCT role FROM creditdesk.people) p
            WHERE p.role <> owner AND p.role <> desk AND EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = p.role);
          IF persons IS NOT NULL THEN
            EXECUTE format('GRANT %I TO %s', desk, persons);
        \(deskPrivilegesV7.map { "    EXECUTE format('\($0.revokeSQL)', persons);" }.joined(separator: "\n"))
          END IF;
        END $$
        """

    /// `grant_desk(person)` from version 8: membership of the desk role when the ledger has one,
    /// else version 7's grants to the person.
    static let grantDeskThroughRole = grantDeskThroughRole(else: deskGrantsV7)

    /// `grant_desk(person)`: membership of the desk role when the ledger has one, else `grants`
    /// (statements, `%I` the role) to the person.
    static func grantDeskThroughRole(else grants: [String]) -> String {
        """
        CREATE OR REPLACE FUNCTION creditdesk.grant_desk(person text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
          SET search_path = pg_catalog AS $$
        DECLARE
          desk text := (SELECT role FROM creditdesk.desk_role);
        BEGIN
          IF desk IS NOT NULL THEN
            EXECUTE format('GRANT %I TO %I', desk, person);
            RETURN;
          END IF;
        \(grants.map { "  EXECUTE format('\($0)', person);" }.joined(separator: "\n"))
        END $$
        """
    }
}
