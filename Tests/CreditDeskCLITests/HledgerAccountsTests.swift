import Foundation
import Testing

/// `export --format hledger`: every kind posts to its own account (a void is not an expiry), and
/// an entry that moves no credits (a hold, its release) is a comment, never a 0-amount posting;
/// hledger's balances stay those of `workspace list`.
@Suite struct HledgerAccountsTests {
    static func ledgerWithVoidHoldAndRelease(_ cli: CLI) throws {
        try cli.makeAcme(credits: 100)
        try cli.ok("grant", "acme", "30", "--kind", "promo", "--reason", "launch", as: People.support)
        let grant = try #require(try cli.history("acme", ["--kind", "grant"]).first?.int("seq"))
        try cli.ok("void", "acme", "\(grant)", "--reason", "promo withdrawn", as: People.support)
        try cli.ok("hold", "acme", "ai_graphic", "--job", "h-1", as: People.member)
        try cli.ok("job-failed", "acme", "--job", "h-1", as: People.member)
        try cli.ok("hold", "acme", "ai_graphic", "--job", "h-2", as: People.member)
    }

    @Test("R36: a void posts to spent:voided, not spent:expired; holds and releases post no 0-amount line")
    func R36_voidHasItsOwnAccountAndHoldsPostNothing() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.ledgerWithVoidHoldAndRelease(cli)
        let export = try cli.ok("export", "--format", "hledger", as: People.support)
        #expect(export.stdout.contains("spent:voided  30 CR"), "\(export.stdout)")
        #expect(!export.stdout.contains("spent:expired"), "nothing expired: \(export.stdout)")
        #expect(!export.stdout.contains(" 0 CR"), "no 0-amount posting: \(export.stdout)")
        #expect(export.stdout.contains("; ") && export.stdout.contains("hold · "), "the hold is still named, as a comment: \(export.stdout)")
    }

    @Test("R21: hledger's balances equal workspace list with a void, a hold and a release in the journal",
          .enabled(if: CLI.which("hledger") != nil, "hledger is not on PATH (CI installs it): the hledger check is skipped"))
    func R21_hledgerBalancesMatchWithVoidsAndHolds() throws {
        let hledger = try #require(CLI.which("hledger"))
        let cli = try CLI()
        defer { cli.remove() }
        try Self.ledgerWithVoidHoldAndRelease(cli)
        let export = try cli.ok("export", "--format", "hledger", as: People.support)
        let file = cli.scratch + "/ledger.journal"
        try export.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let balance = try cli.runTool(hledger, ["-f", file, "bal", "workspaces:acme", "-O", "csv"])
        #expect(balance.status == 0, "\(balance)")
        let listed = try cli.balance().int("balance") ?? -1
        #expect(balance.stdout.contains("\"workspaces:acme\",\"\(listed) CR\"") || balance.stdout.contains("\"workspaces:acme\",\"\(listed)"),
                "\(listed): \(balance.stdout)")
        let accounts = try cli.runTool(hledger, ["-f", file, "accounts"])
        #expect(accounts.stdout.contains("spent:voided") && !accounts.stdout.contains("spent:expired"), "\(accounts.stdout)")
    }
}
