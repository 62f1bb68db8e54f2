import Foundation
import Testing

/// The Audaces Sofia catalog (S1–S3) through the real binary: one credit per image, packs of
/// 100/300/600, expiring promotional grants, and plan credits that expire at the next renewal.
@Suite("Scripted session (sofia)")
struct SofiaSessionTests {
    @Test("S1–S3: images, packs, an expiring promo grant, plan credits expiring at renewal")
    func sofiaSession() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let ana = People.support, olga = "olga"
        let created = try cli.ok("init", "--catalog", "sofia", as: ana)
        #expect(created.stdout.contains("sofia"), "\(created)")
        try cli.ok("workspace", "create", "studio", "--name", "Studio Olga", "--owner", olga, "--plan", "pro", as: ana)

        // The Pro plan's example grant: 100.
        try cli.ok("invoice-paid", "studio", "--invoice", "i-1", as: ana)
        let planGrantSeq = try #require(try cli.history("studio").first { $0.string("invoice") == "i-1" }?.int("seq"))
        #expect(try cli.balance("studio").int("balance") == 100)

        // S1: one credit per image; a regeneration is a new job and costs again; the same job does not.
        let image = try cli.ok("charge", "studio", "image", "--job", "g-1", as: olga)
        #expect(image.stdout.contains("-1"), "\(image)")
        let repeated = try cli.ok("charge", "studio", "image", "--job", "g-1", as: olga)
        #expect(repeated.output.lowercased().contains("already"), "\(repeated)")
        try cli.ok("charge", "studio", "image", "--job", "g-1-regenerated", as: olga)
        #expect(try cli.balance("studio").int("balance") == 98)
        // konfiwear's actions and packs do not exist here.
        #expect(try cli.run("charge", "studio", "ai_graphic", "--job", "k", as: olga).status == 1)
        #expect(try cli.run("topup", "studio", "topup_50", as: olga).status == 1)

        // S2: packs of 100, 300 and 600.
        try cli.ok("topup", "studio", "pack_100", as: olga)
        try cli.ok("topup", "studio", "pack_300", as: olga)
        try cli.ok("topup", "studio", "pack_600", as: olga)
        #expect(try cli.balance("studio").int("balance") == 1_098)

        // S3: a promotional grant with its own expiry date.
        let expires = "2026-02-01T00:00:00Z"
        try cli.ok("grant", "studio", "50", "--kind", "promo", "--reason", "launch offer", "--expires", expires, as: ana)
        let promo = try #require(try cli.history("studio").first { $0.string("reason") == "launch offer" })
        #expect(promo.int("credits") == 50)
        #expect(promo.string("expires") == expires)
        let promoSeq = try #require(promo.int("seq"))
        #expect(try cli.balance("studio").int("balance") == 1_148)
        // An expiry date already past is refused, by a line that names the expiry.
        let late = try cli.run("grant", "studio", "5", "--kind", "promo", "--reason", "late", "--expires", "2026-01-01T00:00:00Z",
                               as: ana)
        #expect(late.status == 1)
        #expect(late.stderr.contains("invalid expiry: 2026-01-01T00:00:00Z is not after now"), "\(late.stderr)")

        // Burn order: soonest expiry first, so this image comes out of the promo grant (49 left).
        try cli.ok("charge", "studio", "image", "--job", "g-2", as: olga)
        #expect(try cli.balance("studio").int("balance") == 1_147)

        // A warning comes before a grant expires: within warn_days the balance names what expires.
        let soon = try cli.ok("balance", "studio", "--json", "--now", "2026-01-28T00:00:00Z", as: olga).jsonObject()
        #expect(soon.int("expiring_credits") == 49, "\(soon)")

        // After the expiry date: the next action records the expiry first, by an entry.
        let later = "2026-02-02T00:00:00Z"
        let afterExpiry = try cli.ok("charge", "studio", "image", "--job", "g-3", "--now", later, as: olga)
        #expect(afterExpiry.stdout.contains("expiry"), "\(afterExpiry)")
        cli.environment["CREDITDESK_NOW"] = later
        let history = try cli.history("studio", as: olga)
        let expiry = try #require(history.first { $0.string("kind") == "expiry" }, "no expiry entry in \(history)")
        #expect(expiry.int("credits") == -49)
        #expect(expiry.int("ref") == promoSeq)
        #expect(expiry.string("time") == later)
        #expect(history.first?.string("job") == "g-3")
        for key in ["seq", "time", "kind", "credits", "balance", "actor"] { #expect(expiry[key] != nil, "expiry lacks \(key)") }
        #expect(["job", "item", "pack", "invoice", "reason"].contains { expiry[$0] != nil }, "expiry entry has no reference: \(expiry)")
        #expect(expiry.string("reason")?.contains("#\(promoSeq)") ?? true, "\(expiry)")
        let dropped = try cli.balance("studio", as: olga)
        #expect(dropped.int("balance") == 1_097)   // 1,147 − 49 expired − 1 image
        #expect(dropped.int("earned") == 1_150)
        #expect(dropped.int("spent") == 53)        // images 4 + expired 49
        #expect(try cli.history("studio", ["--kind", "expiry"]).count == 1)

        // Plan credits expire at the next paid invoice (no rollover), then the new grant lands.
        let renewal = "2026-02-10T00:00:00Z"
        let beforeRenewal = try #require(dropped.int("balance"))
        cli.environment["CREDITDESK_NOW"] = renewal
        let paid = try cli.ok("invoice-paid", "studio", "--invoice", "i-2", as: ana)
        #expect(paid.stdout.contains("expiry"), "\(paid)")
        let renewed = try cli.history("studio")
        let planExpiry = try #require(renewed.first { $0.string("kind") == "expiry" && $0.int("ref") == planGrantSeq },
                                      "no expiry of the plan grant #\(planGrantSeq) in \(renewed)")
        let expiredPlanCredits = try #require(planExpiry.int("credits"))
        // Two images came out of the plan grant before any other credits existed: at most 98 of it is left.
        #expect(expiredPlanCredits < 0 && expiredPlanCredits >= -98, "\(planExpiry)")
        #expect(renewed.first?.string("invoice") == "i-2")
        #expect(renewed.first?.int("credits") == 100)
        let afterRenewal = try cli.balance("studio", as: olga)
        #expect(afterRenewal.int("balance") == beforeRenewal + expiredPlanCredits + 100)
        #expect(afterRenewal.int("balance") == (afterRenewal.int("earned") ?? 0) - (afterRenewal.int("spent") ?? 0))
        // Packs do not expire within their 365 days.
        #expect(renewed.filter { $0.string("kind") == "expiry" }.count == 2)

        try cli.ok("verify")
    }

    @Test("R24, S3: a renewal whose expiry empties the balance and whose grant refills it writes and mails no out-of-credits alert")
    func R24_renewalSendsNoFalseEmptyAlert() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init", "--catalog", "sofia", as: People.support)
        try cli.ok("workspace", "create", "t", "--name", "T", "--owner", "to", "--plan", "pro", as: People.support)
        try cli.ok("invoice-paid", "t", "--invoice", "i1", as: People.support)
        let renewal = try cli.run("invoice-paid", "t", "--invoice", "i2", as: People.support,
                                  environment: ["CREDITDESK_NOW": "2026-02-10T09:00:00Z"])
        #expect(renewal.status == 0 && renewal.stdout.contains("expiry") && !renewal.stdout.contains("alert"), "\(renewal)")
        #expect(try cli.journalRecords().allSatisfy { $0.string("kind") != "alert" })
        #expect(cli.files(in: cli.outboxNew).isEmpty, "no email")
        #expect(try cli.run("verify").status == 0)
    }
}
