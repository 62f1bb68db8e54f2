import Foundation
import Testing

/// R42 on PostgreSQL, held by the database itself (schema version 10): a removal ends the person's
/// place in `creditdesk.people`, so row-level security stops showing them the workspace, and a
/// person left with no place loses the desk role; added back, they see it again.
@Suite("PostgreSQL removal", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresRemovalTests {
    @Test("R42 on PostgreSQL: a removed member's psql sees none of the workspace's rows, their role loses the desk, their commands get one line; added back they see it again")
    func R42_removedMemberSeesNothingAndIsAddedBack() throws {
        let ledger = try PostgresTwoWorkspaces(prefix: "rm")
        defer { ledger.drop() }
        let asMember = ["CREDITDESK_LEDGER": ledger.url(as: ledger.member)]
        #expect(try ledger.cli.run(["charge", "acme", "ai_graphic", "--job", "j-1"], environment: asMember).status == 0)
        #expect(try ledger.workspaces(as: ledger.member) == ["acme"])
        let removed = try ledger.cli.run("workspace", "remove-member", "acme", ledger.member, "--reason", "left Acme")
        #expect(removed.status == 0, "\(removed)")
        #expect(try !ledger.hasDesk(ledger.member), "no place left: the desk is revoked")
        #expect(try ledger.workspaces(as: ledger.member) ?? [] == [], "psql shows the removed member nothing")
        for command in [["charge", "acme", "ai_graphic", "--job", "j-2"], ["balance", "acme"]] {
            let refused = try ledger.cli.run(command, environment: asMember)
            #expect(refused.status == 1 && refused.stderrLines.count == 1, "\(command): \(refused)")
        }
        let again = try ledger.cli.run("workspace", "remove-member", "acme", ledger.member, "--reason", "left Acme")
        #expect(again.status == 0 && again.stdout.hasPrefix("already removed:"), "\(again)")
        #expect(try ledger.cli.run("verify").status == 0)

        try ledger.cli.ok("workspace", "add-member", "acme", ledger.member)
        #expect(try ledger.hasDesk(ledger.member))
        #expect(try ledger.workspaces(as: ledger.member) == ["acme"])
        #expect(try ledger.cli.run(["charge", "acme", "ai_graphic", "--job", "j-2"], environment: asMember).status == 0)
        #expect(try ledger.cli.run("verify").status == 0)
    }

    @Test("R42 on PostgreSQL: a support agent who removes themselves is told it was recorded (exit 0), though the commit took their access away")
    func R42_anAgentRemovingThemselvesIsToldItWasRecorded() throws {
        let ledger = try PostgresTwoWorkspaces(prefix: "rm")
        defer { ledger.drop() }
        let removed = try ledger.cli.run(["operator", "remove", ledger.agent, "--reason", "left the company", "--json"],
                                         environment: ["CREDITDESK_LEDGER": ledger.url(as: ledger.agent)])
        #expect(removed.status == 0, "\(removed)")
        #expect(removed.stdout.contains("\"result\":\"recorded\"") && removed.stdout.contains("operator_removed"), "\(removed)")
        #expect(try !ledger.hasDesk(ledger.agent))
        let again = try ledger.cli.run("operator", "remove", ledger.agent, "--reason", "left the company")
        #expect(again.status == 0 && again.stdout.hasPrefix("already removed:"), "\(again)")
        try ledger.cli.expectCleanVerify()
    }

    @Test("R42 on PostgreSQL: grant-access does not give the desk back to a person whose every place was removed; adding them again does")
    func R42_grantAccessRefusesAPersonWithNoStandingPlace() throws {
        let ledger = try PostgresTwoWorkspaces(prefix: "rm")
        defer { ledger.drop() }
        try ledger.cli.ok("workspace", "remove-member", "acme", ledger.member, "--reason", "left Acme")
        let granted = try ledger.cli.run("grant-access", ledger.member)
        #expect(granted.status == 1 && granted.stderrLines.count == 1, "\(granted)")
        #expect(granted.stderr.contains("was removed from every place in this ledger (R42)"), "\(granted)")
        #expect(try !ledger.hasDesk(ledger.member))
        #expect(try ledger.workspaces(as: ledger.member) == nil, "psql is refused the schema")
        try ledger.cli.ok("workspace", "add-member", "acme", ledger.member)
        #expect(try ledger.hasDesk(ledger.member))
    }

    @Test("R42 on PostgreSQL: a member removed from one of two workspaces keeps the desk and sees only the other")
    func R42_aMemberWithAnotherPlaceKeepsTheDesk() throws {
        let ledger = try PostgresTwoWorkspaces(prefix: "rm", memberInBoth: true)
        defer { ledger.drop() }
        #expect(try ledger.workspaces(as: ledger.member) == ["acme", "beta"])
        try ledger.cli.ok("workspace", "remove-member", "acme", ledger.member, "--reason", "moved to beta")
        #expect(try ledger.hasDesk(ledger.member))
        #expect(try ledger.workspaces(as: ledger.member) == ["beta"])
        let refused = try ledger.cli.run(["charge", "acme", "ai_graphic", "--job", "j-1"], environment: ["CREDITDESK_LEDGER": ledger.url(as: ledger.member)])
        #expect(refused.status == 1 && refused.stderrLines.count == 1, "\(refused)")
    }

    @Test("R42 on PostgreSQL: a removed support agent loses the desk; people refuses every other change; a removal by a member is refused")
    func R42_removedAgentLosesTheDeskAndPeopleStaysAppendOnly() throws {
        let ledger = try PostgresTwoWorkspaces(prefix: "rm")
        defer { ledger.drop() }
        #expect(try ledger.workspaces(as: ledger.agent) == ["acme", "beta"])
        let byMember = try ledger.cli.run(["operator", "remove", ledger.agent, "--reason", "x"], environment: ["CREDITDESK_LEDGER": ledger.url(as: ledger.member)])
        #expect(byMember.status == 1 && byMember.stderrLines.count == 1, "\(byMember)")
        try ledger.cli.ok("operator", "remove", ledger.agent, "--reason", "left the company")
        #expect(try !ledger.hasDesk(ledger.agent))
        #expect(try ledger.workspaces(as: ledger.agent) ?? [] == [])
        let adjust = try ledger.cli.run(["adjust", "acme", "+1", "--reason", "x"], environment: ["CREDITDESK_LEDGER": ledger.url(as: ledger.agent)])
        #expect(adjust.status == 1 && adjust.stderrLines.count == 1, "\(adjust)")
        for sql in ["UPDATE creditdesk.people SET kind = 'support' WHERE role = '\(ledger.member)'",
                    "UPDATE creditdesk.people SET removed_seq = NULL WHERE role = '\(ledger.agent)'",
                    "DELETE FROM creditdesk.people WHERE role = '\(ledger.member)'"] {
            let refused = try PostgresForCLI.psql(ledger.url, sql)
            #expect(refused.status != 0 && refused.stderr.contains("append-only"), "\(sql): \(refused)")
        }
        #expect(try ledger.cli.run("verify").status == 0)
    }

    @Test("R42: a folder ledger with removals migrates to PostgreSQL to the same head; the removed member's place is ended there and their role has no desk")
    func R42_removalsMigrateToPostgres() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let (url, drop) = try PostgresMigrateTests.emptyDatabase()
        defer { drop() }
        let folder = cli.scratch + "/source"
        let member = "rm_mig_\(UInt32.random(in: 0..<UInt32.max))"
        let server = try #require(PostgresForCLI.serverURL)
        try #require(try PostgresForCLI.psql(server, PostgresForCLI.ensureRoles([member])).status == 0)
        defer { _ = try? PostgresForCLI.psql(server, "DROP ROLE IF EXISTS \(member)") }
        let me = PostgresForCLI.role
        try cli.ok(["init", "--ledger", folder], as: me)
        try cli.ok(["workspace", "create", "acme", "--ledger", folder, "--name", "Acme", "--owner", People.owner, "--plan", "pro"], as: me)
        try cli.ok(["workspace", "add-member", "acme", member, "--ledger", folder], as: me)
        try cli.ok(["workspace", "remove-member", "acme", member, "--ledger", folder, "--reason", "left"], as: me)
        let migrated = try cli.run(["migrate", "--ledger", folder, "--to", url], as: me)
        #expect(migrated.status == 0, "\(migrated)")
        #expect(try PostgresMigrateTests.head(cli, url) == PostgresMigrateTests.head(cli, folder))
        let place = try PostgresForCLI.psql(url, "SELECT kind, removed_seq IS NOT NULL FROM creditdesk.people WHERE role = '\(member)'")
        #expect(place.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "member|t", "\(place)")
        let desk = try PostgresForCLI.psql(url, "SELECT pg_has_role('\(member)', (SELECT role FROM creditdesk.desk_role), 'MEMBER')")
        #expect(desk.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "f", "\(desk)")
    }
}
