import Foundation
import Testing

/// CONTRACT.md "Exit status": 1 for a rule's refusal (one line on standard error), 64 for a wrong
/// command line, 2 for a damaged ledger — and in every one of those cases nothing is written.
@Suite("Exit statuses")
struct ExitStatusTests {
    @Test("R8: too few credits exits 1 with one line naming cost, balance and shortfall")
    func R8_insufficientCreditsExitsOneWithNumbers() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 50)
        let before = try cli.journal()

        let refused = try cli.run("clone", "acme", "product", "p-1", as: People.member)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stdout.isEmpty, "\(refused)")
        #expect(refused.stderrLines.count == 1, "\(refused)")
        let line = refused.stderrLines.first ?? ""
        #expect(number(after: "costs", in: line) == 500, "\(line)")
        #expect(number(after: "balance is", in: line) == 50, "\(line)")
        #expect(number(after: "short by", in: line) == 450, "\(line)")
        #expect(line.contains("topup_50"), "the smallest pack that covers it: \(line)")
        #expect(try cli.journal() == before, "a refused charge wrote to the journal")

        let charge = try cli.run("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)
        #expect(charge.status == 0, "\(charge)")
        try cli.ok("adjust", "acme", "-43", "--reason", "leave one", as: People.support)
        let short = try cli.run("charge", "acme", "ai_graphic", "--job", "j-2", as: People.member)
        #expect(short.status == 1, "\(short)")
        #expect(short.stderrLines.count == 1, "\(short)")
        #expect(number(after: "costs", in: short.stderr) == 6, "\(short)")
        #expect(number(after: "balance is", in: short.stderr) == 1, "\(short)")
        #expect(number(after: "short by", in: short.stderr) == 5, "\(short)")
        #expect(try cli.balance().int("balance") == 1)
    }

    @Test("unknown workspace, pack or action exits 1 with one line and writes nothing")
    func unknownThingsExitOne() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let before = try cli.journal()
        for (arguments, actor) in [
            (["charge", "nowhere", "ai_graphic", "--job", "j"], People.member),
            (["balance", "nowhere"], People.support),
            (["topup", "acme", "topup_7"], People.owner),
            (["charge", "acme", "ai_juggling", "--job", "j"], People.member),
            (["charge", "acme", "image", "--job", "j"], People.member),   // sofia's action, not konfiwear's
        ] {
            let result = try cli.run(arguments, as: actor)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrLines.count == 1, "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
        }
        #expect(try cli.journal() == before)
    }

    @Test("a wrong command line exits 64 and writes nothing")
    func badCommandLineExits64() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let before = try cli.journal()
        for (arguments, actor) in [
            (["charge", "acme", "ai_graphic", "--job", "j-1", "--bogus"], People.member),     // unknown flag
            (["charge", "acme", "ai_graphic"], People.member),                                // missing --job
            (["adjust", "acme", "abc", "--reason", "x"], People.support),                     // non-numeric amount
            (["adjust", "acme", "+2.5", "--reason", "x"], People.support),                    // not whole
            (["grant", "acme", "ten", "--kind", "promo", "--reason", "x"], People.support),   // non-numeric amount
            (["grant", "acme", "10", "--kind", "gift", "--reason", "x"], People.support),     // unknown kind
            (["history", "acme", "--limit", "x"], People.support),
            (["history", "acme", "--kind", "teleport"], People.support),
            (["budget", "--action", "ai_graphic=x"], People.support),
            (["charge", "acme", "ai_graphic", "--job", "j-1", "--now", "yesterday"], People.member),
            (["frobnicate"], People.support),                                                 // unknown command
        ] {
            let result = try cli.run(arguments, as: actor)
            #expect(result.status == 64, "\(result)")
            #expect(!result.stderr.isEmpty, "\(result)")
        }
        #expect(try cli.journal() == before)
        #expect(try cli.balance().int("balance") == 100)
    }

    @Test("a damaged journal: every command exits 2 and the journal bytes stay as they were")
    func damagedLedgerExitsTwo() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        for job in ["j-1", "j-2", "j-3", "j-4"] {
            try cli.ok("charge", "acme", "ai_graphic", "--job", job, as: People.member)
        }
        // Flip one byte in the middle of the journal.
        var bytes = try cli.journal()
        let middle = bytes.count / 2
        bytes[middle] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: cli.journalPath))
        let damaged = try cli.journal()
        #expect(damaged != Data())

        for (arguments, actor) in [
            (["balance", "acme"], People.owner),
            (["charge", "acme", "ai_graphic", "--job", "j-5"], People.member),
            (["adjust", "acme", "+5", "--reason", "x"], People.support),
            (["verify"], People.support),
        ] {
            let result = try cli.run(arguments, as: actor)
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.lowercased().contains("damaged") || result.stderr.contains("seq"), "\(result)")
            #expect(try cli.journal() == damaged, "`\(arguments.joined(separator: " "))` changed the journal")
        }
        #expect(cli.files(in: cli.outboxNew).isEmpty)
    }

    @Test("--now earlier than the ledger's last entry is refused; nothing is written")
    func nowBeforeLastEntryIsRefused() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", "--now", "2026-03-01T12:00:00Z", as: People.member)
        let before = try cli.journal()

        let earlier = try cli.run("charge", "acme", "ai_graphic", "--job", "j-2", "--now", "2026-03-01T11:59:59Z", as: People.member)
        #expect(earlier.status == 1, "\(earlier)")
        #expect(earlier.stderrLines.count == 1, "\(earlier)")
        #expect(earlier.stderr.contains("earlier"), "\(earlier)")
        // CREDITDESK_NOW (2026-01-10) is now behind the journal as well.
        let fromEnvironment = try cli.run("adjust", "acme", "+1", "--reason", "x", as: People.support)
        #expect(fromEnvironment.status == 1, "\(fromEnvironment)")
        #expect(try cli.journal() == before)

        // The same time as the last entry, or later, is fine.
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-3", "--now", "2026-03-01T12:00:00Z", as: People.member)
        let history = try cli.history("acme", ["--now", "2026-03-01T12:00:00Z"])
        #expect(history.first?.string("time") == "2026-03-01T12:00:00Z")
    }
}
