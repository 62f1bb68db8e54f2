import Foundation
@testable import PostgresLedger
import Testing

/// R18 on PostgreSQL, held by the server (schema version 9): a desk's role writes only through
/// `creditdesk.append_commit` and `store_states`, so a member with psql can neither append a
/// record in someone else's name or of another workspace, nor set a balance or a stored state
/// by hand; what the tables show stays the journal's.
@Suite("PostgreSQL desk writes", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresDeskWriteTests {
    /// A ledger with acme (60 credits, `member` in it) and beta (60 credits), made by the
    /// server's role (its first support agent); `member` is a new LOGIN role.
    private struct Desks {
        let cli: CLI
        let url: String
        let member = "dw_member_\(UInt32.random(in: 0..<UInt32.max))"
        let drop: () -> Void

        init() throws {
            let (cli, drop) = try PostgresForCLI.cli()
            self.cli = cli
            url = try #require(cli.environment["CREDITDESK_LEDGER"])
            let server = try #require(PostgresForCLI.serverURL)
            let member = member
            self.drop = {
                drop()
                _ = try? PostgresForCLI.psql(server, "DROP ROLE IF EXISTS \(member)")
            }
            try cli.ok("init", "--catalog", "konfiwear")
            for ws in ["acme", "beta"] {
                try cli.ok("workspace", "create", ws, "--name", "Tees \(ws)", "--owner", People.owner, "--plan", "pro")
                try cli.ok("adjust", ws, "+60", "--reason", "seed")
            }
            let created = try PostgresForCLI.psql(url, "CREATE ROLE \(member) LOGIN")
            try #require(created.status == 0, "\(created)")
            try cli.ok("workspace", "add-member", "acme", member)
        }

        /// The ledger's URL connecting as `role`.
        func url(as role: String) -> String {
            url.replacingOccurrences(of: "://\(PostgresForCLI.role)@", with: "://\(role)@")
        }

        /// psql as the member.
        func asMember(_ sql: String) throws -> CLIResult { try PostgresForCLI.psql(url(as: member), sql) }

        /// The support agent's view of a workspace's balance, `ROW/CLI`: the `balances` row and the CLI's.
        func balances(_ ws: String) throws -> String {
            let row = try PostgresForCLI.psql(url, "SELECT balance FROM creditdesk.balances WHERE workspace = '\(ws)'")
            let shown = try cli.balance(ws, as: PostgresForCLI.role).int("balance").map { String($0) } ?? "-"
            return row.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "/" + shown
        }
    }

    /// plpgsql that builds `line`, a correctly hashed journal line after the head: an adjustment of
    /// +1,000,000 to `ws` (balance from its `balances` row) by `actor`, optionally with `by`.
    private static func forgedLine(ws: String, actor: String, by: String? = nil) -> String {
        """
        SELECT seq, hash INTO h FROM creditdesk.head;
          SELECT balance INTO b FROM creditdesk.balances WHERE workspace = '\(ws)';
          t := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
          body := '{"v":1,"seq":' || (h.seq + 1) || ',"time":"' || t || '","kind":"adjustment","actor":"\(actor)","ws":"\(ws)","credits":1000000,"balance":'
            || (b + 1000000) || ',"reason":"forged"\(by.map { #","by":"\#($0)""# } ?? "")' || ',"prev":"' || h.hash || '"';
          hx := encode(sha256(convert_to(body, 'UTF8')), 'hex');
          line := body || ',"hash":"' || hx || '"}';
        """
    }

    /// A DO block declaring what `forgedLine` needs, running it and then `then`.
    private static func forging(ws: String, actor: String, by: String? = nil, then: String) -> String {
        """
        DO $$
        DECLARE h record; b bigint; t text; body text; hx text; line text;
        BEGIN
          \(forgedLine(ws: ws, actor: actor, by: by))
          \(then)
        END $$;
        """
    }

    /// The rows a member inserts by hand for the forged line, as a pre-version-9 desk could.
    private static let directInsert = """
        INSERT INTO creditdesk.journal (seq, line, prev, hash, more, workspace) VALUES (h.seq + 1, line, h.hash, hx, false, 'acme');
          UPDATE creditdesk.head SET seq = h.seq + 1, hash = hx;
        """

    /// The same line offered to the write function, with the balance row it says.
    private static func throughFunction(_ ws: String) -> String {
        """
        PERFORM creditdesk.append_commit(jsonb_build_array(line),
            jsonb_build_array(jsonb_build_object('workspace', '\(ws)', 'balance', b + 1000000, 'earned', b + 1000000, 'spent', 0, 'seq', h.seq + 1, 'held', 0)),
            '[]', '[]');
        """
    }

    @Test("R18 on PostgreSQL: a member's psql cannot append a record naming the support agent as actor, by hand or through append_commit")
    func R18_memberCannotForgeAnotherActorsRecord() throws {
        let desks = try Desks()
        defer { desks.drop() }
        let head = try desks.cli.run("verify")
        let support = PostgresForCLI.role

        let direct = try desks.asMember(Self.forging(ws: "acme", actor: support, then: Self.directInsert))
        #expect(direct.status != 0, "a member appended a record in the support agent's name: \(direct)")
        #expect(direct.stderr.contains("permission denied"), "\(direct)")

        let called = try desks.asMember(Self.forging(ws: "acme", actor: support, then: Self.throughFunction("acme")))
        #expect(called.status != 0, "\(called)")
        #expect(called.stderr.contains("names actor \(support), but role \(desks.member) wrote it"), "\(called)")
        let claimed = try desks.asMember(Self.forging(ws: "acme", actor: support, by: desks.member, then: Self.throughFunction("acme")))
        #expect(claimed.status != 0, "\(claimed)")
        #expect(claimed.stderr.contains("only a support agent acts on someone's behalf"), "\(claimed)")

        #expect(try desks.balances("acme") == "60/60")
        #expect(try desks.cli.run("verify").stdout == head.stdout, "a forged record reached the journal")
    }

    @Test("R18 on PostgreSQL: a member's psql cannot append a record of another workspace under its own workspace's column")
    func R18_memberCannotWriteAnotherWorkspacesRecord() throws {
        let desks = try Desks()
        defer { desks.drop() }
        let head = try desks.cli.run("verify")
        // The line is beta's, by the member itself; the journal row says acme, which the member sees.
        let beta = Self.forging(ws: "beta", actor: desks.member, then: Self.directInsert)
            .replacingOccurrences(of: "SELECT balance INTO b FROM creditdesk.balances WHERE workspace = 'beta';", with: "b := 60;")
        let direct = try desks.asMember(beta)
        #expect(direct.status != 0, "a member appended a record of beta: \(direct)")
        #expect(direct.stderr.contains("permission denied"), "\(direct)")

        let called = try desks.asMember(Self.forging(ws: "beta", actor: desks.member, then: Self.throughFunction("beta"))
            .replacingOccurrences(of: "SELECT balance INTO b FROM creditdesk.balances WHERE workspace = 'beta';", with: "b := 60;"))
        #expect(called.status != 0, "\(called)")
        #expect(called.stderr.contains("role \(desks.member) may not write records of workspace beta"), "\(called)")

        #expect(try desks.balances("beta") == "60/60")
        #expect(try desks.cli.run("verify").stdout == head.stdout, "a forged record reached the journal")
    }

    @Test("R18 on PostgreSQL: a member's psql cannot set its workspace's balances row or stored state by hand")
    func R18_memberCannotSetDerivedRows() throws {
        let desks = try Desks()
        defer { desks.drop() }
        let balance = try desks.asMember("UPDATE creditdesk.balances SET balance = 999999, earned = 1000000 WHERE workspace = 'acme'")
        #expect(balance.status != 0 && balance.stderr.contains("permission denied"), "a member set its balance row: \(balance)")
        let state = try desks.asMember(#"UPDATE creditdesk.workspace_states SET summary = '\x00' WHERE workspace = 'acme'"#)
        #expect(state.status != 0 && state.stderr.contains("permission denied"), "a member set its stored summary: \(state)")
        let copied = try desks.asMember("INSERT INTO creditdesk.workspace_states SELECT * FROM creditdesk.workspace_states WHERE workspace = 'acme' ON CONFLICT (workspace) DO UPDATE SET summary_seq = 1")
        #expect(copied.status != 0 && copied.stderr.contains("permission denied"), "\(copied)")

        let called = try desks.asMember("""
            SELECT creditdesk.append_commit('[]', '[{"workspace":"acme","balance":999999,"earned":1000000,"spent":1,"seq":5,"held":0}]', '[]', '[]')
            """)
        #expect(called.status != 0, "\(called)")
        #expect(called.stderr.contains("the balance of workspace acme is not the one its last credit record in this commit says"), "\(called)")

        #expect(try desks.balances("acme") == "60/60")
        let list = try desks.cli.run("workspace", "list", "--json")
        #expect(list.status == 0 && list.stdout.contains(#""balance":60"#) && !list.stdout.contains("999999"), "\(list)")
        try desks.cli.ok("verify")
    }

    @Test("R18 on PostgreSQL: after version 9 a member still charges through the binary, and support's --as still records by")
    func R18_desksStillWriteThroughTheFunction() throws {
        let desks = try Desks()
        defer { desks.drop() }
        let charged = try desks.cli.run(["charge", "acme", "ai_graphic", "--job", "j-1"], environment: ["CREDITDESK_LEDGER": desks.url(as: desks.member)])
        #expect(charged.status == 0, "\(charged)")
        try desks.cli.ok("charge", "acme", "ai_graphic", "--job", "j-2", "--as", desks.member)
        let rows = try PostgresForCLI.psql(desks.url, "SELECT actor || '/' || coalesce(\"by\", '-') FROM creditdesk.entries WHERE kind = 'charge' ORDER BY seq")
        #expect(rows.stdout.split(separator: "\n").map(String.init) == ["\(desks.member)/-", "\(desks.member)/\(PostgresForCLI.role)"], "\(rows)")
        let writer = try PostgresForCLI.psql(desks.url, "SELECT written_by FROM creditdesk.workspace_states WHERE workspace = 'acme'")
        #expect(writer.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == PostgresForCLI.role, "\(writer)")
        #expect(try desks.balances("acme") == "48/48")
        try desks.cli.ok("verify")
    }

    @Test("R18 on PostgreSQL: a stored state or summary a member wrote is a cache miss to support, which shows and stores the journal's")
    func R18_aMembersStoredStateIsNotTrustedByOthers() throws {
        let desks = try Desks()
        defer { desks.drop() }
        // acme's stored row at balance 60, as support wrote it.
        let old = try PostgresForCLI.psql(desks.url, """
            SELECT json_build_array(json_build_object('workspace', workspace, 'summary', encode(summary, 'hex'), 'summary_seq', summary_seq,
              'state', encode(state, 'hex'), 'state_seq', state_seq, 'state_hash', state_hash, 'state_sha256', encode(state_sha256, 'hex')))
            FROM creditdesk.workspace_states WHERE workspace = 'acme'
            """)
        try #require(old.status == 0 && old.stdout.contains("acme"), "\(old)")
        let charged = try desks.cli.run(["charge", "acme", "ai_graphic", "--job", "j-1"], environment: ["CREDITDESK_LEDGER": desks.url(as: desks.member)])
        #expect(charged.status == 0, "\(charged)")
        // The member puts the older row back: it stands at a real record of acme, so the server takes it, as the member's.
        let json = old.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let stored = try desks.asMember("SELECT creditdesk.store_states('\(json)'::jsonb)")
        #expect(stored.status == 0, "\(stored)")
        let writer = try PostgresForCLI.psql(desks.url, "SELECT written_by FROM creditdesk.workspace_states WHERE workspace = 'acme'")
        #expect(writer.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == desks.member, "\(writer)")

        let list = try desks.cli.run("workspace", "list", "--json")
        #expect(list.status == 0 && list.stderr.isEmpty, "\(list)")
        let acme = try list.jsonArray().first { $0.string("workspace") == "acme" }
        #expect(acme?.int("balance") == 54, "support's list took the member's summary: \(list)")
        #expect(try desks.balances("acme") == "54/54")
        // Support's next write to acme stores its own.
        try desks.cli.ok("charge", "acme", "ai_graphic", "--job", "j-2", "--as", desks.member)
        let rewritten = try PostgresForCLI.psql(desks.url, "SELECT written_by FROM creditdesk.workspace_states WHERE workspace = 'acme'")
        #expect(rewritten.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == PostgresForCLI.role, "\(rewritten)")
        try desks.cli.ok("verify")
    }

    @Test("R18 on PostgreSQL: import by a support agent who is not the schema's owner records each event as its member's, by the agent")
    func R18_importBySupportRecordsBy() throws {
        let desks = try Desks()
        defer { desks.drop() }
        let agent = "dw_agent_\(UInt32.random(in: 0..<UInt32.max))"
        let server = try #require(PostgresForCLI.serverURL)
        defer { _ = try? PostgresForCLI.psql(server, "DROP ROLE IF EXISTS \(agent)") }
        let created = try PostgresForCLI.psql(desks.url, "CREATE ROLE \(agent) LOGIN")
        try #require(created.status == 0, "\(created)")
        try desks.cli.ok("operator", "add", agent, "--role", "support")
        let events = desks.cli.scratch + "/usage.jsonl"
        try """
        {"workspace":"acme","action":"print_file","job":"u-1","outcome":"succeeded"}
        {"workspace":"acme","action":"print_file","job":"u-2","outcome":"succeeded","actor":"\(desks.member)"}

        """.write(toFile: events, atomically: true, encoding: .utf8)
        let imported = try desks.cli.run(["import", events], environment: ["CREDITDESK_LEDGER": desks.url(as: agent)])
        #expect(imported.status == 0, "\(imported)")
        let rows = try PostgresForCLI.psql(desks.url, "SELECT actor || '/' || coalesce(\"by\", '-') FROM creditdesk.entries WHERE kind = 'charge' ORDER BY seq")
        #expect(rows.stdoutLines == ["\(People.owner)/\(agent)", "\(desks.member)/\(agent)"], "\(rows)")
        try desks.cli.ok("verify")
    }

    @Test("R18 on PostgreSQL: append_commit's refusals map to exit 1 for the writer (CDR03) and exit 2 for lines the journal does not bear out (CDR04)")
    func R18_appendCommitRefusalsAreNamed() throws {
        let desks = try Desks()
        defer { desks.drop() }
        let location = try PostgresLocation.parse(desks.url(as: desks.member))
        let session = try PostgresSession.connect(location, credentials: PostgresCredentials.resolve(location, environment: ProcessInfo.processInfo.environment))
        defer { session.close() }
        var refusal: PostgresProblem?
        do { try session.query(Self.forging(ws: "acme", actor: PostgresForCLI.role, then: Self.throughFunction("acme"))) } catch { refusal = error }
        #expect(refusal.map { if case .notPermitted = $0 { true } else { false } } == true, "\(String(describing: refusal))")
        refusal = nil
        let torn = Self.forging(ws: "acme", actor: desks.member, then: Self.throughFunction("acme"))
            .replacingOccurrences(of: "line := body ||", with: "line := replace(body, 'forged', 'forgex') ||")
        do { try session.query(torn) } catch { refusal = error }
        #expect(refusal == .server(sqlState: "CDR04", message: "record seq 7 is not hashed as the journal format says (the SHA-256 of the line before its hash)"),
                "\(String(describing: refusal))")
    }
}
