import Testing
@testable import CreditKit

/// The credit facts the console asks about, decided here rather than in its run loop: who spent
/// the pool this month (R17) and which entries a history search keeps (R22).
@Suite struct ConsoleQueryTests {
    /// The month's tally over a workspace's history read newest first, as the console reads it.
    static func spend(_ h: Harness, since: Timestamp) -> [MemberSpend] {
        var tally = MemberSpendTally(since: since)
        for entry in h.creditEntries().reversed() { guard tally.take(entry) else { break } }
        return tally.spend
    }

    @Test("R17: each charge counts to whoever ran it, less its refund; a refund of last month's charge is left out")
    func R17_memberSpendThisMonthNetsRefundsOfThisMonthsCharges() {
        var h = Harness.acme()
        h.fund("acme", 500)
        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "old"), as: People.member)
        h.advance(days: 40)
        let monthStart = h.clock.monthStart
        h.advance(seconds: 60)
        h.append(.jobFailed(workspace: "acme", job: "old"), as: People.member)
        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "a"), as: People.member)
        h.append(.charge(workspace: "acme", action: "print_file", job: "b"), as: People.owner)
        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "c"), as: People.owner)
        h.append(.jobFailed(workspace: "acme", job: "c"), as: People.support)
        h.append(.charge(workspace: "acme", action: "print_file", job: "d"), as: People.member)
        #expect(Self.spend(h, since: monthStart) == [MemberSpend(member: People.member, credits: 10),
                                                      MemberSpend(member: People.owner, credits: 4)])
    }

    @Test("R17: nobody spent anything: an empty list; the tally stops at the first entry before the month")
    func R17_memberSpendStopsAtTheMonthsStart() {
        var h = Harness.acme()
        h.fund("acme", 100)
        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "old"), as: People.member)
        h.advance(days: 40)
        var tally = MemberSpendTally(since: h.clock.monthStart)
        #expect(tally.take(h.creditEntries().last!) == false)
        #expect(tally.spend.isEmpty)
    }

    @Test("R22: a history search matches what happened, who, the kind or the reference, in any case")
    func R22_historySearchMatchesWhatWhoKindAndReference() throws {
        var h = Harness.acme()
        h.fund("acme", 100)
        let charge = try #require(h.append(.charge(workspace: "acme", action: "ai_graphic", job: "J-881"), as: People.member).first)
        let catalog = h.state.catalog
        for search in ["", "graphic", "GRAPHIC", People.member.uppercased(), "charge", "j-881"] {
            #expect(charge.matchesHistorySearch(search, catalog: catalog), "\(search)")
        }
        for search in ["topup", "print", People.support, "j-882"] {
            #expect(!charge.matchesHistorySearch(search, catalog: catalog), "\(search)")
        }
    }
}
