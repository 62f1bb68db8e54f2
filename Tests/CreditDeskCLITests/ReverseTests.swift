import Foundation
import Testing

/// `reverse WS SEQ --reason TEXT` through the real binary (R34): the linked entry in the journal
/// and the history, the repeat that changes nothing, the named refusals and their exit codes,
/// and a journal that still verifies.
@Suite struct ReverseTests {
    @Test("R34: reverse writes a linked adjustment; a repeat exits 0 naming it; verify accepts it")
    func R34_reverseIsLinkedIdempotentAndVerifies() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let grant = try cli.ok("grant", "acme", "50", "--kind", "promo", "--reason", "launch", "--json", as: People.support).jsonObject()
        let grantSeq = try #require(((grant["entries"] as? [[String: Any]])?.first)?.int("seq"))
        let reversed = try cli.ok("reverse", "acme", "\(grantSeq)", "--reason", "wrong workspace", "--json", as: People.support).jsonObject()
        let entry = try #require((reversed["entries"] as? [[String: Any]])?.first)
        #expect(entry.int("reverses") == grantSeq)
        #expect(entry.int("credits") == -50)
        #expect(reversed.int("balance") == 100)
        let journal = try cli.journalRecords()
        #expect(journal.last?.int("reverses") == grantSeq)
        let before = try cli.journal()
        let again = try cli.run("reverse", "acme", "#\(grantSeq)", "--reason", "again", as: People.support)
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.contains("already reversed: entry #\(grantSeq) was reversed by entry #\(entry.int("seq") ?? 0)"), "\(again)")
        #expect(try cli.journal() == before)
        let history = try cli.ok("history", "acme", "--json", as: People.support).jsonArray()
        #expect(history.first?.int("reverses") == grantSeq)
        let verified = try cli.run("verify")
        #expect(verified.status == 0, "\(verified)")
    }

    @Test("R34, R35: reversing an adjustment or plan grant whose credits are held is refused in one line, exit 1, nothing written", arguments: ["adjust", "grant"])
    func R34_reverseOfHeldCreditsIsRefused(original: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init", "--catalog", original == "grant" ? "sofia" : "konfiwear", as: People.support)
        try cli.ok("workspace", "create", "v", "--name", "V", "--owner", "vo", "--plan", "pro", as: People.support)
        if original == "grant" {
            try cli.ok("invoice-paid", "v", "--invoice", "i1", as: People.support)
        } else {
            try cli.ok("adjust", "v", "+10", "--reason", "paid", as: People.support)
        }
        let seq = try #require(try cli.journalRecords().last { ["grant", "adjustment"].contains($0.string("kind") ?? "") }?.int("seq"))
        try cli.ok("hold", "v", original == "grant" ? "image" : "ai_graphic", "--job", "h1", as: "vo")
        let before = try cli.journal()
        let result = try cli.run("reverse", "v", "\(seq)", "--reason", "typo", as: People.support)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrLines.count == 1 && result.stderr.contains("only") && result.stderr.contains("are not held: release or capture the holds first (R34)"), "\(result)")
        #expect(try cli.journal() == before)
        #expect(try cli.run("verify").status == 0)
    }

    @Test(arguments: [
        (["reverse", "acme", "SEQ_CHARGE", "--reason", "x"], People.support, Int32(1), "is a charge: a failed job is refunded with job-failed"),
        (["reverse", "acme", "SEQ_TOPUP", "--reason", "x"], People.support, 1, "is a top-up"),
        (["reverse", "acme", "SEQ_GIFT", "--reason", "x"], People.support, 1, "it would go below zero"),
        (["reverse", "acme", "999", "--reason", "x"], People.support, 1, "no entry #999 in workspace acme"),
        (["reverse", "acme", "SEQ_GIFT", "--reason", "x"], People.owner, 1, "not permitted"),
        (["reverse", "acme", "SEQ_GIFT", "--reason", " "], People.support, 1, "invalid reason"),
        (["reverse", "acme", "twelve", "--reason", "x"], People.support, 64, "must be a sequence number"),
        (["reverse", "acme", "SEQ_GIFT"], People.support, 64, "--reason"),
    ])
    func R34_refusalsNameWhyAndWriteNothing(arguments: [String], actor: String, status: Int32, says: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme()
        try cli.ok("adjust", "acme", "+10", "--reason", "gift", as: People.support)
        try cli.ok("topup", "acme", "topup_50", as: People.owner)
        try cli.ok("clone", "acme", "product", "p-1", as: People.member)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)
        let seqs = try cli.journalRecords().reduce(into: [String: Int64]()) { found, record in
            let key = record.string("kind") == "adjustment" ? "SEQ_GIFT" : record.string("kind") == "topup" ? "SEQ_TOPUP"
                : record.string("kind") == "charge" ? "SEQ_CHARGE" : ""
            if !key.isEmpty, found[key] == nil, let seq = record.int("seq") { found[key] = seq }
        }
        let before = try cli.journal()
        let result = try cli.run(arguments.map { seqs[$0].map(String.init) ?? $0 }, as: actor)
        #expect(result.status == status, "\(result)")
        #expect(result.stderrLines.count >= 1 && result.stderr.contains(says), "\(result)")
        #expect(try cli.journal() == before, "a refused reverse wrote to the journal")
    }
}
