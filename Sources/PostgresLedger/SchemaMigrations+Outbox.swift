import CreditKit
import LedgerCore

extension SchemaMigrations {
    /// Version 11: the transactional outbox (R24; docs/POSTGRESQL.md, "Alert emails"). Each alert
    /// email is a row of `creditdesk.outbox`, queued by `queue_mail` in the same statement and
    /// transaction as its alert record, so a commit and its emails land together or not at all;
    /// `take_mail` claims a pending row (`FOR UPDATE SKIP LOCKED`) and `hand_over` marks it handed
    /// over. Desks read the table (row-level secured like `entries`) and write it only through those.
    static let version11: [String] = [
        """
        CREATE TABLE creditdesk.outbox (
          seq bigint PRIMARY KEY REFERENCES creditdesk.journal (seq),
          workspace text NOT NULL,
          alert text NOT NULL,
          recipient text NOT NULL,
          subject text NOT NULL,
          message text NOT NULL,
          queued_at timestamptz NOT NULL DEFAULT now(),
          queued_by text NOT NULL DEFAULT session_user,
          handed_at timestamptz,
          handed_by text,
          CHECK ((handed_at IS NULL) = (handed_by IS NULL)))
        """,
        "CREATE INDEX outbox_pending ON creditdesk.outbox (seq) WHERE handed_at IS NULL",
        refuseOutboxChange,
        "CREATE TRIGGER outbox_handed_once BEFORE UPDATE OR DELETE ON creditdesk.outbox FOR EACH ROW EXECUTE FUNCTION creditdesk.refuse_outbox_change()",
        "CREATE TRIGGER outbox_no_truncate BEFORE TRUNCATE ON creditdesk.outbox FOR EACH STATEMENT EXECUTE FUNCTION creditdesk.refuse_change()",
        "REVOKE ALL ON creditdesk.outbox FROM PUBLIC",
        "ALTER TABLE creditdesk.outbox ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY outbox_by_workspace ON creditdesk.outbox FOR SELECT USING (creditdesk.sees(workspace))",
        alertHeadersFunction,
        queueMailFunction,
        takeMailFunction,
        handOverFunction,
        "REVOKE ALL ON FUNCTION \(outboxFunctions.joined(separator: ", ")) FROM PUBLIC",
        ownOutboxBySchemaOwner,
        grantOutboxToDesks,
        grantDeskThroughRole(else: deskPrivilegesV11.map(\.sql)),
        revokeDeskV11,
    ]

    /// The functions through which a desk queues and hands over alert emails (version 11).
    static let outboxFunctions = [
        "creditdesk.queue_mail(jsonb)",
        "creditdesk.take_mail(bigint, bigint[])",
        "creditdesk.hand_over(bigint)",
    ]

    /// What a desk is granted from version 11: version 9's desk, reading `outbox` and calling
    /// the outbox functions.
    static let deskPrivilegesV11: [DeskGrant] = deskPrivilegesV9.map { grant in
        switch grant.privilege {
        case "SELECT": grant.adding("creditdesk.outbox")
        case "EXECUTE": outboxFunctions.reduce(grant) { $0.adding($1) }
        default: grant
        }
    }

    /// `outbox` refuses every change but the one a hand-over makes: `handed_at` and `handed_by`
    /// set once, on a pending row, every other column unchanged. DELETE is refused too.
    static let refuseOutboxChange = """
        CREATE FUNCTION creditdesk.refuse_outbox_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'UPDATE' AND OLD.handed_at IS NULL AND NEW.handed_at IS NOT NULL
             AND (NEW.seq, NEW.workspace, NEW.alert, NEW.recipient, NEW.subject, NEW.message, NEW.queued_at, NEW.queued_by)
                 IS NOT DISTINCT FROM (OLD.seq, OLD.workspace, OLD.alert, OLD.recipient, OLD.subject, OLD.message, OLD.queued_at, OLD.queued_by) THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION 'creditdesk.outbox is append-only but for its hand-over, set once: % refused', TG_OP
            USING ERRCODE = 'P0001';
        END $$
        """

    /// Queues the alert emails `mail` (a JSON array of `{seq, recipient, subject, message}`),
    /// called in the commit's own statement after `append_commit`. Each must be for an alert
    /// record this transaction appended, addressed to its workspace's owner (an auto top-up request:
    /// to billing, `AlertMail.billingAddress`) and naming that
    /// record and workspace in its headers; otherwise the whole commit is refused (CDR05, exit 1),
    /// so no role can queue other mail through it. Returns how many it queued.
    static let queueMailFunction = """
        CREATE FUNCTION creditdesk.queue_mail(mail jsonb) RETURNS integer
          LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
        DECLARE
          bad record;
          queued integer;
        BEGIN
          IF mail IS NULL OR jsonb_array_length(mail) = 0 THEN RETURN 0; END IF;
          SELECT m.seq INTO bad
            FROM jsonb_to_recordset(mail) AS m(seq bigint, recipient text, subject text, message text)
            LEFT JOIN creditdesk.journal j ON j.seq = m.seq
            LEFT JOIN LATERAL (SELECT w.line::jsonb->>'owner' AS owner FROM creditdesk.journal w
                               WHERE w.workspace = j.workspace AND w.line::jsonb->>'kind' = 'workspace'
                               ORDER BY w.seq DESC LIMIT 1) o ON true
            WHERE j.seq IS NULL OR j.workspace IS NULL OR j.xmin <> pg_current_xact_id()::xid
               OR j.line::jsonb->>'kind' IS DISTINCT FROM 'alert'
               OR m.recipient IS DISTINCT FROM (CASE
                    WHEN j.line::jsonb->>'alert' = '\(AlertKind.topUpRequest.rawValue)' THEN '\(AlertMail.billingAddress)'
                    WHEN o.owner LIKE '%@%' THEN o.owner ELSE o.owner || '@localhost' END)
               OR m.subject IS NULL OR m.message IS NULL
               OR NOT creditdesk.alert_headers_ok(m.message, m.recipient, m.seq, j.workspace)
            LIMIT 1;
          IF FOUND THEN
            RAISE EXCEPTION 'alert email for seq % is not the message of an alert record of this commit: refused', bad.seq
              USING ERRCODE = 'CDR05';
          END IF;
          INSERT INTO creditdesk.outbox (seq, workspace, alert, recipient, subject, message)
            SELECT m.seq, j.workspace, coalesce(j.line::jsonb->>'alert', 'alert'), m.recipient, m.subject, m.message
            FROM jsonb_to_recordset(mail) AS m(seq bigint, recipient text, subject text, message text)
            JOIN creditdesk.journal j ON j.seq = m.seq ORDER BY m.seq;
          GET DIAGNOSTICS queued = ROW_COUNT;
          RETURN queued;
        END $$
        """

    /// Whether `message` has the header block `AlertMail.compose` writes, and only it: each
    /// header one of its names, once, in lines of their own (a folded line only under
    /// `Subject:`); `From:` CreditDesk's; `To:` one mailbox, `recipient`; `Message-ID:` of alert
    /// record `seq`; `X-CreditDesk-Workspace:` `workspace`. So a desk cannot add a `Cc:`, a
    /// `Bcc:`, a second address or a `Reply-To:`, nor send to anyone but the workspace's owner
    /// (or billing). The body is the desk's (the alert's own words); `verify` proves the record.
    static let alertHeadersFunction = """
        CREATE FUNCTION creditdesk.alert_headers_ok(message text, recipient text, seq bigint, workspace text) RETURNS boolean
          LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
        DECLARE
          head text;
          line text;
          name text;
          seen text[] := '{}';
          last text := '';
        BEGIN
          IF position(E'\\n\\n' IN message) = 0 THEN RETURN false; END IF;
          head := split_part(message, E'\\n\\n', 1);
          FOREACH line IN ARRAY string_to_array(head, E'\\n') LOOP
            IF line ~ '^[ \\t]' THEN
              IF last <> 'Subject' THEN RETURN false; END IF;
              CONTINUE;
            END IF;
            name := substring(line FROM '^(From|To|Subject|Date|Message-ID|MIME-Version|Content-Type|Content-Transfer-Encoding|X-CreditDesk-Workspace|X-CreditDesk-Alert|X-CreditDesk-Request|X-CreditDesk-Pack): ');
            IF name IS NULL OR name = ANY (seen) THEN RETURN false; END IF;
            seen := seen || name;
            last := name;
            IF name = 'From' AND line <> 'From: CreditDesk <creditdesk@localhost>' THEN RETURN false; END IF;
            IF name = 'To' AND (right(line, length(recipient) + 2) <> '<' || recipient || '>'
                                OR position('<' IN line) <> length(line) - length(recipient) - 1) THEN RETURN false; END IF;
            IF name = 'Message-ID' AND left(line, length('Message-ID: <' || seq || '.')) <> 'Message-ID: <' || seq || '.' THEN RETURN false; END IF;
            IF name = 'X-CreditDesk-Workspace' AND line <> 'X-CreditDesk-Workspace: ' || workspace THEN RETURN false; END IF;
          END LOOP;
          RETURN 'From' = ANY (seen) AND 'To' = ANY (seen) AND 'Message-ID' = ANY (seen) AND 'X-CreditDesk-Workspace' = ANY (seen);
        END $$
        """

    /// The first pending alert email after seq `after` (of `seqs`, when given) among the
    /// workspaces session_user sees, locked for this transaction and skipped by any other
    /// taker (`FOR UPDATE SKIP LOCKED`): each message is handed over by one desk at a time.
    static let takeMailFunction = """
        CREATE FUNCTION creditdesk.take_mail(after bigint, seqs bigint[])
          RETURNS TABLE (seq bigint, workspace text, recipient text, subject text, message text)
          LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
          SELECT o.seq, o.workspace, o.recipient, o.subject, o.message FROM creditdesk.outbox o
          WHERE o.handed_at IS NULL AND o.seq > after AND (seqs IS NULL OR o.seq = ANY (seqs))
            AND (creditdesk.is_keeper() OR creditdesk.sees(o.workspace))
          ORDER BY o.seq LIMIT 1 FOR UPDATE SKIP LOCKED
        $$
        """

    /// Marks the pending alert email `at` handed over now by session_user; false when it was
    /// handed over already or is of a workspace the role does not see.
    static let handOverFunction = """
        CREATE FUNCTION creditdesk.hand_over(at bigint) RETURNS boolean
          LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
        BEGIN
          UPDATE creditdesk.outbox o SET handed_at = now(), handed_by = session_user
            WHERE o.seq = at AND o.handed_at IS NULL AND (creditdesk.is_keeper() OR creditdesk.sees(o.workspace));
          RETURN FOUND;
        END $$
        """

    /// The outbox table and functions belong to the schema's owner, whoever upgraded.
    static let ownOutboxBySchemaOwner = ownedBySchemaOwner(
        ["TABLE creditdesk.outbox", "FUNCTION creditdesk.refuse_outbox_change()"] + outboxFunctions.map { "FUNCTION \($0)" })

    /// Gives the desks a ledger already has the outbox: every role holding a privilege on the
    /// schema's tables but its owner (the desk role, or each person on a ledger without one).
    static let grantOutboxToDesks = forEveryDesk([
        "GRANT SELECT ON creditdesk.outbox TO %s",
        "GRANT EXECUTE ON FUNCTION \(outboxFunctions.joined(separator: ", ")) TO %s",
    ])

    /// `revoke_desk(person)` from version 11: version 10's, taking back the outbox too from a
    /// person on a ledger without a desk role.
    static let revokeDeskV11 = revokeDeskFunction(replacing: true, privileges: deskPrivilegesV7 + deskPrivilegesV11)
}
