import Foundation
import Testing

/// A record never carries a time past 9999-12-31T23:59:59Z (or before year 0): the journal writes
/// four-digit years, so such a record could not be read back and every later command would exit
/// 2. The engine refuses it (exit 1, nothing written); a `--now` or `--expires` past the range is
/// refused by the command line itself (exit 64).
@Suite struct LastRecordableTimeTests {
    static let lastDay = "9999-12-31T12:00:00Z"

    /// A ledger whose test clock stands on the last day the journal can record.
    static func lastDayLedger(catalog: String = "konfiwear", cli: CLI? = nil) throws -> CLI {
        let cli = try cli ?? CLI(now: lastDay)
        cli.environment["CREDITDESK_NOW"] = lastDay
        try cli.ok("init", "--catalog", catalog, as: People.support)
        try cli.ok("workspace", "create", "acme", "--name", "Acme Tees", "--owner", People.owner, "--plan", "pro", as: People.support)
        try cli.ok("adjust", "acme", "+50", "--reason", "seed", as: People.support)
        return cli
    }

    /// `result` was refused in one line naming the last recordable time, with nothing written,
    /// and the ledger still reads and verifies.
    static func refusedAndReadable(_ result: CLIResult, _ cli: CLI, journalBefore: Data?, status: Int32 = 1,
                                   naming bound: String = "9999-12-31T23:59:59Z",
                                   sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(result.status == status, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderrLines.count == 1 && result.stderr.contains(bound), "\(result)", sourceLocation: sourceLocation)
        if let journalBefore { #expect(try cli.journal() == journalBefore, "nothing is written", sourceLocation: sourceLocation) }
        let balance = try cli.run("balance", "acme", "--json", as: People.support)
        #expect(balance.status == 0, "the ledger still reads: \(balance)", sourceLocation: sourceLocation)
        #expect(try cli.run("verify").status == 0, sourceLocation: sourceLocation)
    }

    @Test("R35: a hold whose time to live ends past 9999-12-31T23:59:59Z is refused (exit 1); the ledger still reads")
    func R35_holdExpiringPastTheLastRecordableTimeIsRefused() throws {
        let cli = try Self.lastDayLedger()
        defer { cli.remove() }
        let before = try cli.journal()
        let held = try cli.run("hold", "acme", "ai_graphic", "--job", "j1", "--ttl", "24h", as: People.owner,
                               environment: ["CREDITDESK_NOW": "9999-12-31T12:01:00Z"])
        try Self.refusedAndReadable(held, cli, journalBefore: before)
        #expect(held.stderr.contains("expires"), "\(held)")
        // A hold that ends inside the range is still taken.
        try cli.ok("hold", "acme", "ai_graphic", "--job", "j2", "--ttl", "1h", as: People.owner,
                   environment: ["CREDITDESK_NOW": "9999-12-31T12:01:00Z"])
    }

    @Test("S3: a sofia pack bought near year 9999 would expire in year 10000: refused, nothing written")
    func S3_packExpiringPastTheLastRecordableTimeIsRefused() throws {
        let cli = try Self.lastDayLedger(catalog: "sofia")
        defer { cli.remove() }
        let before = try cli.journal()
        let topup = try cli.run("topup", "acme", "pack_100", as: People.owner)
        try Self.refusedAndReadable(topup, cli, journalBefore: before)
    }

    @Test("S3: sofia plan credits granted near year 9999 would expire in year 10000: refused, nothing written")
    func S3_planCreditsExpiringPastTheLastRecordableTimeAreRefused() throws {
        let cli = try Self.lastDayLedger(catalog: "sofia")
        defer { cli.remove() }
        let before = try cli.journal()
        try Self.refusedAndReadable(try cli.run("invoice-paid", "acme", "--invoice", "inv-1", as: People.support), cli, journalBefore: before)
    }

    @Test("R27: --now past the last recordable time is refused by the command line (exit 64)")
    func R27_nowPastTheLastRecordableTimeIsAUsageError() throws {
        let cli = try Self.lastDayLedger()
        defer { cli.remove() }
        let before = try cli.journal()
        for (now, bound) in [("9999-12-31T23:30:00-01:00", "9999-12-31T23:59:59Z"), ("0000-01-01T00:30:00+01:00", "0000-01-01T00:00:00Z")] {
            let adjusted = try cli.run("adjust", "acme", "+1", "--reason", "late", as: People.support, environment: ["CREDITDESK_NOW": now])
            try Self.refusedAndReadable(adjusted, cli, journalBefore: before, status: 64, naming: bound)
            #expect(adjusted.stderr.contains("--now"), "\(adjusted)")
        }
        let fresh = try CLI()
        defer { fresh.remove() }
        let made = try fresh.run("init", "--now", "9999-12-31T23:30:00-01:00", as: People.support)
        #expect(made.status == 64 && !FileManager.default.fileExists(atPath: fresh.ledger + "/journal.jsonl"), "\(made)")
    }

    @Test("S3: grant --expires past the last recordable time is refused by the command line (exit 64)")
    func S3_grantExpiryPastTheLastRecordableTimeIsAUsageError() throws {
        let cli = try Self.lastDayLedger()
        defer { cli.remove() }
        let before = try cli.journal()
        let granted = try cli.run("grant", "acme", "10", "--kind", "promo", "--reason", "launch",
                                  "--expires", "9999-12-31T23:30:00-01:00", as: People.support)
        try Self.refusedAndReadable(granted, cli, journalBefore: before, status: 64)
        #expect(granted.stderr.contains("--expires"), "\(granted)")
    }
}

/// The same refusal on PostgreSQL: the engine decides it, so no backend writes the record.
@Suite("Last recordable time on PostgreSQL", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresLastRecordableTimeTests {
    @Test("R35 on PostgreSQL: a hold ending past 9999-12-31T23:59:59Z is refused (exit 1); the ledger still reads")
    func R35_holdExpiringPastTheLastRecordableTimeIsRefusedOnPostgres() throws {
        let (cli, drop) = try PostgresForCLI.cli()
        defer { drop() }
        cli.environment["CREDITDESK_NOW"] = LastRecordableTimeTests.lastDay
        try cli.ok("init", "--catalog", "konfiwear")
        try cli.ok("operator", "add", People.support, "--role", "support")
        try cli.ok("workspace", "create", "acme", "--name", "Acme Tees", "--owner", People.owner, "--plan", "pro", as: People.support)
        try cli.ok("adjust", "acme", "+50", "--reason", "seed", as: People.support)
        let held = try cli.run("hold", "acme", "ai_graphic", "--job", "j1", "--ttl", "24h", as: People.owner)
        try LastRecordableTimeTests.refusedAndReadable(held, cli, journalBefore: nil)
        #expect(try cli.history("acme", ["--kind", "hold"]).isEmpty)
    }
}
