import Foundation
import Testing

/// R27 with R4–R6: usage reported late, or out of time order in one file, is still charged and
/// refunded, dated at the ledger's last record (record times never go backwards); a re-run
/// answers already recorded.
@Suite("Import of late usage")
struct ImportLateUsageTests {
    /// acme on pro (owner olga); a top-up at 10:00, so the ledger's last record is dated 10:00.
    static func makeLedger(_ cli: CLI) throws {
        try cli.makeAcme()
        try cli.ok("topup", "acme", "topup_50", as: People.owner, environment: ["CREDITDESK_NOW": "2026-01-10T10:00:00Z"])
    }

    static func event(_ job: String, _ outcome: String, at time: String, action: String = "ai_graphic") -> String {
        "{\"workspace\":\"acme\",\"action\":\"\(action)\",\"job\":\"\(job)\",\"outcome\":\"\(outcome)\",\"time\":\"\(time)\"}\n"
    }

    /// `import FILE --json` at 11:00 by support, exit 0: the report.
    static func importing(_ cli: CLI, _ lines: [String]) throws -> [String: Any] {
        let path = cli.scratch + "/\(UUID().uuidString).jsonl"
        try Data(lines.joined().utf8).write(to: URL(fileURLWithPath: path))
        let result = try cli.run(["import", path, "--json"], as: People.support, environment: ["CREDITDESK_NOW": "2026-01-10T11:00:00Z"])
        #expect(result.status == 0, "\(result)")
        return try result.jsonObject()
    }

    @Test func R27_aLateSucceededEventIsChargedAtTheLastRecordsTime() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.makeLedger(cli)
        let report = try Self.importing(cli, [Self.event("late-1", "succeeded", at: "2026-01-10T09:30:00Z")])
        #expect(report.int("charged") == 1 && (report["refused"] as? [String: Any])?.isEmpty == true, "\(report)")
        let charge = try #require(try cli.history().first)
        #expect(charge.string("kind") == "charge" && charge.string("job") == "late-1")
        #expect(charge.string("time") == "2026-01-10T10:00:00Z")
        #expect(try cli.balance().int("balance") == 494)
        try cli.ok("verify", as: People.support)
    }

    @Test func R27_aLateFailedEventRefundsTheCharge() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.makeLedger(cli)
        _ = try Self.importing(cli, [Self.event("late-1", "succeeded", at: "2026-01-10T09:30:00Z")])
        let report = try Self.importing(cli, [Self.event("late-1", "failed", at: "2026-01-10T09:40:00Z")])
        #expect(report.int("refunded") == 1 && report.int("refunded_credits") == 6, "\(report)")
        #expect(try cli.balance().int("balance") == 500)
    }

    @Test func R27_eventsOutOfTimeOrderInOneFileAreEachCharged() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.makeLedger(cli)
        let report = try Self.importing(cli, [
            Self.event("o-1", "succeeded", at: "2026-01-10T10:50:00Z"),
            Self.event("o-2", "succeeded", at: "2026-01-10T10:10:00Z", action: "print_file"),
            Self.event("o-3", "succeeded", at: "2026-01-10T10:30:00Z"),
        ])
        #expect(report.int("charged") == 3 && report.int("charged_credits") == 16, "\(report)")
        let times = try cli.history().filter { $0.string("kind") == "charge" }.compactMap { $0.string("time") }
        #expect(times == Array(repeating: "2026-01-10T10:50:00Z", count: 3))
        #expect(try cli.balance().int("balance") == 484)
        try cli.ok("verify", as: People.support)
    }

    @Test func R27_aLateEventImportedAgainIsAlreadyRecorded() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.makeLedger(cli)
        let late = [Self.event("late-1", "succeeded", at: "2026-01-10T09:30:00Z")]
        _ = try Self.importing(cli, late)
        let journal = try cli.journal()
        let again = try Self.importing(cli, late)
        #expect(again.int("already_recorded") == 1 && again.int("charged") == 0, "\(again)")
        #expect((again["refused"] as? [String: Any])?.isEmpty == true, "\(again)")
        #expect(try cli.journal() == journal)
    }
}
