import Foundation
import Testing

/// R18 on PostgreSQL, schema version 4: a support agent's `--as NAME` is recorded as acting on
/// NAME's behalf (actor NAME, `by` the agent's authenticated role) in history text and JSON and
/// in `creditdesk.entries`; a member's `--as` someone else is still refused, nothing written.
@Suite("PostgreSQL acting on someone's behalf", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresActingForTests {
    /// A ledger made by the server's role with acme (60 credits); `agent` (support) and
    /// `member` (of acme) are new LOGIN roles.
    private struct Desk {
        let cli: CLI
        let url: String
        let agent = "by_agent_\(UInt32.random(in: 0..<UInt32.max))"
        let member = "by_member_\(UInt32.random(in: 0..<UInt32.max))"
        let drop: () -> Void

        init() throws {
            let (cli, drop) = try PostgresForCLI.cli()
            self.cli = cli
            url = try #require(cli.environment["CREDITDESK_LEDGER"])
            let server = try #require(PostgresForCLI.serverURL)
            let roles = [agent, member]
            self.drop = {
                drop()
                for role in roles { _ = try? PostgresForCLI.psql(server, "DROP ROLE IF EXISTS \(role)") }
            }
            try cli.ok("init", "--catalog", "konfiwear")
            try cli.ok("workspace", "create", "acme", "--name", "Acme Tees", "--owner", People.owner, "--plan", "pro")
            let created = try PostgresForCLI.psql(url, "CREATE ROLE \(agent) LOGIN; CREATE ROLE \(member) LOGIN")
            try #require(created.status == 0, "\(created)")
            try cli.ok("operator", "add", agent, "--role", "support")
            try cli.ok("workspace", "add-member", "acme", member)
            try cli.ok("adjust", "acme", "+60", "--reason", "seed")
        }

        /// The environment connecting as `role`.
        func connecting(as role: String) -> [String: String] {
            ["CREDITDESK_LEDGER": url.replacingOccurrences(of: "://\(PostgresForCLI.role)@", with: "://\(role)@")]
        }

        func journalRows() throws -> String {
            let rows = try PostgresForCLI.psql(url, "SELECT count(*) FROM creditdesk.journal")
            try #require(rows.status == 0, "\(rows)")
            return rows.stdout
        }
    }

    @Test("R18 on PostgreSQL: support's --as lee charge is recorded as lee, by the agent, in history text, JSON and creditdesk.entries")
    func R18_supportActingForAMemberIsRecordedByTheAgent() throws {
        let desk = try Desk()
        defer { desk.drop() }
        let agentEnv = desk.connecting(as: desk.agent)
        let charged = try desk.cli.run(["charge", "acme", "ai_graphic", "--job", "j-1"], as: desk.member, environment: agentEnv)
        #expect(charged.status == 0, "\(charged)")

        let json = try desk.cli.run(["history", "acme", "--json", "--kind", "charge"], as: desk.agent, environment: agentEnv)
        let charge = try #require(try json.jsonArray().first)
        #expect(charge.string("actor") == desk.member, "\(charge)")
        #expect(charge.string("by") == desk.agent, "\(charge)")

        let text = try desk.cli.run(["history", "acme"], as: desk.agent, environment: agentEnv)
        #expect(text.stdout.contains("\(desk.member) (by \(desk.agent))"), "\(text)")

        let row = try PostgresForCLI.psql(desk.url, "SELECT actor || '|' || \"by\" FROM creditdesk.entries WHERE kind = 'charge'")
        #expect(row.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(desk.member)|\(desk.agent)", "\(row)")

        // Entries a role made as itself carry no `by`; the journal line holds it only when acting for another.
        let adjustment = try #require(try desk.cli.history("acme", ["--kind", "adjustment"], as: PostgresForCLI.role).first)
        #expect(adjustment["by"] == nil, "\(adjustment)")
        let line = try PostgresForCLI.psql(desk.url, "SELECT line::jsonb->>'by' FROM creditdesk.journal ORDER BY seq DESC LIMIT 1")
        #expect(line.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == desk.agent, "\(line)")
        try desk.cli.ok("verify", as: PostgresForCLI.role)
    }

    @Test("R18 on PostgreSQL: a member's --as someone else is refused, exit 1, nothing written")
    func R18_memberActingForAnotherIsRefused() throws {
        let desk = try Desk()
        defer { desk.drop() }
        let before = try desk.journalRows()
        let claimed = try desk.cli.run(["charge", "acme", "ai_graphic", "--job", "j-1"], as: People.owner,
                                       environment: desk.connecting(as: desk.member))
        #expect(claimed.status == 1, "\(claimed)")
        #expect(claimed.stderrLines.count == 1, "\(claimed)")
        #expect(claimed.stderr.contains("only a support agent can use --as"), "\(claimed)")
        #expect(try desk.journalRows() == before, "a refused --as wrote something")
    }
}
