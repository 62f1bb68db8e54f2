import Foundation
@testable import PostgresLedger
import Testing

/// R24 on PostgreSQL (schema version 11): each alert email is a row of `creditdesk.outbox`,
/// queued in the same transaction as its alert record; desks read it (row-level secured) and
/// write it only through `queue_mail` and `hand_over`; a message not handed over (sendmail
/// failing, a command killed after COMMIT) is handed over later exactly once.
@Suite("PostgreSQL outbox (R24)", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresOutboxTests {
    /// acme and beta at 60 credits; support takes acme to 15, so the member's next 6-credit
    /// charge crosses R24's low level (10).
    private static func ledger() throws -> PostgresTwoWorkspaces {
        let two = try PostgresTwoWorkspaces(prefix: "ob")
        try two.cli.ok("adjust", "acme", "-45", "--reason", "near the edge")
        return two
    }

    /// `creditdesk ARGUMENTS` connecting as `role`, with `environment` added.
    private static func run(_ two: PostgresTwoWorkspaces, _ arguments: [String], as role: String,
                            environment: [String: String] = [:]) throws -> CLIResult {
        try two.cli.run(arguments, environment: environment.merging(["CREDITDESK_LEDGER": two.url(as: role)]) { $1 })
    }

    /// Rows of `sql` run by the server's role (the schema's owner), one string per row.
    private static func rows(_ two: PostgresTwoWorkspaces, _ sql: String) throws -> [String] {
        let read = try PostgresForCLI.psql(two.url, sql)
        try #require(read.status == 0, "\(read)")
        return read.stdout.split(separator: "\n").map(String.init)
    }

    /// How many messages a file of concatenated messages holds.
    private static func messages(in path: String) -> Int {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.components(separatedBy: "\nMessage-ID: <").count - 1
    }

    @Test("R24 on PostgreSQL: the charge that crosses the low level queues exactly one outbox row, for its alert record, pending")
    func R24_anAlertQueuesOneRowWithItsRecord() throws {
        let two = try Self.ledger()
        defer { two.drop() }
        let charged = try Self.run(two, ["charge", "acme", "ai_graphic", "--job", "j-1"], as: two.member)   // 9
        #expect(charged.status == 0, "\(charged)")
        let alerts = try Self.rows(two, "SELECT seq FROM creditdesk.journal WHERE line::jsonb->>'kind' = 'alert' ORDER BY seq")
        #expect(alerts.count == 1, "\(alerts)")
        let queued = try Self.rows(two, """
            SELECT seq || '|' || workspace || '|' || alert || '|' || recipient || '|' || (handed_at IS NULL) || '|' || queued_by
            FROM creditdesk.outbox ORDER BY seq
            """)
        #expect(queued == ["\(alerts.first ?? "?")|acme|low|\(People.owner)@localhost|true|\(two.member)"], "\(queued)")
        let message = try Self.rows(two, "SELECT message FROM creditdesk.outbox").joined(separator: "\n")
        #expect(message.contains("X-CreditDesk-Workspace: acme") && message.contains("To: \"\(People.owner)\" <\(People.owner)@localhost>"), "\(message)")

        // Still at or below 10: no second alert, no second row.
        let again = try Self.run(two, ["charge", "acme", "ai_vectorize", "--job", "j-2"], as: two.member)   // 5
        #expect(again.status == 0, "\(again)")
        #expect(try Self.rows(two, "SELECT count(*) FROM creditdesk.outbox") == ["1"])
        try two.cli.ok("verify")
    }

    @Test("R24 on PostgreSQL: a member can neither write outbox rows nor queue a message that is not its commit's alert (CDR05)")
    func R24_memberCannotQueueOtherMail() throws {
        let two = try Self.ledger()
        defer { two.drop() }
        _ = try Self.run(two, ["charge", "acme", "ai_graphic", "--job", "j-1"], as: two.member)
        let alert = try #require(try Self.rows(two, "SELECT seq FROM creditdesk.outbox").first)

        let inserted = try two.psql("""
            INSERT INTO creditdesk.outbox (seq, workspace, alert, recipient, subject, message)
            VALUES (1, 'acme', 'low', 'victim@example.com', 'hi', 'spam')
            """, as: two.member)
        #expect(inserted.status != 0 && inserted.stderr.contains("permission denied"), "\(inserted)")
        let marked = try two.psql("UPDATE creditdesk.outbox SET handed_at = now(), handed_by = 'x'", as: two.member)
        #expect(marked.status != 0 && marked.stderr.contains("permission denied"), "\(marked)")

        // The old alert's own message, queued again outside its commit: refused.
        let message = "Message-ID: <\(alert).low.acme@creditdesk.localhost>\nX-CreditDesk-Workspace: acme\n\nspam\n"
        let mail = #"[{"seq": \#(alert), "recipient": "\#(People.owner)@localhost", "subject": "hi", "message": \#(jsonString(message))}]"#
        let requeued = try two.psql("SELECT creditdesk.queue_mail('\(mail)'::jsonb)", as: two.member)
        #expect(requeued.status != 0 && requeued.stderr.contains("is not the message of an alert record of this commit"), "\(requeued)")
        // A record that is no alert at all (the init record), to anyone: refused.
        let stranger = #"[{"seq": 1, "recipient": "victim@example.com", "subject": "hi", "message": "spam"}]"#
        let forged = try two.psql("SELECT creditdesk.queue_mail('\(stranger)'::jsonb)", as: two.member)
        #expect(forged.status != 0 && forged.stderr.contains("is not the message of an alert record of this commit"), "\(forged)")

        // Not even the schema's owner rewrites a queued message or deletes it.
        let rewritten = try PostgresForCLI.psql(two.url, "UPDATE creditdesk.outbox SET message = 'spam'")
        #expect(rewritten.status != 0 && rewritten.stderr.contains("append-only but for its hand-over"), "\(rewritten)")
        let deleted = try PostgresForCLI.psql(two.url, "DELETE FROM creditdesk.outbox")
        #expect(deleted.status != 0 && deleted.stderr.contains("append-only but for its hand-over"), "\(deleted)")
        #expect(try Self.rows(two, "SELECT count(*) FROM creditdesk.outbox") == ["1"])
    }

    @Test("R24 on PostgreSQL: an alert record and a message to someone else, in one transaction: refused together (CDR05), nothing lands")
    func R24_aCommitAndItsMailLandTogetherOrNotAtAll() throws {
        let two = try Self.ledger()
        defer { two.drop() }
        let head = try Self.rows(two, "SELECT seq FROM creditdesk.head")
        // The member appends an alert record of acme (alerts are system's; any desk of acme may
        // write one) and queues, in the same transaction, a message to a stranger for it.
        let forged = try two.psql("""
            DO $$
            DECLARE h record; body text; hx text; line text;
            BEGIN
              SELECT seq, hash INTO h FROM creditdesk.head;
              body := '{"v":1,"seq":' || (h.seq + 1) || ',"time":"2026-12-01T00:00:00Z","kind":"alert","actor":"system","ws":"acme","alert":"low","balance":15,"prev":"' || h.hash || '"';
              hx := encode(sha256(convert_to(body, 'UTF8')), 'hex');
              line := body || ',"hash":"' || hx || '"}';
              PERFORM creditdesk.append_commit(jsonb_build_array(line), '[]', '[]', '[]');
              PERFORM creditdesk.queue_mail(jsonb_build_array(jsonb_build_object('seq', h.seq + 1, 'recipient', 'victim@example.com',
                'subject', 'hi', 'message', 'Message-ID: <' || (h.seq + 1) || E'.low.acme@x>\\nX-CreditDesk-Workspace: acme\\n\\nspam\\n')));
            END $$;
            """, as: two.member)
        #expect(forged.status != 0 && forged.stderr.contains("is not the message of an alert record of this commit"), "\(forged)")
        #expect(try Self.rows(two, "SELECT seq FROM creditdesk.head") == head, "the alert record landed without its message")
        #expect(try Self.rows(two, "SELECT count(*) FROM creditdesk.outbox") == ["0"])
        try two.cli.ok("verify")
    }

    @Test("R24 on PostgreSQL: a message to the owner with headers CreditDesk never writes (another recipient, a sender, a folded To) is refused (CDR05), nothing lands",
          arguments: ["Bcc: everyone@evil.example\\n", "Cc: everyone@evil.example\\n", "Reply-To: pay@evil.example\\n"])
    func R24_aMessageWithOtherHeadersIsRefused(extra: String) throws {
        try Self.expectRefused(headers: { to in "From: CreditDesk <creditdesk@localhost>\\nTo: " + to + "\\n" + extra })
    }

    @Test("R24 on PostgreSQL: a To with a second mailbox, folded or not, or another From, is refused (CDR05)",
          arguments: ["To: \"x\" <victim@evil.example>, ", "From: Bank <bank@evil.example>\\nTo: ", "To: victim@evil.example,\\n\\t"])
    func R24_aMessageToAnyoneElseIsRefused(prefix: String) throws {
        try Self.expectRefused(headers: { to in (prefix.hasPrefix("From") ? "" : "From: CreditDesk <creditdesk@localhost>\\n") + prefix + to + "\\n" })
    }

    @Test("R24 on PostgreSQL: the same forged alert with only the headers CreditDesk writes is queued: the refusals above are the headers'")
    func R24_theSameMessageWithItsOwnHeadersIsQueued() throws {
        try Self.expectRefused(headers: { to in "From: CreditDesk <creditdesk@localhost>\\nTo: " + to + "\\n" }, refused: false)
    }

    /// A member appends an alert record of acme and queues, in the same transaction, a message
    /// to acme's owner whose header block is `headers(To value)` and then the alert's own
    /// headers: the whole commit must be refused (or, for the control, queued).
    private static func expectRefused(headers: (String) -> String, refused: Bool = true) throws {
        let two = try Self.ledger()
        defer { two.drop() }
        let head = try Self.rows(two, "SELECT seq FROM creditdesk.head")
        let forged = try two.psql("""
            DO $$
            DECLARE h record; body text; hx text; line text; owner text; address text;
            BEGIN
              SELECT seq, hash INTO h FROM creditdesk.head;
              SELECT j.line::jsonb->>'owner' INTO owner FROM creditdesk.journal j
                WHERE j.workspace = 'acme' AND j.line::jsonb->>'kind' = 'workspace' ORDER BY j.seq DESC LIMIT 1;
              address := CASE WHEN owner LIKE '%@%' THEN owner ELSE owner || '@localhost' END;
              body := '{"v":1,"seq":' || (h.seq + 1) || ',"time":"2026-12-01T00:00:00Z","kind":"alert","actor":"system","ws":"acme","alert":"low","balance":15,"prev":"' || h.hash || '"';
              hx := encode(sha256(convert_to(body, 'UTF8')), 'hex');
              line := body || ',"hash":"' || hx || '"}';
              PERFORM creditdesk.append_commit(jsonb_build_array(line), '[]', '[]', '[]');
              PERFORM creditdesk.queue_mail(jsonb_build_array(jsonb_build_object('seq', h.seq + 1, 'recipient', address,
                'subject', 'Urgent', 'message', E'\(headers("\"' || owner || E'\" <' || address || E'>"))' || E'Subject: Urgent\\nMessage-ID: <' || (h.seq + 1)
                  || E'.low.acme@creditdesk.localhost>\\nX-CreditDesk-Workspace: acme\\n\\nPay here\\n')));
            END $$;
            """, as: two.member)
        guard refused else {
            #expect(forged.status == 0, "\(forged)")
            #expect(try Self.rows(two, "SELECT count(*) FROM creditdesk.outbox") == ["1"])
            return
        }
        #expect(forged.status != 0 && forged.stderr.contains("is not the message of an alert record of this commit"), "\(forged)")
        #expect(try Self.rows(two, "SELECT seq FROM creditdesk.head") == head, "the alert record landed without its message")
        #expect(try Self.rows(two, "SELECT count(*) FROM creditdesk.outbox") == ["0"])
    }

    @Test("R24 on PostgreSQL: a member's role sees only its workspaces' outbox rows; support sees all")
    func R24_memberSeesOnlyItsWorkspacesMail() throws {
        let two = try Self.ledger()
        defer { two.drop() }
        try two.cli.ok("adjust", "beta", "-55", "--reason", "near the edge")   // 5: beta's alert, by support
        _ = try Self.run(two, ["charge", "acme", "ai_graphic", "--job", "j-1"], as: two.member)
        #expect(try two.workspaces(in: "outbox", as: two.member) == ["acme"])
        #expect(try two.workspaces(in: "outbox", as: two.agent) == ["acme", "beta"])
        let listed = try Self.run(two, ["outbox", "--json"], as: two.member)
        #expect(listed.status == 0, "\(listed)")
        #expect(try listed.jsonArray().map { $0.string("workspace") } == ["acme"], "\(listed)")
    }

    @Test("R24 on PostgreSQL: a failing CREDITDESK_SENDMAIL leaves the message pending, a warning only; the next write hands it over once")
    func R24_failedSendmailIsRetriedByTheNextWriteOnce() throws {
        let two = try Self.ledger()
        defer { two.drop() }
        let attempts = two.cli.scratch + "/attempts"
        let failing = try Self.run(two, ["charge", "acme", "ai_graphic", "--job", "j-1"], as: two.member,
                                   environment: ["CREDITDESK_SENDMAIL": "cat > /dev/null; echo attempt >> '\(attempts)'; exit 3"])
        #expect(failing.status == 0, "a durable commit was reported as failed: \(failing)")
        #expect(failing.stderr.contains("not accepted by CREDITDESK_SENDMAIL (status 3); it stays pending in creditdesk.outbox"), "\(failing)")
        let tried = (try? String(contentsOfFile: attempts, encoding: .utf8)) ?? ""
        #expect(tried == "attempt\n", "one command hands a message over once, refused or not: \(tried)")
        #expect(failing.stderr.components(separatedBy: "not accepted").count == 2, "one warning: \(failing)")
        #expect(try Self.rows(two, "SELECT count(*) FROM creditdesk.outbox WHERE handed_at IS NULL") == ["1"])

        let sent = two.cli.scratch + "/sent"
        let working = ["CREDITDESK_SENDMAIL": "cat >> '\(sent)'"]
        let next = try Self.run(two, ["charge", "acme", "ai_vectorize", "--job", "j-2"], as: two.member, environment: working)   // no alert of its own
        #expect(next.status == 0 && next.stderr.isEmpty, "\(next)")
        #expect(Self.messages(in: sent) == 1)
        #expect(try Self.rows(two, "SELECT handed_by FROM creditdesk.outbox WHERE handed_at IS NOT NULL") == [two.member])
        try two.cli.ok(["adjust", "acme", "+1", "--reason", "another write"], environment: working)
        #expect(Self.messages(in: sent) == 1, "a message handed over was sent again")
    }

    @Test("R24 on PostgreSQL: a command killed after COMMIT leaves its message pending; outbox --send hands it over exactly once")
    func R24_killedAfterCommitIsSentOnceByOutboxSend() throws {
        let two = try Self.ledger()
        defer { two.drop() }
        // The sendmail kills the command that runs it: after COMMIT, mid hand-over.
        let killed = try Self.run(two, ["charge", "acme", "ai_graphic", "--job", "j-1"], as: two.member,
                                  environment: ["CREDITDESK_SENDMAIL": "kill -9 $PPID"])
        #expect(killed.status != 0, "\(killed)")
        #expect(try Self.rows(two, "SELECT count(*) FROM creditdesk.entries WHERE job = 'j-1'") == ["1"], "the charge was not committed")
        #expect(try Self.rows(two, "SELECT count(*) FROM creditdesk.outbox WHERE handed_at IS NULL") == ["1"])
        try Self.waitForOtherSessionsToEnd(two)

        let listed = try Self.run(two, ["outbox"], as: two.agent)
        #expect(listed.status == 0 && listed.stdout.contains("acme · low · to \(People.owner)@localhost"), "\(listed)")
        let sent = two.cli.scratch + "/sent"
        let working = ["CREDITDESK_SENDMAIL": "cat >> '\(sent)'"]
        let send = try Self.run(two, ["outbox", "--send", "--json"], as: two.agent, environment: working)
        #expect(send.status == 0, "\(send)")
        #expect(send.stdout.contains(#""pending":0"#) && !send.stdout.contains(#""handed_over":[]"#), "\(send)")
        let again = try Self.run(two, ["outbox", "--send", "--json"], as: two.agent, environment: working)
        #expect(again.stdout.contains(#""handed_over":[]"#), "\(again)")
        #expect(Self.messages(in: sent) == 1)
        try two.cli.ok("verify")
    }

    @Test("outbox on a file ledger is refused (exit 1): its alert emails are files in outbox/new")
    func outboxIsRefusedOnAFileLedger() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 20)
        let refused = try cli.run("outbox", as: People.support)
        #expect(refused.status == 1 && refused.stderr.contains("outbox is for PostgreSQL ledgers"), "\(refused)")
    }

    /// Waits until no other session is connected to the ledger's database: the server has
    /// rolled back a killed command's transaction and released its row locks.
    private static func waitForOtherSessionsToEnd(_ two: PostgresTwoWorkspaces) throws {
        for _ in 0..<100 {
            let others = try rows(two, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            if others == ["0"] { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("the killed command's session did not end")
    }
}

/// `text` as a JSON string literal, for SQL built by hand.
private func jsonString(_ text: String) -> String {
    let data = try? JSONSerialization.data(withJSONObject: [text], options: [])
    let array = data.map { String(decoding: $0, as: UTF8.self) } ?? "[\"\"]"
    return String(array.dropFirst().dropLast())
}
