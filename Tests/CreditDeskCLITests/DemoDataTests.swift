import Foundation
import Testing

/// The shipped demo ledgers (`Data/demo/`): reproducible from their spec, sound, and telling the
/// stories the demo and its tour rely on.
@Suite struct DemoDataTests {
    /// The source tree's `Data/demo`.
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Data/demo").path

    /// A CLI whose ledger is a copy of a shipped demo ledger.
    static func copy(_ name: String) throws -> CLI {
        let cli = try CLI(now: "2026-11-20T17:00:00Z")
        for file in ["journal.jsonl", "catalog.json"] {
            try FileManager.default.copyItem(atPath: "\(shipped)/\(name)/\(file)", toPath: "\(cli.ledger)/\(file)")
        }
        return cli
    }

    @Test func demoLedgersRebuildByteForByteFromTheirSpec() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let built = cli.scratch + "/built"
        try cli.ok("demo", "--build", built)
        for name in ["konfiwear", "sofia"] {
            for file in ["journal.jsonl", "catalog.json"] {
                let rebuilt = FileManager.default.contents(atPath: "\(built)/\(name)/\(file)")
                let committed = FileManager.default.contents(atPath: "\(Self.shipped)/\(name)/\(file)")
                #expect(rebuilt != nil && rebuilt == committed, "\(name)/\(file) differs from what demo.json builds")
            }
        }
    }

    @Test func konfiwearDemoVerifiesAndHoldsTheNamedWorkspacesTheTourNeeds() throws {
        let cli = try Self.copy("konfiwear")
        defer { cli.remove() }
        try cli.ok("verify", as: "maria")
        let rows = try cli.ok("workspace", "list", "--json", as: "maria").jsonArray()
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.string("workspace") ?? "", $0) })
        #expect(rows.count == 48)
        #expect(byID["riverside-tigers-fc"]?.int("balance") == 8, "the tour's 6-credit run leaves 2, then is 4 short")
        #expect(byID["riverside-tigers-fc"]?.string("badge") == "critical")
        #expect(byID["bluebird-embroidery"]?.int("balance") == 0)
        #expect(byID["lakeside-school-uniforms"]?.string("badge") == "low")
        // R35: a hold in flight at the history's end, so a visitor sees held and available.
        #expect(byID["lakeside-school-uniforms"]?.int("balance") == 64)
        #expect(byID["lakeside-school-uniforms"]?.int("held") == 6)
        #expect(byID["lakeside-school-uniforms"]?.int("available") == 58)
        // R37, R38: an auto top-up rule near its monthly cap: two requests paid, $200 of $250, the 80% warning sent.
        let auto = try cli.ok("auto-topup", "show", "northside-team-uniforms", "--json", "--now", "2026-11-20T17:00:00Z", as: "maria").jsonObject()
        #expect(auto.string("status") == "active" && auto.int("spent_cents") == 20_000 && auto.int("monthly_cap_cents") == 25_000)
        #expect(byID["northside-team-uniforms"]?.int("balance") == 2_120, "120, then two paid topup_100 requests, not spent down again")
        #expect(try cli.journalRecords().contains { $0["alert"] as? String == "auto_topup_80" })
        // R40: member limits on a busy workspace, one member close to theirs.
        // As of the demo's last day: a month's spend is counted in the month it is read in.
        let limits = try cli.ok("member-limit", "show", "riverside-tigers-fc", "--json", "--now", "2026-11-20T17:00:00Z", as: "jess").jsonArray()
        #expect(limits.map { $0.string("member") ?? "" } == ["coach-ray", "li"])
        #expect(limits.map { $0.int("limit") ?? 0 } == [5_000, 525])
        #expect(limits.last?.int("left") == 51, "li is 51 credits from the limit: \(limits)")
        #expect(byID["okafor-print-studio"]?.string("badge") == "comfortable")
        #expect(byID["harbor-screenworks"]?.string("status") == "cancelled")
        #expect(byID["pixel-merch-lab"]?.string("status") == "trial")
        #expect(rows.filter { $0.string("owner") == "jess" }.count == 4, "the persona runs four workspaces")
        let table = try cli.ok("workspace", "list", as: "maria").stdout
        #expect(table.contains("lakeside-school-uniforms  Pro"), "a long id keeps its distance from the plan:\n\(table)")
        let kinds = Set(try cli.journalRecords().compactMap { $0["kind"] as? String })
        #expect(kinds.isSuperset(of: ["grant", "topup", "charge", "refund", "adjustment", "cancel", "trial", "alert", "hold", "member_limit"]))
    }

    @Test func sofiaDemoHasPromotionalCreditsAboutToExpire() throws {
        let cli = try Self.copy("sofia")
        defer { cli.remove() }
        try cli.ok("verify", as: "maria")
        let promos = try cli.journalRecords().filter { $0.string("source") == "promo" && $0.string("ws") == "atelier-rosa" }
        #expect(promos.count == 1)
        #expect(promos.first?.string("expires") == "2026-11-25T16:30:00Z")
        #expect(try cli.journalRecords().contains { $0.string("kind") == "expiry" })
    }

    @Test("R41: the sofia demo's Enterprise rolls over, and rosa-bridal-studio ends with rolled-over credits about to expire")
    func R41_sofiaDemoRollsOverAndWarnsBeforeItExpires() throws {
        let cli = try Self.copy("sofia")
        defer { cli.remove() }
        try cli.ok("verify", as: "maria")
        let rollovers = try cli.journalRecords().filter { $0.string("ws") == "rosa-bridal-studio" && $0["rollover"] != nil }
        let last = try #require(rollovers.last, "no rollover in rosa-bridal-studio")
        #expect(last.int("rollover") == 150)
        // The demo's now is its end plus a few minutes: the last rollover expires within the
        // catalog's 7 warning days, and is not spent.
        let end = try #require(ISO8601DateFormatter().date(from: "2026-11-20T16:30:00Z"))
        let expires = try #require(last.string("expires").flatMap { ISO8601DateFormatter().date(from: $0) })
        let days = expires.timeIntervalSince(end) / 86_400
        #expect(days > 1 && days < 7, "the rollover expires \(days) days after the demo's end")
        let balance = try cli.ok("balance", "rosa-bridal-studio", "--json", as: "maria").jsonObject()
        #expect((balance.int("balance") ?? 0) >= 150)
    }
}
