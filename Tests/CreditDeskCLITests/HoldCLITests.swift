import Foundation
import Testing

/// R35 holds through the real binary, with real processes racing for the file ledger's lock.
@Suite("Holds")
struct HoldCLITests {
    /// The konfiwear catalog with one more job action, a long render of 75 credits.
    static func catalogWithLongRender(in folder: String) throws -> String {
        var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) { root.deleteLastPathComponent() }
        let text = try String(contentsOf: root.appendingPathComponent("Data/catalogs/konfiwear.json"), encoding: .utf8)
        let extended = text.replacingOccurrences(of: "\"actions\": [", with: "\"actions\": [\n    { \"id\": \"long_render\", \"name\": \"Long render\", \"credits\": 75, \"kind\": \"job\" },")
        let path = folder + "/long-render.json"
        try extended.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("R35: twenty concurrent holds of 75 against 500 grant exactly six; the rest are refused with the shortfall")
    func R35_concurrentHoldsNeverOverReserve() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let scratch = NSTemporaryDirectory() + "hold-catalog-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try cli.ok("init", "--catalog", try Self.catalogWithLongRender(in: scratch), as: People.support)
        try cli.ok("workspace", "create", "acme", "--name", "Acme Tees", "--owner", People.owner, "--plan", "pro", as: People.support)
        try cli.ok("workspace", "add-member", "acme", People.member, as: People.owner)
        try cli.ok("adjust", "acme", "+500", "--reason", "test seed", as: People.support)
        let running = try (1...20).map { try cli.start(["hold", "acme", "long_render", "--job", "long-\($0)"], as: People.member) }
        let results = running.map { $0.wait() }
        #expect(results.filter { $0.status == 0 }.count == 6, "\(results.map(\.status))")
        for refused in results where refused.status != 0 {
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("long_render costs 75, the available balance is 50 (450 held), short by 25"), "\(refused)")
        }
        let balance = try cli.balance()
        #expect(balance.int("balance") == 500 && balance.int("held") == 450 && balance.int("available") == 50)
        #expect(balance.string("badge") == "low", "the badge follows the available balance")
        #expect(try cli.run("verify").status == 0)
        // A held job is captured by its charge: one charge entry, the hold gone.
        let held = try #require(try cli.history("acme", ["--kind", "hold"]).first?.string("job"))
        try cli.ok("charge", "acme", "long_render", "--job", held, as: People.member)
        let after = try cli.balance()
        #expect(after.int("balance") == 425 && after.int("held") == 375 && after.int("available") == 50)
        #expect(try cli.run("verify").status == 0)
    }

    @Test("R35: a hold and its release say what they reserve and free, never that they moved 0 credits")
    func R35_holdAndReleaseLinesNameWhatTheyReserve() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let held = try cli.run("hold", "acme", "ai_graphic", "--job", "j-words", as: People.member)
        #expect(held.status == 0 && held.stdout.hasPrefix("#") && held.stdout.contains(" hold · acme · "), "\(held)")
        #expect(held.stdout.contains("6 held until") && !held.stdout.contains(" 0 credits ·"), "\(held)")
        let released = try cli.run("job-failed", "acme", "--job", "j-words", as: People.member)
        #expect(released.stdout.contains(" release · acme · ") && released.stdout.contains("6 released"), "\(released)")
        #expect(!released.stdout.contains(" 0 credits ·"), "\(released)")
    }

    @Test("R35: a time to live past 24 hours is refused by the rule (exit 1) however many digits it has; nothing is written",
          arguments: ["86401", "1441m", "1000000000", "99999999999h", "99999999999999999999999s"])
    func R35_tooLongATimeToLiveIsTheRulesRefusal(ttl: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let before = cli.journalBytes().count
        let result = try cli.run("hold", "acme", "ai_graphic", "--job", "long", "--ttl", ttl, as: People.member)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.hasPrefix("creditdesk: invalid time to live: ") && result.stderr.hasSuffix("a hold lasts from 1 second to 24 hours (R35)\n"), "\(result)")
        #expect(cli.journalBytes().count == before, "nothing written")
    }
}
