import CreditKit
import Foundation
import LedgerCore
import Testing

/// R34, R36 and R41 through the real binary on a file ledger: a plan grant's rollover carries the
/// grant's own credits, so a void of the rollover and a reversal of the grant never both take them.
@Suite("Rollover take-backs")
struct RolloverTakeBackCLITests {
    /// A sofia ledger whose Pro carries up to 40 unused credits for 60 days (R41), with acme on Pro:
    /// grant G (100), 30 images, and a renewal 30 days on that carries 40 to rollover R and expires
    /// 30: balance 140, earned 200, spent 60 (with `refundingFirst` images refunded before the
    /// renewal, the renewal expires that many more). Returns G's and R's seqs.
    static func rolledOver(_ cli: CLI, support: String = People.support, refundingFirst refunds: Int = 0) throws -> (grant: Int64, rollover: Int64) {
        var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) { root.deleteLastPathComponent() }
        let text = try String(contentsOf: root.appendingPathComponent("Data/catalogs/sofia.json"), encoding: .utf8)
        let catalog = text.replacingOccurrences(of: "\"monthly_grant\": 100, \"copilot_messages\": 1000 }",
                                                with: "\"monthly_grant\": 100, \"copilot_messages\": 1000, \"rollover\": { \"cap_credits\": 40, \"valid_days\": 60 } }")
        try #require(catalog != text)
        let path = cli.scratch + "/sofia-rollover.json"
        try catalog.write(toFile: path, atomically: true, encoding: .utf8)
        try cli.ok("init", "--catalog", path, as: support)
        try cli.ok("workspace", "create", "acme", "--name", "Acme Tees", "--owner", People.owner, "--plan", "pro", as: support)
        try cli.ok("invoice-paid", "acme", "--invoice", "inv-1", as: support)
        let grant = try #require(try cli.history("acme", ["--kind", "grant"], as: support).first?.int("seq"))
        for index in 1...30 { try cli.ok("charge", "acme", "image", "--job", "img-\(index)", as: People.owner) }
        for index in stride(from: 1, through: refunds, by: 1) { try cli.ok("job-failed", "acme", "--job", "img-\(index)", as: People.owner) }
        cli.environment["CREDITDESK_NOW"] = "2026-02-09T09:00:00Z"
        try cli.ok("invoice-paid", "acme", "--invoice", "inv-2", as: support)
        let rollover = try #require(try cli.history("acme", ["--kind", "grant"], as: support).first { $0["rollover"] != nil }?.int("seq"))
        #expect(try Self.accounts(cli, as: support) == [140, 200, 60])
        return (grant, rollover)
    }

    /// Balance, earned and spent of acme, from `balance --json`.
    static func accounts(_ cli: CLI, as support: String = People.support) throws -> [Int64?] {
        let balance = try cli.balance(as: support)
        return [balance.int("balance"), balance.int("earned"), balance.int("spent")]
    }

    @Test("R41: the text history shows a rollover's carried credits in brackets, as the console does, and its JSON keeps credits 0")
    func R41_textHistoryShowsTheCarriedCreditsInBrackets() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let (_, rollover) = try Self.rolledOver(cli)
        let text = try cli.ok("history", "acme", as: People.support).stdout
        let rows = text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        let columns = try #require(rows.first { $0.first.map(String.init) == "\(rollover)" }, "\(text)")
        #expect(columns.count > 4 && columns[2] == "grant" && columns[3] == "(40)" && columns[4] == "70", "\(columns)")
        let json = try #require(try cli.history("acme", ["--kind", "grant"], as: People.support).first { $0.int("seq") == rollover })
        #expect(json.int("credits") == 0 && json.int("rollover") == 40)
    }

    @Test("R41: export --format csv carries a rollover's carried credits in a rollover column, between ref and reason as in the JSON; a migrated copy exports the same")
    func R41_csvExportCarriesTheRollover() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let (grant, rollover) = try Self.rolledOver(cli)
        let csv = try cli.ok("export", "--format", "csv", as: People.support).stdout
        let rows = parseCSV(csv)
        let header = try #require(rows.first)
        let column = try #require(header.firstIndex(of: "rollover"), "\(header)")
        #expect(header[column - 1] == "ref" && header[column + 1] == "reason", "\(header)")
        let carried = try #require(rows.first { $0.first == "\(rollover)" }, "\(csv)")
        #expect(carried.count == header.count && carried[column] == "40" && carried[header.firstIndex(of: "credits")!] == "0", "\(carried)")
        for row in rows.dropFirst() where row.first != "\(rollover)" {
            #expect(row.count == header.count && row[column].isEmpty, "only the rollover carries one: \(row) (grant \(grant))")
        }
        // import reads usage events, not exports; a copy of the ledger (migrate) exports the same rows.
        let target = cli.scratch + "/copy"
        try cli.ok("migrate", "--to", target, as: People.support)
        let copied = try cli.ok("export", "--format", "csv", as: People.support, environment: ["CREDITDESK_LEDGER": target]).stdout
        #expect(copied == csv)
    }

    @Test("R41, R34: after a rollover is voided, reversing its grant exits 1 naming the void, and writes nothing")
    func R41_R34_reverseAfterTheRolloverWasVoidedIsRefused() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let (grant, rollover) = try Self.rolledOver(cli)
        try cli.ok("void", "acme", "\(rollover)", "--reason", "granted in error", as: People.support)
        #expect(try Self.accounts(cli) == [100, 200, 100])
        let void = try #require(try cli.history("acme").first?.int("seq"))
        let before = cli.journalBytes().count
        let reversal = try cli.run("reverse", "acme", "\(grant)", "--reason", "invoice refunded", as: People.support)
        #expect(reversal.status == 1, "\(reversal)")
        #expect(reversal.stderrLines.count == 1, "one line: \(reversal)")
        #expect(reversal.stderr.contains("grant #\(grant) rolled credits over to #\(rollover), which entry #\(void) already voided: reversing the grant would take them twice (R34, R41)"),
                "\(reversal)")
        #expect(cli.journalBytes().count == before, "nothing written")
        #expect(try Self.accounts(cli) == [100, 200, 100])
        try cli.expectCleanVerify()
    }

    @Test("R41, R36: after a grant is reversed, voiding its rollover exits 1 naming the reversal, and writes nothing")
    func R41_R36_voidAfterTheGrantWasReversedIsRefused() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let (grant, rollover) = try Self.rolledOver(cli)
        try cli.ok("reverse", "acme", "\(grant)", "--reason", "invoice refunded", as: People.support)
        #expect(try Self.accounts(cli) == [40, 200, 160])
        let reversal = try #require(try cli.history("acme", ["--kind", "adjustment"]).first?.int("seq"))
        let before = cli.journalBytes().count
        let void = try cli.run("void", "acme", "\(rollover)", "--reason", "granted in error", as: People.support)
        #expect(void.status == 1, "\(void)")
        #expect(void.stderrLines.count == 1, "one line: \(void)")
        #expect(void.stderr.contains("rollover #\(rollover) carries credits of grant #\(grant), which entry #\(reversal) already reversed: voiding it would take them twice (R36, R41)"),
                "\(void)")
        #expect(cli.journalBytes().count == before, "nothing written")
        #expect(try Self.accounts(cli) == [40, 200, 160])
        try cli.expectCleanVerify()
    }

    @Test("R41, R36: verify names a void of a reversed grant's rollover, forged with a sound hash chain (exit 2)")
    func R41_R36_verifyNamesAForgedDoubleTake() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let forged = try Self.forgedDoubleTake(cli)
        let verify = try cli.run("verify", as: People.support)
        #expect(verify.status == 2, "\(verify)")
        #expect(verify.stderr.contains("seq \(forged.void)") && verify.stderr.contains("which entry #\(forged.reversal) already reversed"), "\(verify)")
    }

    /// A rolled-over ledger whose grant was reversed, then a void of its rollover appended as the
    /// binary before this rule wrote it (the carried 40, a second time), the hash chain sound.
    static func forgedDoubleTake(_ cli: CLI, support: String = People.support) throws -> (void: Int64, reversal: Int64) {
        let (grant, rollover) = try Self.rolledOver(cli, support: support)
        try cli.ok("reverse", "acme", "\(grant)", "--reason", "invoice refunded", as: support)
        let reversal = try #require(try cli.history("acme", ["--kind", "adjustment"], as: support).first?.int("seq"))
        let lines = String(decoding: try cli.journal(), as: UTF8.self).split(separator: "\n")
        let last = try Array(try #require(lines.last).utf8).withUnsafeBufferPointer { try JournalFormat.decode($0).entry }
        var forged = Entry(seq: last.seq + 1, time: last.time, kind: .void, actor: support, workspace: "acme")
        forged.credits = -40; forged.ref = rollover; forged.reason = "granted in error"; forged.balance = 0
        let (line, _) = JournalFormat.encode(forged, prev: last.hash, more: false)
        let handle = try #require(FileHandle(forWritingAtPath: cli.journalPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(line + [10]))
        try handle.close()
        return (forged.seq, reversal)
    }
}

/// The same forged double take, copied record for record into PostgreSQL (`migrate` checks the
/// chain and the fold, not the rules), is named by PostgreSQL's `verify` replay.
@Suite("Rollover take-backs on PostgreSQL", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresRolloverTakeBackTests {
    @Test("R41, R36 on PostgreSQL: verify names a void of a reversed grant's rollover (exit 2)")
    func R41_R36_postgresVerifyNamesAForgedDoubleTake() throws {
        let (pg, drop) = try PostgresForCLI.cli()
        defer { drop() }
        let folder = try CLI()
        defer { folder.remove() }
        let forged = try RolloverTakeBackCLITests.forgedDoubleTake(folder, support: PostgresForCLI.role)
        let url = try #require(pg.environment["CREDITDESK_LEDGER"])
        try folder.ok("migrate", "--to", url, as: PostgresForCLI.role)
        let verify = try pg.run("verify", as: PostgresForCLI.role)
        #expect(verify.status == 2, "\(verify)")
        #expect(verify.stderr.contains("seq \(forged.void)") && verify.stderr.contains("which entry #\(forged.reversal) already reversed"), "\(verify)")
    }
}
