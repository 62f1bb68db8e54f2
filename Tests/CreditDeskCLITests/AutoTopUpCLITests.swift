import Foundation
import Testing

/// R37–R39 auto top-up through the real binary and the file ledger's outbox.
@Suite("Auto top-up")
struct AutoTopUpCLITests {
    /// acme with `credits` and the owner's rule: below 20, topup_50, at most $100 a month.
    static func ledger(credits: Int64 = 26, cap: String = "100") throws -> CLI {
        let cli = try CLI()
        try cli.makeAcme(credits: credits)
        try cli.ok("auto-topup", "set", "acme", "--below", "20", "--pack", "topup_50", "--monthly-cap", cap, as: People.owner)
        return cli
    }

    /// The outbox messages whose file name names `kind`.
    static func mail(_ cli: CLI, _ kind: String) throws -> [String] {
        try cli.files(in: cli.outboxNew).filter { $0.hasSuffix("_\(kind).creditdesk") }.map {
            try String(contentsOfFile: cli.outboxNew + "/" + $0, encoding: .utf8)
        }
    }

    @Test("R37: the charge that crosses the threshold writes one request and a message for billing; the payment answers it; verify replays it")
    func R37_crossingWritesARequestTheBillingSideAnswers() throws {
        let cli = try Self.ledger()
        defer { cli.remove() }
        let crossing = try cli.run("charge", "acme", "ai_graphic", "--job", "j-1", "--json", as: People.member)
        #expect(crossing.status == 0, "\(crossing)")
        let entries = try #require(try crossing.jsonObject()["entries"] as? [[String: Any]])
        let request = try #require(entries.first { $0.string("alert") == "topup_request" })
        let id = try #require(request.string("request"))
        #expect(request.string("pack") == "topup_50" && request.int("price_cents") == 5_000)
        let mails = try Self.mail(cli, "topup_request")
        #expect(mails.count == 1 && mails[0].contains("To: CreditDesk billing <billing@creditdesk.localhost>"))
        #expect(mails[0].contains("X-CreditDesk-Request: \(id)") && mails[0].contains("creditdesk topup-declined acme --request \(id)"))
        let again = try cli.run("charge", "acme", "ai_graphic", "--job", "j-2", "--json", as: People.member)
        #expect(!again.stdout.contains("topup_request"), "one request per crossing")
        let shown = try cli.run("auto-topup", "show", "acme", "--json", as: People.owner).jsonObject()
        #expect(shown.string("status") == "active" && (shown["pending"] as? [String: Any])?.string("request") == id)
        let paid = try cli.run("topup", "acme", "topup_50", "--payment", "pay-1", as: People.support)
        #expect(paid.status == 0 && paid.stdout.contains("answers top-up request \(id)"), "\(paid)")
        let after = try cli.run("auto-topup", "show", "acme", "--json", as: People.member).jsonObject()
        #expect(after.int("spent_cents") == 5_000 && after["pending"] == nil && after.int("monthly_cap_cents") == 10_000)
        #expect(try cli.run("verify").status == 0)
    }

    @Test("R38: the second paid request warns at 80, 90 and 100 percent; past the cap no request is written, the owner is told once")
    func R38_capWarningsAndCapReached() throws {
        let cli = try Self.ledger()
        defer { cli.remove() }
        for round in 1...2 {
            try cli.ok("charge", "acme", "ai_graphic", "--job", "a-\(round)", as: People.member)
            try cli.ok("topup", "acme", "topup_50", "--payment", "pay-\(round)", as: People.support)
            try cli.ok("adjust", "acme", "-500", "--reason", "spent elsewhere", as: People.support)
        }
        #expect(try Self.mail(cli, "auto_topup_80").count == 1 && Self.mail(cli, "auto_topup_100").count == 1)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "b-1", as: People.member)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "b-2", as: People.member)
        #expect(try Self.mail(cli, "topup_request").count == 2, "none past the cap")
        let capped = try Self.mail(cli, "auto_topup_cap")
        #expect(capped.count == 1 && capped.first?.contains("To: \"sam\" <sam@localhost>") == true, "the owner is told: \(capped)")
        let text = try cli.run("auto-topup", "show", "acme", as: People.owner)
        #expect(text.stdout.contains("this month $100.00 of $100.00 (100%)"), "\(text)")
        #expect(try cli.run("verify").status == 0)
    }

    @Test("R39: three declines in a row pause the rule and mail the owner; resume re-enables it; a wrong request id is refused")
    func R39_declinesPauseAndResume() throws {
        let cli = try Self.ledger(credits: 26)
        defer { cli.remove() }
        var clock = Date(timeIntervalSince1970: 1_768_035_600) // 2026-01-10T09:00:00Z
        func at(_ date: Date) -> [String: String] { ["CREDITDESK_NOW": ISO8601DateFormatter().string(from: date)] }
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-0", as: People.member)
        let wrong = try cli.run("topup-declined", "acme", "--request", "auto-999", as: People.support)
        #expect(wrong.status == 1 && wrong.stderr.contains("auto-999 is not a pending top-up request of workspace acme; the pending request is auto-"), "\(wrong)")
        let byOwner = try cli.run("topup-declined", "acme", "--request", "auto-999", as: People.owner)
        #expect(byOwner.status == 1 && byOwner.stderr.contains("not permitted"), "\(byOwner)")
        for round in 0..<3 {
            let pending = try cli.run("auto-topup", "show", "acme", "--json", as: People.owner, environment: at(clock)).jsonObject()
            let id = try #require((pending["pending"] as? [String: Any])?.string("request"), "round \(round)")
            try cli.ok("topup-declined", "acme", "--request", id, "--reason", "card declined", as: People.support, environment: at(clock))
            clock += Double(3_600 << round)
            try cli.ok("charge", "acme", "print_file", "--job", "p-\(round)", as: People.member, environment: at(clock))
        }
        let paused = try cli.run("auto-topup", "show", "acme", "--json", as: People.owner, environment: at(clock)).jsonObject()
        #expect(paused.string("status") == "paused" && paused["pending"] == nil && paused.int("declines_in_a_row") == 3)
        let mails = try Self.mail(cli, "auto_topup_paused")
        #expect(mails.count == 1 && mails[0].contains("auto top-up paused"))
        let resumed = try cli.run("auto-topup", "resume", "acme", "--json", as: People.owner, environment: at(clock))
        #expect(resumed.status == 0 && resumed.stdout.contains("topup_request"), "resuming while low asks at once: \(resumed)")
        #expect(try cli.run("verify").status == 0)
    }

    @Test("R37: a bad rule is one line on stderr and writes nothing: exit 64 for the command line, 1 for the rules")
    func R37_badRulesWriteNothing() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 50)
        let before = cli.journalBytes().count
        let cases: [([String], Int32, String)] = [
            (["--below", "20", "--monthly-cap", "100"], 64, "give exactly one of --pack and --to-balance"),
            (["--below", "x", "--pack", "topup_50", "--monthly-cap", "100"], 64, "--below \"x\" must be a whole number"),
            (["--below", "20", "--pack", "topup_50", "--monthly-cap", "1.234"], 64, "--monthly-cap \"1.234\" must be dollars"),
            (["--below", "20", "--pack", "topup_100", "--monthly-cap", "50"], 1, "the monthly cap $50.00 is below the price of topup_100"),
            (["--below", "20", "--pack", "topup_9", "--monthly-cap", "50"], 1, "unknown pack \"topup_9\""),
            (["--below", "20", "--to-balance", "10", "--monthly-cap", "50"], 1, "--to-balance must be above --below"),
        ]
        for (options, status, message) in cases {
            let result = try cli.run(["auto-topup", "set", "acme"] + options, as: People.owner)
            #expect(result.status == status && result.stderr.contains(message), "\(options): \(result)")
            #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result)")
        }
        let member = try cli.run("auto-topup", "set", "acme", "--below", "20", "--pack", "topup_50", "--monthly-cap", "100", as: People.member)
        #expect(member.status == 1 && member.stderr.contains("not permitted"), "\(member)")
        #expect(cli.journalBytes().count == before, "nothing written")
        let off = try cli.run("auto-topup", "off", "acme", as: People.owner)
        #expect(off.status == 0 && off.stdout.contains("already so"), "\(off)")
    }
}
