import Foundation
import Testing

/// R18: owners buy packs and change the plan, members run actions, support agents browse and
/// adjust; anyone else is refused (exit 1, one line) and nothing is written.
@Suite("Roles (R18)")
struct RolesTests {
    @Test("R18: a stranger is refused everything, and the journal does not change")
    func R18_strangerIsRefusedAndNothingIsWritten() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 600)
        let before = try cli.journal()
        let eve = People.stranger
        for arguments in [
            ["charge", "acme", "ai_graphic", "--job", "j-1"],
            ["clone", "acme", "design", "d-1"],
            ["job-failed", "acme", "--job", "j-1"],
            ["topup", "acme", "topup_50"],
            ["invoice-paid", "acme", "--invoice", "inv-1"],
            ["plan", "acme", "starter"],
            ["trial", "acme", "start"],
            ["cancel", "acme"],
            ["copilot", "acme", "--messages", "1"],
            ["adjust", "acme", "+100", "--reason", "free money"],
            ["grant", "acme", "100", "--kind", "promo", "--reason", "free money"],
            ["operator", "add", eve, "--role", "support"],
            ["workspace", "create", "evil", "--name", "Evil", "--owner", eve, "--plan", "pro"],
            ["workspace", "add-member", "acme", eve],
            ["balance", "acme"],
            ["history", "acme"],
            ["export", "acme", "--format", "csv"],
            ["export", "--format", "jsonl"],
        ] {
            let result = try cli.run(arguments, as: eve)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrLines.count == 1, "\(result)")
            #expect(result.stdout.isEmpty, "a refused stranger saw output: \(result)")
            #expect(try cli.journal() == before, "`\(arguments.joined(separator: " "))` by a stranger wrote to the journal")
        }
        #expect(cli.files(in: cli.outboxNew).isEmpty)
    }

    @Test("R18: each role may do only its own part")
    func R18_rolesKeepToTheirPart() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 600)
        let before = try cli.journal()
        let refusals: [([String], String)] = [
            (["topup", "acme", "topup_50"], People.member),                   // buying packs: the owner's
            (["plan", "acme", "starter"], People.member),                     // changing the plan: the owner's
            (["adjust", "acme", "+5", "--reason", "x"], People.owner),        // adjustments: support only
            (["adjust", "acme", "+5", "--reason", "x"], People.member),
            (["grant", "acme", "5", "--kind", "promo", "--reason", "x"], People.owner),
            (["invoice-paid", "acme", "--invoice", "inv-1"], People.owner),   // payments come from billing (support)
            (["operator", "add", "zoe", "--role", "support"], People.owner),
            (["workspace", "add-member", "acme", "zoe"], People.member),      // owner or support
            (["workspace", "create", "w2", "--name", "W2", "--owner", People.owner, "--plan", "pro"], People.owner),
        ]
        for (arguments, actor) in refusals {
            let result = try cli.run(arguments, as: actor)
            #expect(result.status == 1, "\(actor): \(result)")
            #expect(result.stderrLines.count == 1, "\(result)")
        }
        #expect(try cli.journal() == before)

        // And what each may do: the owner buys, the member charges, support adjusts and buys on
        // the owner's behalf (recorded as such).
        try cli.ok("topup", "acme", "topup_50", as: People.owner)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: People.owner)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-2", as: People.member)
        try cli.ok("adjust", "acme", "-2", "--reason", "fix", as: People.support)
        let onBehalf = try cli.ok("topup", "acme", "topup_50", "--json", as: People.support).jsonObject()
        let entries = try #require(onBehalf["entries"] as? [[String: Any]])
        #expect(entries.first?.string("on_behalf_of") == People.owner, "\(onBehalf)")
        #expect(entries.first?.string("actor") == People.support)
        #expect(try cli.balance().int("balance") == 600 + 500 - 6 - 6 - 2 + 500)
    }
}
