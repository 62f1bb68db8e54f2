import Foundation
import Testing

/// R35 on PostgreSQL: holds raced by real processes against the server, as `HoldCLITests` races
/// them for the file ledger's lock.
@Suite("Concurrent holds on PostgreSQL", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresHoldRaceTests {
    @Test("R35 on PostgreSQL: twenty concurrent holds of 75 against 500 grant exactly six; the rest are refused with the shortfall")
    func R35_concurrentHoldsNeverOverReserveOnPostgres() throws {
        let (cli, drop) = try PostgresForCLI.cli()
        defer { drop() }
        let scratch = NSTemporaryDirectory() + "pg-hold-catalog-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try cli.ok("init", "--catalog", try HoldCLITests.catalogWithLongRender(in: scratch))
        try cli.ok("operator", "add", People.support, "--role", "support")
        try cli.ok("workspace", "create", "acme", "--name", "Acme Tees", "--owner", People.owner, "--plan", "pro", as: People.support)
        try cli.ok("workspace", "add-member", "acme", People.member, as: People.owner)
        try cli.ok("adjust", "acme", "+500", "--reason", "test seed", as: People.support)
        let running = try (1...20).map { try cli.start(["hold", "acme", "long_render", "--job", "long-\($0)"], as: People.member) }
        let results = running.map { $0.wait() }
        #expect(results.filter { $0.status == 0 }.count == 6, "\(results.map(\.description))")
        for refused in results where refused.status != 0 {
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("long_render costs 75, the available balance is 50 (450 held), short by 25"), "\(refused)")
        }
        let balance = try cli.balance()
        #expect(balance.int("balance") == 500 && balance.int("held") == 450 && balance.int("available") == 50)
        #expect(balance.string("badge") == "low", "the badge follows the available balance")
        #expect(try cli.history("acme", ["--kind", "hold"]).count == 6)
        #expect(try cli.run("verify").status == 0)
        // The readable tables agree with the journal: six hold rows, 450 held, available never negative.
        let url = try #require(cli.environment["CREDITDESK_LEDGER"])
        let held = try PostgresForCLI.psql(url, "SELECT balance, held FROM creditdesk.balances WHERE workspace = 'acme'")
        #expect(held.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "500|450", "\(held)")
        let holds = try PostgresForCLI.psql(url, "SELECT count(*) FROM creditdesk.entries WHERE workspace = 'acme' AND kind = 'hold'")
        #expect(holds.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "6", "\(holds)")
        // A held job is captured by its charge: one charge entry, the hold gone.
        let job = try #require(try cli.history("acme", ["--kind", "hold"]).first?.string("job"))
        try cli.ok("charge", "acme", "long_render", "--job", job, as: People.member)
        let after = try cli.balance()
        #expect(after.int("balance") == 425 && after.int("held") == 375 && after.int("available") == 50)
        #expect(try cli.run("verify").status == 0)
    }
}
