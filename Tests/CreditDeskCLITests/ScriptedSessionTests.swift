import Foundation
import Testing

/// The README's session on the konfiwear catalog, command by command, through the real binary:
/// what each prints, the `--json` shapes of CONTRACT.md, and idempotent repeats.
@Suite("Scripted session (konfiwear)")
struct ScriptedSessionTests {
    static let balanceKeys = ["workspace", "plan", "balance", "earned", "spent", "badge"]
    static let workspaceRowKeys = ["workspace", "name", "owner", "plan", "status", "balance", "badge"]
    static let historyKeys = ["seq", "time", "kind", "credits", "balance", "actor"]
    static let referenceKeys = ["job", "item", "pack", "invoice", "reason"]
    static let creditKinds: Set<String> = ["grant", "topup", "charge", "refund", "adjustment", "expiry"]
    static let badges: Set<String> = ["comfortable", "low", "critical"]

    @Test("every contract command on konfiwear: output, JSON keys, idempotent repeats")
    func scriptedSession() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let maria = People.support, sam = People.owner, lee = People.member

        // init: the caller becomes the first support agent; the ledger directory takes shape.
        let created = try cli.ok("init", "--catalog", "konfiwear", as: maria)
        #expect(created.stdout.contains("konfiwear"))
        #expect(created.stdout.contains(maria))
        #expect(FileManager.default.fileExists(atPath: cli.journalPath))
        #expect(FileManager.default.fileExists(atPath: cli.ledger + "/catalog.json"))
        for folder in ["tmp", "new", "cur"] {
            #expect(FileManager.default.fileExists(atPath: cli.ledger + "/outbox/" + folder), "outbox/\(folder)")
        }
        // init again on the same ledger is refused.
        #expect(try cli.run("init", as: maria).status == 1)

        try cli.ok("operator", "add", People.support2, "--role", "support", as: maria)
        try cli.ok("workspace", "create", "acme", "--name", "Acme Tees", "--owner", sam, "--plan", "pro", as: maria)
        try cli.ok("workspace", "create", "globex", "--name", "Globex", "--owner", "gina", "--plan", "starter", "--trial",
                   as: People.support2)
        try cli.ok("workspace", "add-member", "acme", lee, as: sam)

        // R10: the Pro grant, once per invoice.
        let grant = try cli.ok("invoice-paid", "acme", "--invoice", "inv-1", as: maria)
        #expect(grant.stdout.contains("+50"))
        let grantAgain = try cli.ok("invoice-paid", "acme", "--invoice", "inv-1", as: maria)
        #expect(grantAgain.output.lowercased().contains("already"), "\(grantAgain)")
        #expect(try cli.balance().int("balance") == 50)

        // R15: a pack lands at once.
        let topup = try cli.ok("topup", "acme", "topup_200", as: sam)
        #expect(topup.stdout.contains("2,200") || topup.stdout.contains("2200"), "\(topup)")
        #expect(try cli.balance().int("balance") == 2_250)

        // R6: one charge per job.
        let charge = try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: lee)
        #expect(charge.stdout.contains("-6"), "\(charge)")
        #expect(charge.stdout.contains("2,244"), "\(charge)")
        let chargeAgain = try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: lee)
        #expect(chargeAgain.output.lowercased().contains("already"), "\(chargeAgain)")
        #expect(try cli.balance().int("balance") == 2_244)

        // R5: a late failure is refunded in full, once.
        let refund = try cli.ok("job-failed", "acme", "--job", "j-1", as: lee)
        #expect(refund.stdout.contains("+6"), "\(refund)")
        let refundAgain = try cli.ok("job-failed", "acme", "--job", "j-1", as: lee)
        #expect(refundAgain.output.lowercased().contains("already"), "\(refundAgain)")
        // R4: a job that failed before it was charged costs nothing.
        try cli.ok("job-failed", "acme", "--job", "never-charged", as: lee)
        #expect(try cli.balance().int("balance") == 2_250)

        // R7: clones are one-time.
        let clone = try cli.ok("clone", "acme", "design", "d-9", as: lee)
        #expect(clone.stdout.contains("-100"), "\(clone)")
        let cloneAgain = try cli.ok("clone", "acme", "design", "d-9", as: lee)
        #expect(cloneAgain.output.lowercased().contains("already"), "\(cloneAgain)")
        #expect(try cli.balance().int("balance") == 2_150)

        // R19 adjustments (signed), S3 grant (konfiwear: never expires).
        try cli.ok("adjust", "acme", "-10", "--reason", "duplicate upload", as: maria)
        try cli.ok("adjust", "acme", "+25", "--reason", "goodwill", as: People.support2)
        try cli.ok("grant", "acme", "20", "--kind", "promo", "--reason", "launch week", as: maria)
        #expect(try cli.balance().int("balance") == 2_185)

        // R9: Copilot never touches credits.
        let copilot = try cli.ok("copilot", "acme", "--messages", "3", as: lee)
        #expect(!copilot.stdout.contains("balance"), "\(copilot)")
        let afterCopilot = try cli.balance()
        #expect(afterCopilot.int("balance") == 2_185)
        #expect(afterCopilot.int("copilot_used") == 3)

        // R13: the plan in force when the invoice is paid decides the grant.
        try cli.ok("plan", "acme", "enterprise", as: sam)
        let enterpriseGrant = try cli.ok("invoice-paid", "acme", "--invoice", "inv-2", as: maria)
        #expect(enterpriseGrant.stdout.contains("+200"), "\(enterpriseGrant)")

        // R12: trial workspaces get no grant; ending the trial makes them active.
        #expect(try cli.run("invoice-paid", "globex", "--invoice", "g-1", as: maria).status == 1)
        try cli.ok("trial", "globex", "end", as: "gina")
        #expect(try cli.balance("globex").string("status") == "active")
        try cli.ok("trial", "globex", "start", as: "gina")
        #expect(try cli.balance("globex").string("status") == "trial")

        // R14: a cancelled workspace keeps using its balance.
        try cli.ok("cancel", "acme", as: sam)
        let afterCancel = try cli.ok("charge", "acme", "print_file", "--job", "j-2", as: lee)
        #expect(afterCancel.stdout.contains("-4"), "\(afterCancel)")

        // balance --json: the contract's keys, R21's identity, R20's badge.
        let balance = try cli.balance(as: sam)
        for key in Self.balanceKeys { #expect(balance[key] != nil, "balance --json lacks \(key): \(balance)") }
        #expect(balance.string("workspace") == "acme")
        #expect(balance.string("plan") == "enterprise")
        #expect(balance.int("balance") == 2_381)
        #expect(balance.int("earned") == 2_495)   // 50 + 2,200 + 25 + 20 + 200
        #expect(balance.int("spent") == 114)      // 6 − 6 + 100 + 10 + 4
        #expect(balance.string("badge") == "comfortable")
        #expect(try cli.balance("globex").string("badge") == "critical")
        // The member sees the same; the text view shows the number and the badge in words.
        #expect(try cli.balance(as: lee).int("balance") == 2_381)
        let text = try cli.ok("balance", "acme", as: sam)
        #expect(text.stdout.contains("2,381"), "\(text)")
        #expect(text.stdout.lowercased().contains("comfortable"), "\(text)")
        #expect(text.stdout.contains("2,495") && text.stdout.contains("114"), "\(text)")

        // history --json: newest first, the contract's keys, a reference on every entry (R22).
        let history = try cli.history(as: lee)
        // grants inv-1, inv-2 and promo · topup · charges j-1, d-9, j-2 · refund · 2 adjustments
        #expect(history.count == 10)
        let seqs = history.compactMap { $0.int("seq") }
        #expect(seqs.count == history.count)
        #expect(seqs == seqs.sorted(by: >), "history is not newest first: \(seqs)")
        for entry in history {
            for key in Self.historyKeys { #expect(entry[key] != nil, "history entry lacks \(key): \(entry)") }
            #expect(Self.referenceKeys.contains { entry[$0] != nil }, "history entry has no reference: \(entry)")
            #expect(Self.creditKinds.contains(entry.string("kind") ?? ""), "\(entry)")
            #expect(isISO8601UTC(entry.string("time") ?? ""), "\(entry)")
        }
        #expect(history.first?.int("balance") == 2_381)
        #expect(history.compactMap { $0.int("credits") }.reduce(0, +) == 2_381)
        let kinds = history.map { $0.string("kind") ?? "" }
        #expect(kinds.filter { $0 == "grant" }.count == 3)
        #expect(kinds.filter { $0 == "charge" }.count == 3)
        #expect(kinds.filter { $0 == "refund" }.count == 1)
        #expect(kinds.filter { $0 == "topup" }.count == 1)
        #expect(kinds.filter { $0 == "adjustment" }.count == 2)
        let firstCharge = try #require(history.first { $0.string("job") == "j-1" && $0.string("kind") == "charge" })
        #expect(firstCharge.string("actor") == lee)   // R17: who ran it
        #expect(firstCharge.int("credits") == -6)
        #expect(history.first { $0.string("kind") == "topup" }?.string("pack") == "topup_200")
        #expect(history.first { $0.string("item") == "d-9" }?.int("credits") == -100)
        #expect(history.contains { $0.string("invoice") == "inv-2" && $0.int("credits") == 200 })
        #expect(history.contains { $0.string("reason") == "duplicate upload" && $0.int("credits") == -10 && $0.string("actor") == maria })

        // --kind and --limit.
        let charges = try cli.history("acme", ["--kind", "charge", "--limit", "2"], as: sam)
        #expect(charges.count == 2)
        #expect(charges.allSatisfy { $0.string("kind") == "charge" })
        #expect(charges.first?.string("job") == "j-2")
        let textHistory = try cli.ok("history", "acme", as: sam)
        #expect(textHistory.stdout.contains("j-1") && textHistory.stdout.contains("duplicate upload"), "\(textHistory)")

        // workspace list --json: support sees all, others their own.
        let all = try #require(try cli.ok("workspace", "list", "--json", as: maria).jsonArray())
        #expect(all.map { $0.string("workspace") ?? "" }.sorted() == ["acme", "globex"])
        for row in all {
            for key in Self.workspaceRowKeys { #expect(row[key] != nil, "workspace list row lacks \(key): \(row)") }
            #expect(["trial", "active", "cancelled"].contains(row.string("status") ?? ""), "\(row)")
            #expect(Self.badges.contains(row.string("badge") ?? ""), "\(row)")
        }
        let acmeRow = try #require(all.first { $0.string("workspace") == "acme" })
        #expect(acmeRow.string("name") == "Acme Tees")
        #expect(acmeRow.string("owner") == sam)
        #expect(acmeRow.string("plan") == "enterprise")
        #expect(acmeRow.string("status") == "cancelled")
        #expect(acmeRow.int("balance") == 2_381)
        let globexRow = try #require(all.first { $0.string("workspace") == "globex" })
        #expect(globexRow.string("status") == "trial")
        #expect(globexRow.int("balance") == 0)
        #expect(globexRow.string("badge") == "critical")
        #expect(try cli.ok("workspace", "list", "--json", as: sam).jsonArray().map { $0.string("workspace") } == ["acme"])
        #expect(try cli.ok("workspace", "list", "--json", as: lee).jsonArray().map { $0.string("workspace") } == ["acme"])
        #expect(try cli.ok("workspace", "list", "--json", as: "gina").jsonArray().map { $0.string("workspace") } == ["globex"])
        #expect(try cli.ok("workspace", "list", "--json", as: People.stranger).jsonArray().isEmpty)
        let table = try cli.ok("workspace", "list", as: maria)
        #expect(table.stdout.contains("acme") && table.stdout.contains("globex"), "\(table)")

        // budget and export have their own tests; here: they run on this ledger.
        try cli.ok("budget", "--action", "ai_graphic=10", "--workspace", "acme", as: sam)
        try cli.ok("export", "acme", "--format", "csv", as: sam)

        // verify: the whole chain is intact.
        let verify = try cli.ok("verify")
        #expect(verify.stdout.hasPrefix("ok"), "\(verify)")
        let verifyJSON = try cli.ok("verify", "--json").jsonObject()
        #expect(verifyJSON["ok"] as? Bool == true)
        #expect(verifyJSON.int("records") == Int64(try cli.journalRecords().count))
    }

    @Test("--json prints one JSON value on standard output and nothing else")
    func jsonOutputIsOneValue() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        for arguments in [["balance", "acme", "--json"], ["history", "acme", "--json"], ["workspace", "list", "--json"],
                          ["charge", "acme", "ai_graphic", "--job", "x1", "--json"],
                          ["charge", "acme", "ai_graphic", "--job", "x1", "--json"],
                          ["verify", "--json"]] {
            let actor = arguments[0] == "charge" ? People.member : People.support
            let result = try cli.ok(arguments, as: actor)
            #expect(result.stdoutLines.count == 1, "\(result)")
            #expect(throws: Never.self) { try result.json() }
            #expect(result.stderr.isEmpty, "\(result)")
        }
    }
}
