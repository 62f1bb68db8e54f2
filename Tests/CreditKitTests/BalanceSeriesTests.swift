import Testing
@testable import CreditKit

/// The numbers behind the workspace chart: closing balance per day and spend per week by member.
@Suite struct BalanceSeriesTests {
    let now = Timestamp(iso8601: "2026-11-30T15:00:00Z")!

    func entry(_ seq: Int64, _ time: String, _ kind: EntryKind, credits: Credits, balance: Credits,
               actor: String = "maria", ref: Int64? = nil) -> Entry {
        var entry = Entry(seq: seq, time: Timestamp(iso8601: time)!, kind: kind, actor: actor, workspace: "acme")
        entry.credits = credits
        entry.balance = balance
        entry.ref = ref
        return entry
    }

    @Test func closingBalanceCarriesForwardAndTakesTheDaysLastEntry() {
        let entries = [
            entry(1, "2026-11-27T09:00:00Z", .grant, credits: 500, balance: 500),
            entry(2, "2026-11-27T18:00:00Z", .charge, credits: -6, balance: 494),
            entry(3, "2026-11-29T10:00:00Z", .charge, credits: -4, balance: 490),
        ]
        let series = BalanceSeries(entries: entries.reversed(), days: 5, now: now)
        #expect(series.firstDay == Timestamp(iso8601: "2026-11-26T00:00:00Z")!)
        #expect(series.dailyClosing == [nil, 494, 494, 490, 490])
    }

    @Test func entriesBeforeTheWindowGiveTheOpeningBalance() {
        let entries = [entry(1, "2026-01-01T00:00:00Z", .grant, credits: 500, balance: 500)]
        #expect(BalanceSeries(entries: entries, days: 3, now: now).dailyClosing == [500, 500, 500])
    }

    @Test func entriesWithoutABalanceAreSkipped() {
        var created = Entry(seq: 1, time: Timestamp(iso8601: "2026-11-30T01:00:00Z")!, kind: .workspace, actor: "support", workspace: "acme")
        created.balance = nil
        #expect(BalanceSeries(entries: [created], days: 2, now: now).dailyClosing == [nil, nil])
    }

    @Test func weeklySpendCountsChargesLessRefundsByWhoCharged() {
        let entries = [
            entry(1, "2026-11-10T09:00:00Z", .grant, credits: 500, balance: 500, actor: "billing"),
            entry(2, "2026-11-20T09:00:00Z", .charge, credits: -6, balance: 494, actor: "maria"),
            entry(3, "2026-11-29T09:00:00Z", .charge, credits: -500, balance: 0, actor: "li"),
            entry(4, "2026-11-29T10:00:00Z", .charge, credits: -4, balance: 0, actor: "maria"),
            entry(5, "2026-11-29T11:00:00Z", .refund, credits: 4, balance: 4, actor: "support", ref: 4),
        ]
        let spend = WeeklySpend(entries: entries, weeks: 2, now: now)
        #expect(spend.firstDay == Timestamp(iso8601: "2026-11-17T00:00:00Z")!)
        #expect(spend.rows.map(\.person) == ["li", "maria"])
        #expect(spend.rows[0].weeks == [0, 500])
        #expect(spend.rows[1].weeks == [6, 0], "a refund takes its charge back out of the spend")
    }

    @Test func dayStartIsMidnightUTCBeforeTheEpochToo() {
        #expect(BalanceSeries.dayStart(of: Timestamp(secondsSinceEpoch: -1)) == Timestamp(secondsSinceEpoch: -86_400))
        #expect(BalanceSeries.dayStart(of: Timestamp(secondsSinceEpoch: 86_399)) == Timestamp(secondsSinceEpoch: 0))
    }
}
