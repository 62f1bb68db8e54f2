import Foundation
import Testing

/// The tables beside the journal on PostgreSQL (`balances`, what BI tools read, and
/// `workspace_states`, what lists read) are derived from it. A desk's role may write its
/// workspaces' rows, so a hand-made change is possible: a summary that cannot be read is ignored
/// and its workspace loaded instead, and `verify` names any row that is not the journal's.
@Suite("PostgreSQL derived tables", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresCacheTamperTests {
    /// A ledger with acme (100 credits, one charge of 6) on a fresh database; its URL.
    private func acme(_ cli: CLI) throws -> String {
        try cli.ok("init", "--catalog", "konfiwear")
        try cli.ok("workspace", "create", "acme", "--name", "Acme Tees", "--owner", "acme-owner", "--plan", "pro")
        try cli.ok("adjust", "acme", "100", "--reason", "opening credits")
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", "--as", "acme-owner")
        return try #require(cli.environment["CREDITDESK_LEDGER"])
    }

    @Test("verify names a balances row that is not the journal's, in words for PostgreSQL")
    func verifyFindsAForgedBalanceRow() throws {
        let (cli, drop) = try PostgresForCLI.cli()
        defer { drop() }
        let url = try acme(cli)
        try cli.ok("verify")
        let forged = try PostgresForCLI.psql(url, "UPDATE creditdesk.balances SET balance = 999999, earned = 1000005 WHERE workspace = 'acme'")
        try #require(forged.status == 0, "\(forged)")

        let verify = try cli.run("verify")
        #expect(verify.status == 2, "\(verify)")
        #expect(verify.stderrLines.count == 1, "\(verify)")
        #expect(verify.stderr.contains("creditdesk.balances says workspace acme has balance 999999"), "\(verify)")
        #expect(verify.stderr.contains("but the journal says balance 94"), "\(verify)")
        #expect(!verify.stderr.contains("journal.jsonl") && !verify.stderr.contains("record seq 0"), "\(verify)")
    }

    @Test("an unreadable stored summary is ignored with one line, the list shows the journal's balance, and verify names it")
    func unreadableSummaryIsACacheMiss() throws {
        let (cli, drop) = try PostgresForCLI.cli()
        defer { drop() }
        let url = try acme(cli)
        let broken = try PostgresForCLI.psql(url, #"UPDATE creditdesk.workspace_states SET summary = '\x00' WHERE workspace = 'acme'"#)
        try #require(broken.status == 0, "\(broken)")

        let list = try cli.run("workspace", "list", "--json")
        #expect(list.status == 0, "\(list)")
        #expect(list.stdout.contains(#""workspace":"acme""#) && list.stdout.contains(#""balance":94"#), "\(list)")
        #expect(list.stderrLines.count == 1, "\(list)")
        #expect(list.stderr.contains("the stored summary of workspace acme (creditdesk.workspace_states)"), "\(list)")

        let verify = try cli.run("verify")
        #expect(verify.status == 2, "\(verify)")
        #expect(verify.stderr.contains("the stored summary of workspace acme (creditdesk.workspace_states) does not match the journal"), "\(verify)")
        // The next write to acme stores it again.
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-2", "--as", "acme-owner")
        try cli.ok("verify")
    }
}
