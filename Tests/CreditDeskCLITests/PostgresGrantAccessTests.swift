import Foundation
import Testing

/// R18 on PostgreSQL: a workspace's owner whose login role a DBA creates after `workspace create`
/// gets a desk from support's `grant-access OWNER` (`creditdesk.grant_access`), and from nothing
/// else; only support may grant, and only to a person the ledger has and a role the server has.
@Suite("PostgreSQL grant-access", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresGrantAccessTests {
    @Test("R18 on PostgreSQL: an owner whose role is created after workspace create gets a desk from grant-access, not before")
    func R18_ownerCreatedLaterIsGrantedByGrantAccess() throws {
        let (cli, drop) = try PostgresForCLI.cli()
        let owner = "late_owner_\(UInt32.random(in: 0..<UInt32.max))"
        let member = "late_member_\(UInt32.random(in: 0..<UInt32.max))"
        let server = try #require(PostgresForCLI.serverURL)
        defer {
            drop()
            for role in [owner, member] { _ = try? PostgresForCLI.psql(server, "DROP ROLE IF EXISTS \(role)") }
        }
        let url = try #require(cli.environment["CREDITDESK_LEDGER"])
        func connecting(as role: String) -> [String: String] {
            ["CREDITDESK_LEDGER": url.replacingOccurrences(of: "://\(PostgresForCLI.role)@", with: "://\(role)@")]
        }
        try cli.ok("init", "--catalog", "konfiwear")
        try cli.ok("workspace", "create", "acme", "--name", "Acme Tees", "--owner", owner, "--plan", "pro")
        // The role comes later; until support grants it, it has nothing on the schema.
        let created = try PostgresForCLI.psql(url, "CREATE ROLE \(owner) LOGIN; CREATE ROLE \(member) LOGIN")
        try #require(created.status == 0, "\(created)")
        let before = try cli.run(["balance", "acme"], environment: connecting(as: owner))
        #expect(before.status == 1, "\(before)")
        #expect(before.stderrLines.count == 1, "\(before)")
        #expect(before.stderr.contains("role \(owner) has no access to this ledger: a support agent gives it with `creditdesk grant-access \(owner)`"),
                "\(before)")

        // Only support grants; a member's role is refused; a name the ledger lacks, or a role the server lacks, too.
        try cli.ok("workspace", "add-member", "acme", member)
        let byMember = try cli.run(["grant-access", owner], environment: connecting(as: member))
        #expect(byMember.status == 1 && byMember.stderrLines.count == 1, "\(byMember)")
        let stranger = try cli.run("grant-access", People.stranger)
        #expect(stranger.status == 1 && stranger.stderr.contains("is not a person of this ledger"), "\(stranger)")
        let noRole = "never_created_\(UInt32.random(in: 0..<UInt32.max))"
        try cli.ok("workspace", "create", "beta", "--name", "Beta", "--owner", noRole, "--plan", "pro")
        let missing = try cli.run("grant-access", noRole)
        #expect(missing.status == 1 && missing.stderr.contains("there is no database role"), "\(missing)")

        try cli.ok("grant-access", owner)
        try cli.ok("grant-access", owner)
        let topup = try cli.run(["topup", "acme", "topup_50"], environment: connecting(as: owner))
        #expect(topup.status == 0, "\(topup)")
        let balance = try cli.run(["balance", "acme", "--json"], environment: connecting(as: owner))
        #expect(try balance.jsonObject().int("balance") == 500, "\(balance)")
        // The owner's desk shows it only its workspace, with psql too.
        let seen = try PostgresForCLI.psql(url.replacingOccurrences(of: "://\(PostgresForCLI.role)@", with: "://\(owner)@"),
                                           "SELECT DISTINCT workspace FROM creditdesk.balances ORDER BY 1")
        #expect(seen.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "acme", "\(seen)")
    }
}
