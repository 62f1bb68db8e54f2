import Foundation
import Testing

/// R5 with S3 through the real binary (sofia): a refund gives each credit back to the parcel its
/// charge burned it from, with that parcel's expiry, so refunded credits expire, can be voided
/// and leave at renewal like the rest of their parcel.
@Suite("Refunds go back to their parcels (R5, S3)")
struct RefundParcelTests {
    static let day1 = "2026-01-01T00:00:00Z", day2 = "2026-01-02T00:00:00Z", day3 = "2026-01-03T00:00:00Z"

    /// A sofia ledger on a test clock with workspace `w` on Pro, owned by ann.
    static func sofia(_ cli: CLI) throws {
        try cli.ok("init", "--catalog", "sofia", "--now", day1, as: People.support)
        try cli.ok("workspace", "create", "w", "--name", "W", "--owner", "ann", "--plan", "pro", "--now", day1, as: People.support)
    }

    /// Ten promo credits expiring on 2026-01-05, all charged on the 2nd and all refunded on the 3rd.
    static func promoChargedAndRefunded(_ cli: CLI) throws -> Int64 {
        try sofia(cli)
        try cli.ok("grant", "w", "10", "--kind", "promo", "--reason", "welcome", "--expires", "2026-01-05T00:00:00Z", "--now", day1, as: People.support)
        let grant = try #require(try cli.ok("history", "w", "--json", "--now", day1, as: People.support).jsonArray().first?.int("seq"))
        for index in 1...10 { try cli.ok("charge", "w", "image", "--job", "i\(index)", "--now", day2, as: "ann") }
        for index in 1...10 { try cli.ok("job-failed", "w", "--job", "i\(index)", "--now", day3, as: "ann") }
        return grant
    }

    @Test("R5: refunded promo credits keep the promo's expiry: the balance a year on is 0 and the warning names them")
    func R5_refundedCreditsExpireWithTheirParcel() throws {
        let cli = try CLI()
        defer { cli.remove() }
        _ = try Self.promoChargedAndRefunded(cli)
        let now = try cli.ok("balance", "w", "--json", "--now", Self.day3, as: People.support).jsonObject()
        #expect(now.int("balance") == 10 && now.int("expiring_credits") == 10, "\(now)")
        #expect(now.string("expiring_at") == "2026-01-05T00:00:00Z", "\(now)")
        let later = try cli.ok("balance", "w", "--json", "--now", "2027-01-06T00:00:00Z", as: People.support).jsonObject()
        #expect(later.int("balance") == 0, "\(later)")
        #expect(later.int("spent") == 10, "\(later)")
        #expect(try cli.run("verify").status == 0)
    }

    @Test("R36: support voids a promo grant whose credits were all charged and refunded: the void takes the 10")
    func R36_refundedCreditsCanBeVoidedWithTheirGrant() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let grant = try Self.promoChargedAndRefunded(cli)
        let void = try cli.run("void", "w", "\(grant)", "--reason", "end promo", "--now", "2026-01-04T00:00:00Z", as: People.support)
        #expect(void.status == 0, "\(void)")
        let balance = try cli.ok("balance", "w", "--json", "--now", "2026-01-04T00:00:00Z", as: People.support).jsonObject()
        #expect(balance.int("balance") == 0, "\(balance)")
        #expect(try cli.run("verify").status == 0)
    }

    @Test("S3: plan credits charged and refunded still expire at the next renewal")
    func S3_refundedPlanCreditsExpireAtRenewal() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.sofia(cli)
        try cli.ok("invoice-paid", "w", "--invoice", "i1", "--now", Self.day1, as: People.support)
        for index in 1...3 { try cli.ok("charge", "w", "image", "--job", "p\(index)", "--now", Self.day2, as: "ann") }
        for index in 1...3 { try cli.ok("job-failed", "w", "--job", "p\(index)", "--now", Self.day3, as: "ann") }
        try cli.ok("invoice-paid", "w", "--invoice", "i2", "--now", "2026-01-31T00:00:00Z", as: People.support)
        let balance = try cli.ok("balance", "w", "--json", "--now", "2026-01-31T00:00:00Z", as: People.support).jsonObject()
        #expect(balance.int("balance") == 100, "January's 100 expired whole at renewal, refunds included: \(balance)")
        let expiry = try cli.ok("history", "w", "--json", "--kind", "expiry", "--now", "2026-01-31T00:00:00Z", as: People.support).jsonArray()
        #expect(expiry.map { $0.int("credits") } == [-100], "\(expiry)")
        #expect(try cli.run("verify").status == 0)
    }

    @Test("S3: plan credits refunded after the renewal that expired their grant leave at once")
    func S3_planCreditsRefundedAfterTheRenewalLeaveAtOnce() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.sofia(cli)
        try cli.ok("invoice-paid", "w", "--invoice", "i1", "--now", Self.day1, as: People.support)
        try cli.ok("charge", "w", "image", "--job", "p1", "--now", Self.day2, as: "ann")
        try cli.ok("invoice-paid", "w", "--invoice", "i2", "--now", "2026-01-31T00:00:00Z", as: People.support)
        // January's grant would expire by its date on 2026-02-01; the renewal expired it already.
        let late = "2026-01-31T12:00:00Z"
        try cli.ok("job-failed", "w", "--job", "p1", "--now", late, as: "ann")
        let history = try cli.ok("history", "w", "--json", "--now", late, as: People.support).jsonArray()
        #expect(history.prefix(2).map { $0.string("kind") } == ["expiry", "refund"], "\(history)")
        #expect(history.first?.int("balance") == 100, "\(history)")
        #expect(try cli.run("verify").status == 0)
    }

    @Test("R5: a refund to a parcel that has already expired gives the credit back and expires it at once, by an expiry entry")
    func R5_aRefundToAnExpiredParcelExpiresAtOnce() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.sofia(cli)
        try cli.ok("grant", "w", "10", "--kind", "promo", "--reason", "welcome", "--expires", "2026-01-05T00:00:00Z", "--now", Self.day1, as: People.support)
        try cli.ok("topup", "w", "pack_100", "--now", Self.day1, as: "ann")
        try cli.ok("charge", "w", "image", "--job", "late", "--now", Self.day2, as: "ann")
        let after = "2026-01-06T00:00:00Z"
        try cli.ok("job-failed", "w", "--job", "late", "--now", after, as: "ann")
        let history = try cli.ok("history", "w", "--json", "--now", after, as: People.support).jsonArray()
        // Newest first: the expiry of the refunded credit, the refund, then the expiry of the other 9.
        #expect(history.prefix(3).map { $0.string("kind") } == ["expiry", "refund", "expiry"], "\(history)")
        #expect(history.prefix(3).map { $0.int("credits") } == [-1, 1, -9], "\(history)")
        #expect(history.first?.int("balance") == 100, "\(history)")
        #expect(!history.contains { ($0["pending"] as? Bool) == true }, "\(history)")
        #expect(try cli.run("verify").status == 0)
    }

    @Test("S3: the expiry warning counts only what expires on the date it names")
    func S3_expiryWarningCountsOnlyTheSoonestDate() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.sofia(cli)
        try cli.ok("grant", "w", "10", "--kind", "promo", "--reason", "first", "--expires", "2026-01-05T00:00:00Z", "--now", Self.day1, as: People.support)
        try cli.ok("grant", "w", "20", "--kind", "promo", "--reason", "second", "--expires", "2026-01-07T00:00:00Z", "--now", Self.day1, as: People.support)
        let json = try cli.ok("balance", "w", "--json", "--now", Self.day2, as: People.support).jsonObject()
        #expect(json.int("expiring_credits") == 10 && json.string("expiring_at") == "2026-01-05T00:00:00Z", "\(json)")
        let text = try cli.ok("balance", "w", "--now", Self.day2, as: People.support)
        #expect(text.stdout.contains("warning: 10 credits expire by 2026-01-05"), "\(text)")
    }
}
