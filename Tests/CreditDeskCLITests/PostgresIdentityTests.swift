import Foundation
import Testing

/// R18 on PostgreSQL, where the operator is the role the database authenticated: the connecting
/// role makes the ledger and becomes its support agent, a member's role acts as itself, and
/// `--as` someone else is taken only from a support agent.
@Suite("PostgreSQL identity", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresIdentityTests {
    @Test("R18 on PostgreSQL: the connecting role makes the ledger and becomes its support agent; init --as another is refused")
    func R18_connectingRoleIsTheFirstSupportAgent() throws {
        let (cli, drop) = try PostgresForCLI.cli()
        defer { drop() }
        let refused = try cli.run("init", "--catalog", "konfiwear", as: "maria")
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderrLines.count == 1, "\(refused)")
        let url = try #require(cli.environment["CREDITDESK_LEDGER"])
        #expect(try PostgresForCLI.psql(url, "SELECT to_regclass('creditdesk.journal') IS NULL").stdout.hasPrefix("t"),
                "a refused init created the schema")
        let made = try cli.ok("init", "--catalog", "konfiwear")
        #expect(made.stdout.contains("\(PostgresForCLI.role) is its support agent"), "\(made)")
        try cli.ok("workspace", "create", "acme", "--name", "Acme Tees", "--owner", People.owner, "--plan", "pro")
        #expect(try cli.history(as: PostgresForCLI.role).isEmpty)
    }

    @Test("R18 on PostgreSQL: a member's role charges as itself; its --as for the owner is refused, nothing written; support's --as is taken")
    func R18_onlySupportMayActAsSomeoneElse() throws {
        let (cli, drop) = try PostgresForCLI.cli()
        let member = "member_\(UInt32.random(in: 0..<UInt32.max))"
        let server = try #require(PostgresForCLI.serverURL)
        defer {
            drop()
            _ = try? PostgresForCLI.psql(server, "DROP ROLE IF EXISTS \(member)")
        }
        try cli.ok("init", "--catalog", "konfiwear")
        try cli.ok("workspace", "create", "acme", "--name", "Acme Tees", "--owner", People.owner, "--plan", "pro")
        let url = try #require(cli.environment["CREDITDESK_LEDGER"])
        let created = try PostgresForCLI.psql(url, "CREATE ROLE \(member) LOGIN")
        try #require(created.status == 0, "\(created)")
        try cli.ok("workspace", "add-member", "acme", member)
        try cli.ok("adjust", "acme", "+60", "--reason", "seed")
        let asMember = ["CREDITDESK_LEDGER": url.replacingOccurrences(of: "://\(PostgresForCLI.role)@", with: "://\(member)@")]

        let charged = try cli.run(["charge", "acme", "ai_graphic", "--job", "j-1"], environment: asMember)
        #expect(charged.status == 0, "\(charged)")
        let history = try cli.history("acme", ["--kind", "charge"], as: PostgresForCLI.role)
        #expect(history.first?.string("actor") == member)

        let claimed = try cli.run(["topup", "acme", "topup_50"], as: People.owner, environment: asMember)
        #expect(claimed.status == 1, "\(claimed)")
        #expect(claimed.stderrLines.count == 1, "\(claimed)")
        #expect(claimed.stderr.contains("only a support agent can use --as"), "\(claimed)")
        #expect(try cli.balance(as: PostgresForCLI.role).int("balance") == 54)

        // The support role may act for the owner.
        try cli.ok("topup", "acme", "topup_50", as: People.owner)
        #expect(try cli.balance(as: PostgresForCLI.role).int("balance") == 554)
    }
}
