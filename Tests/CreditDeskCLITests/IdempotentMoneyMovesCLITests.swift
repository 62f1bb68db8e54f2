import Foundation
import Testing

/// R26 end to end: `topup --payment`, `adjust --request` and `grant --request` record once per
/// workspace; `verify` prints the head and `--expect-head` pins it.
@Suite struct IdempotentMoneyMovesCLITests {
    @Test func R26_topupWithTheSamePaymentBuysOnce() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme()
        let first = try cli.ok("topup", "acme", "topup_50", "--payment", "ord-1", "--json", as: People.owner).jsonObject()
        let entries = try #require(first["entries"] as? [[String: Any]])
        #expect(entries.first?.string("payment") == "ord-1")
        // A script retrying after a timeout: the same reference, exit 0, nothing bought.
        let retry = try cli.ok("topup", "acme", "topup_50", "--payment", "ord-1", as: People.owner)
        #expect(retry.stdout.contains("already recorded: payment ord-1"), "\(retry)")
        let retryJSON = try cli.ok("topup", "acme", "topup_50", "--payment", "ord-1", "--json", as: People.owner).jsonObject()
        #expect(retryJSON.string("result") == "already_recorded")
        #expect((retryJSON["original"] as? [String: Any])?.string("payment") == "ord-1")
        #expect(try cli.balance().int("balance") == 500)
        #expect(try cli.history().first?.string("payment") == "ord-1")
    }

    @Test func R26_adjustAndGrantWithTheSameRequestRecordOnce() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme()
        for _ in 0..<2 {
            try cli.ok("adjust", "acme", "+25", "--reason", "goodwill", "--request", "rq-1", as: People.support)
            try cli.ok("adjust", "acme", "-5", "--reason", "fix", "--request", "rq-2", as: People.support)
            try cli.ok("grant", "acme", "100", "--kind", "promo", "--reason", "launch", "--request", "rq-3", as: People.support)
        }
        #expect(try cli.balance().int("balance") == 120)
        let repeat_ = try cli.ok("grant", "acme", "100", "--kind", "promo", "--reason", "launch", "--request", "rq-3", as: People.support)
        #expect(repeat_.stdout.contains("already recorded: request rq-3"), "\(repeat_)")
        #expect(try cli.history().compactMap { $0.string("request") } == ["rq-3", "rq-2", "rq-1"])
    }

    @Test func R26_theSameKeyForAnotherPackOrAmountIsRefusedAndWritesNothing() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme()
        try cli.ok("topup", "acme", "topup_200", "--payment", "ord-77", as: People.owner)
        try cli.ok("adjust", "acme", "-10", "--reason", "a", "--request", "tk-1", as: People.support)
        let before = try cli.journal()
        let topup = try cli.run("topup", "acme", "topup_100", "--payment", "ord-77", as: People.owner)
        #expect(topup.status == 1 && topup.stdout.isEmpty, "\(topup)")
        #expect(topup.stderrLines.count == 1 && topup.stderr.contains("payment ord-77 was recorded by entry #")
                && topup.stderr.contains("for topup_200; this asks for topup_100"), "\(topup)")
        let adjust = try cli.run("adjust", "acme", "+20", "--reason", "b", "--request", "tk-1", "--json", as: People.support)
        #expect(adjust.status == 1 && adjust.stdout.isEmpty, "\(adjust)")
        #expect(adjust.stderr.contains("request tk-1 was recorded by entry #")
                && adjust.stderr.contains("for an adjustment of -10 credits; this asks for an adjustment of +20 credits"), "\(adjust)")
        let grant = try cli.run("grant", "acme", "10", "--kind", "promo", "--reason", "c", "--request", "tk-1", as: People.support)
        #expect(grant.status == 1, "\(grant)")
        #expect(try cli.journal() == before)
        // The same move repeated is still an idempotent repeat.
        let again = try cli.ok("topup", "acme", "topup_200", "--payment", "ord-77", "--json", as: People.owner).jsonObject()
        #expect(again.string("result") == "already_recorded")
        let sameAdjust = try cli.ok("adjust", "acme", "-10", "--reason", "typo fixed", "--request", "tk-1", as: People.support)
        #expect(sameAdjust.stdout.contains("already recorded: request tk-1"), "\(sameAdjust)")
        #expect(try cli.balance().int("balance") == 2_190)
    }

    @Test func R26_aKeyThatIsNotAnIdIsRefusedAndWritesNothing() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme()
        let before = try cli.journal()
        let refused = try cli.run("topup", "acme", "topup_50", "--payment", "two words", as: People.owner)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderrLines.count == 1 && refused.stderr.contains("payment id"), "\(refused)")
        #expect(try cli.journal() == before)
    }

    @Test func theHelpDocumentsTheKeysAndThePinnedHead() throws {
        let cli = try CLI()
        defer { cli.remove() }
        #expect(try cli.ok("topup", "--help").stdout.contains("--payment"))
        #expect(try cli.ok("adjust", "--help").stdout.contains("--request"))
        #expect(try cli.ok("grant", "--help").stdout.contains("--request"))
        #expect(try cli.ok("verify", "--help").stdout.contains("--expect-head"))
    }

    @Test func verifyPrintsTheHeadAndExpectHeadPinsIt() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let verify = try cli.ok("verify")
        let headLine = try #require(verify.stdoutLines.first { $0.hasPrefix("head ") }, "\(verify)")
        let head = String(headLine.dropFirst("head ".count))
        #expect(try cli.ok("verify", "--json").jsonObject().string("head") == head)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)
        try cli.ok("verify", "--expect-head", head)

        // Cut the journal back to before the pinned record (as a rewrite would): refused, exit 2.
        let journal = try cli.journal()
        let lines = journal.split(separator: 10, omittingEmptySubsequences: false)
        let kept = lines.prefix(lines.count - 3).map { Data($0) + Data([10]) }.reduce(Data(), +)
        try kept.write(to: URL(fileURLWithPath: cli.journalPath))
        let pinned = try cli.run("verify", "--expect-head", head)
        #expect(pinned.status == 2, "\(pinned)")
        #expect(pinned.stderr.contains("is not in the chain: the journal ends at seq"), "\(pinned)")
        #expect(try cli.run("verify").status == 0)

        for bad in ["12", "x:ab", "3:" + String(repeating: "g", count: 64), "0:" + String(repeating: "a", count: 64)] {
            let result = try cli.run("verify", "--expect-head", bad)
            #expect(result.status == 64, "\(result)")
        }
    }
}
