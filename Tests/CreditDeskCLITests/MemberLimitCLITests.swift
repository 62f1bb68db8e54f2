import Foundation
import Testing

/// R40 members' monthly limits through the real binary.
@Suite("Member limits")
struct MemberLimitCLITests {
    @Test("R40: a charge past the member's limit exits 1 with what is left, writes nothing, and a refund gives the limit back")
    func R40_limitRefusesWithWhatIsLeftAndRefundsGiveItBack() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 500)
        let set = try cli.run("member-limit", "set", "acme", People.member, "10", as: People.owner)
        #expect(set.status == 0 && set.stdout.contains("member_limit · acme · lee may spend 10 credits a month"), "\(set)")
        try cli.ok("charge", "acme", "print_file", "--job", "j-1", as: People.member)
        try cli.ok("charge", "acme", "print_file", "--job", "j-2", as: People.member)
        let before = cli.journalBytes().count
        let refused = try cli.run("charge", "acme", "print_file", "--job", "j-3", as: People.member)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr == "creditdesk: monthly limit: lee has 2 of 10 credits left this month in acme; print_file costs 4, short by 2 (R40)\n", "\(refused)")
        #expect(cli.journalBytes().count == before, "nothing written")
        let held = try cli.run("hold", "acme", "print_file", "--job", "j-3", as: People.member)
        #expect(held.status == 1 && held.stderr.contains("lee has 2 of 10 credits left"), "\(held)")
        // The owner spends from the same pool without a limit.
        try cli.ok("charge", "acme", "ai_graphic", "--job", "o-1", as: People.owner)
        try cli.ok("job-failed", "acme", "--job", "j-1", as: People.member)
        let shown = try cli.run("member-limit", "show", "acme", "--json", as: People.member)
        let rows = try shown.jsonArray()
        #expect(rows.count == 1)
        #expect(rows.first?.string("member") == People.member && rows.first?.int("limit") == 10)
        #expect(rows.first?.int("spent") == 4 && rows.first?.int("held") == 0 && rows.first?.int("left") == 6)
        #expect(rows.first?.string("month")?.wholeMatch(of: /\d{4}-\d{2}/) != nil, "the month as auto-topup show gives it (2026-01): \(rows)")
        try cli.ok("charge", "acme", "print_file", "--job", "j-3", as: People.member)
        let text = try cli.run("member-limit", "show", "acme", as: People.owner)
        #expect(text.stdout.contains("lee: 8 of 10 spent, 2 left"), "\(text)")
        #expect(try cli.run("verify").status == 0)
    }

    @Test("R40, R8: a member short of both limit and pool is told both shortfalls; after a top-up, the limit's alone")
    func R40_bothShortfallsAreNamedAndATopUpLeavesTheLimits() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 50)
        try cli.ok("member-limit", "set", "acme", People.member, "10", as: People.owner)
        let before = cli.journalBytes().count
        let both = try cli.run("clone", "acme", "design", "d1", as: People.member)
        #expect(both.status == 1 && both.stderrLines.count == 1, "\(both)")
        #expect(both.stderr.contains("lee has 10 of 10 credits left this month in acme and the balance is 50; clone_design costs 100: "
            + "short by 90 of the limit, which a top-up does not change (R40), and by 50 in the pool; smallest pack that covers it: topup_50"), "\(both)")
        #expect(cli.journalBytes().count == before, "nothing written")
        try cli.ok("topup", "acme", "topup_50", as: People.owner)
        let limit = try cli.run("clone", "acme", "design", "d1", as: People.member)
        #expect(limit.status == 1 && limit.stderr.contains("lee has 10 of 10 credits left this month in acme; clone_design costs 100, short by 90 (R40)"), "\(limit)")
    }

    @Test("R40: member-limit show as of a past --now gives that month's spend, not the latest month's")
    func R40_showAsOfAPastTimeGivesThatMonthsSpend() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 500)
        try cli.ok("member-limit", "set", "acme", People.member, "10", as: People.owner)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "a1", as: People.member)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "a2", as: People.member, environment: ["CREDITDESK_NOW": "2026-02-01T00:00:00Z"])
        let january = try cli.run("member-limit", "show", "acme", "--json", as: People.member, environment: ["CREDITDESK_NOW": "2026-01-20T00:00:00Z"])
        let rows = try january.jsonArray()
        #expect(rows.first?.string("month") == "2026-01", "\(january)")
        #expect(rows.first?.int("spent") == 6 && rows.first?.int("left") == 4, "January's own spend as of the 20th: \(january)")
        let february = try cli.run("member-limit", "show", "acme", "--json", as: People.member, environment: ["CREDITDESK_NOW": "2026-02-02T00:00:00Z"])
        #expect(try february.jsonArray().first?.int("spent") == 6, "\(february)")
        // Before the January charge, nothing of the month was spent yet.
        let early = try cli.run("member-limit", "show", "acme", as: People.owner, environment: ["CREDITDESK_NOW": "2026-01-10T08:00:00Z"])
        #expect(early.stdout.contains("lee: 0 of 10 spent, 10 left"), "\(early)")
    }

    @Test("R40: limits stand through the checkpoint and lift with off; a repeat exits 0 and writes nothing")
    func R40_limitsStandThroughTheCheckpointAndLift() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        try cli.ok("member-limit", "set", "acme", People.member, "4", as: People.owner)
        try cli.ok("charge", "acme", "print_file", "--job", "j-1", as: People.member)
        let verify = try cli.run("verify")
        #expect(verify.status == 0, "\(verify)")
        let before = cli.journalBytes().count
        let again = try cli.run("member-limit", "set", "acme", People.member, "4", as: People.owner)
        #expect(again.status == 0 && again.stdout.contains("already so: lee's monthly limit in acme is 4 credits"), "\(again)")
        #expect(cli.journalBytes().count == before)
        let refused = try cli.run("charge", "acme", "print_file", "--job", "j-2", as: People.member)
        #expect(refused.status == 1 && refused.stderr.contains("lee has 0 of 4 credits left"), "\(refused)")
        try cli.ok("member-limit", "off", "acme", People.member, as: People.support)
        try cli.ok("charge", "acme", "print_file", "--job", "j-2", as: People.member)
        let none = try cli.run("member-limit", "show", "acme", as: People.owner)
        #expect(none.stdout.contains("no monthly limits in acme"), "\(none)")
        #expect(try cli.run("verify").status == 0)
    }

    @Test("R40, R18: members and strangers cannot set limits (exit 1); a non-member, a bad amount or a missing argument are refused; nothing is written")
    func R40_refusalsNameWhyAndWriteNothing() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let before = cli.journalBytes().count
        let member = try cli.run("member-limit", "set", "acme", People.member, "10", as: People.member)
        #expect(member.status == 1 && member.stderr.contains("not permitted: lee cannot set a member's monthly limit"), "\(member)")
        let stranger = try cli.run("member-limit", "set", "acme", People.stranger, "10", as: People.owner)
        #expect(stranger.status == 1 && stranger.stderr.contains("eve is neither the owner nor a member of workspace acme"), "\(stranger)")
        for big in ["100000001", "99999999999999999999999"] {
            let tooMuch = try cli.run("member-limit", "set", "acme", People.member, big, as: People.owner)
            #expect(tooMuch.status == 1 && tooMuch.stderr.contains("invalid amount \(big): a monthly limit is 0 to 100,000,000 credits"), "\(tooMuch)")
        }
        let negative = try cli.run("member-limit", "set", "acme", People.member, "-5", as: People.owner)
        #expect(negative.status == 64, "\(negative)")
        for bad in ["1.5", "ten"] {
            let result = try cli.run("member-limit", "set", "acme", People.member, bad, as: People.owner)
            #expect(result.status == 64 && result.stderr.contains("must be a whole number of credits"), "\(result)")
        }
        let missing = try cli.run("member-limit", "set", "acme", People.member, as: People.owner)
        #expect(missing.status == 64, "\(missing)")
        let unknown = try cli.run("member-limit", "show", "nope", as: People.support)
        #expect(unknown.status == 1 && unknown.stderr.contains("unknown workspace \"nope\""), "\(unknown)")
        #expect(cli.journalBytes().count == before, "nothing written")
    }
}
