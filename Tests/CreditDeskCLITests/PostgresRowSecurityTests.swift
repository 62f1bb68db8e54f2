import Foundation
import Testing

/// R18 on PostgreSQL, held by the database itself (schema version 3): a member's role reading the
/// tables with psql sees only its workspaces' rows, support sees all; `workspace add-member` and
/// `operator add` grant an existing role a desk and refuse a role the server does not have.
@Suite("PostgreSQL row-level security", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresRowSecurityTests {
    @Test("R18 on PostgreSQL: a member's role sees only its workspace's rows of entries, balances, journal and keys with psql; support sees all")
    func R18_memberRoleSeesOnlyItsWorkspaceInPsql() throws {
        let ledger = try PostgresTwoWorkspaces(prefix: "rls")
        defer { ledger.drop() }
        let charged = try ledger.cli.run(["charge", "acme", "ai_graphic", "--job", "j-1"], environment: ["CREDITDESK_LEDGER": ledger.url(as: ledger.member)])
        #expect(charged.status == 0, "\(charged)")
        try ledger.cli.ok("charge", "beta", "ai_graphic", "--job", "j-1", as: People.owner)

        for table in ["entries", "balances", "idempotency_keys"] {
            #expect(try ledger.workspaces(in: table, as: ledger.member) == ["acme"], "\(table)")
            #expect(try ledger.workspaces(in: table, as: ledger.agent) == ["acme", "beta"], "\(table)")
        }
        #expect(try ledger.workspaces(in: "journal", as: ledger.member) == ["acme"])
        #expect(try ledger.workspaces(in: "journal", as: ledger.agent) == ["-", "acme", "beta"])
        let list = try ledger.cli.run(["workspace", "list", "--json"], environment: ["CREDITDESK_LEDGER": ledger.url(as: ledger.member)])
        #expect(list.status == 0, "\(list)")
        #expect(list.stdout.contains("\"acme\"") && !list.stdout.contains("\"beta\""), "\(list)")
    }

    @Test("R18 on PostgreSQL: a member's role charges in its workspace through the binary and is refused in another, nothing written")
    func R18_memberRoleChargesOnlyInItsWorkspace() throws {
        let ledger = try PostgresTwoWorkspaces(prefix: "rls")
        defer { ledger.drop() }
        let asMember = ["CREDITDESK_LEDGER": ledger.url(as: ledger.member)]
        let charged = try ledger.cli.run(["charge", "acme", "ai_graphic", "--job", "j-1"], environment: asMember)
        #expect(charged.status == 0, "\(charged)")
        let refused = try ledger.cli.run(["charge", "beta", "ai_graphic", "--job", "j-1"], environment: asMember)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderrLines.count == 1, "\(refused)")
        #expect(try ledger.cli.balance("acme", as: PostgresForCLI.role).int("balance") == 54)
        #expect(try ledger.cli.balance("beta", as: PostgresForCLI.role).int("balance") == 60)
    }

    @Test("R18 on PostgreSQL: add-member and operator add of a role the server does not have give one line and exit 1; nothing written")
    func R18_missingRoleIsRefused() throws {
        let ledger = try PostgresTwoWorkspaces(prefix: "rls")
        defer { ledger.drop() }
        let ghost = "ghost_\(UInt32.random(in: 0..<UInt32.max))"
        let head = try ledger.cli.run("verify")
        for command in [["workspace", "add-member", "acme", ghost], ["operator", "add", ghost, "--role", "support"]] {
            let refused = try ledger.cli.run(command)
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderrLines.count == 1, "\(refused)")
            #expect(refused.stderr.contains("there is no database role \(ghost)"), "\(refused)")
        }
        #expect(try ledger.cli.run("verify").stdout == head.stdout, "a refused add wrote a record")
    }

    @Test("R18 on PostgreSQL: a role the ledger never added gets one line and exit 1, reading or writing")
    func R18_roleWithoutRightsIsRefused() throws {
        let ledger = try PostgresTwoWorkspaces(prefix: "rls")
        defer { ledger.drop() }
        let stranger = "rls_stranger_\(UInt32.random(in: 0..<UInt32.max))"
        let server = try #require(PostgresForCLI.serverURL)
        defer { _ = try? PostgresForCLI.psql(server, "DROP ROLE IF EXISTS \(stranger)") }
        let created = try PostgresForCLI.psql(ledger.url, "CREATE ROLE \(stranger) LOGIN")
        try #require(created.status == 0, "\(created)")
        let asStranger = ["CREDITDESK_LEDGER": ledger.url(as: stranger)]
        for command in [["balance", "acme"], ["charge", "acme", "ai_graphic", "--job", "j-9"]] {
            let refused = try ledger.cli.run(command, environment: asStranger)
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderrLines.count == 1, "\(refused)")
        }
        #expect(try ledger.cli.balance("acme", as: PostgresForCLI.role).int("balance") == 60)
    }
}
