import CreditKit
import Foundation
import LedgerStore
import LedgerCore
import Testing

/// R27 through the real binary: which ledgers take `--now`, times carried by imported events,
/// reads that never refuse for clock order, and the recorded reset that puts a frozen ledger back to work.
@Suite("Clock (R27)")
struct ClockTests {
    /// The real clock: no `CREDITDESK_NOW`.
    static let realClock = ["CREDITDESK_NOW": ""]

    /// `2026-…Z` for the machine's clock moved by `seconds`.
    static func realTime(plus seconds: Int64) -> String {
        Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970) + seconds).iso8601
    }

    /// A real-clock ledger: acme (100 credits; owner sam, member lee) and beta (owner bob).
    static func makeRealClockLedger(_ cli: CLI) throws {
        cli.environment["CREDITDESK_NOW"] = ""
        try cli.makeAcme(credits: 100)
        try cli.ok("workspace", "create", "beta", "--name", "Beta", "--owner", "bob", "--plan", "pro", as: People.support)
    }

    @Test("R27: init records a test clock only when given --now")
    func R27_initRecordsWhichClockTheLedgerRunsOn() throws {
        let test = try CLI()
        defer { test.remove() }
        try test.ok("init", as: People.support)
        #expect(try test.journalRecords().first?["clock"] as? String == "test")
        #expect(try test.ok("clock").stdout.contains("test clock"))

        let real = try CLI()
        defer { real.remove() }
        try real.ok("init", as: People.support, environment: Self.realClock)
        #expect(try real.journalRecords().first?["clock"] == nil)
        #expect(try real.ok("clock", environment: Self.realClock).stdout.contains("real clock"))
    }

    @Test("R27: on a real-clock ledger --now is refused from members and beyond the tolerance, nothing written")
    func R27_nowOnARealClockLedgerIsSupportsWithinTheTolerance() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.makeRealClockLedger(cli)
        let before = try cli.journal()
        for (actor, arguments) in [
            (People.member, ["copilot", "acme", "--now", "9999-12-31T23:59:59Z"]),
            (People.member, ["charge", "acme", "ai_graphic", "--job", "j-1", "--now", Self.realTime(plus: 0)]),
            (People.support, ["copilot", "acme", "--now", "9999-12-31T23:59:59Z"]),
            (People.support, ["adjust", "acme", "+1", "--reason", "x", "--now", Self.realTime(plus: -3600)]),
        ] {
            let result = try cli.run(arguments, as: actor)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains("R27"), "\(result)")
        }
        #expect(try cli.journal() == before)
        // A read acts on nothing: it shows things as of any time, to anyone who may see them.
        #expect(try cli.ok("balance", "beta", "--json", "--now", "2099-01-01T00:00:00Z", as: "bob").jsonObject().int("balance") == 0)
        // Support, four minutes ahead: taken; the real clock right after it is dated at that record.
        let ahead = Self.realTime(plus: ClockPolicy.toleranceSeconds - 60)
        try cli.ok("adjust", "acme", "+1", "--reason", "late payment", "--now", ahead, as: People.support)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)
        let history = try cli.history("acme")
        #expect(history.first?.string("job") == "j-1")
        #expect(history.first?.string("time") == ahead)
        try cli.ok("verify")
    }

    @Test("R27: an imported time ahead of the clock is refused naming its line; nothing of the batch is written",
          arguments: ["jsonl", "csv", "csv spanning lines"])
    func R27_importedTimesAheadOfTheClockAreRefused(format: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.makeRealClockLedger(cli)
        let file = cli.scratch + "/future." + (format == "jsonl" ? "jsonl" : "csv")
        let header = "workspace,action,job,outcome,time\nacme,ai_graphic,f0,succeeded,\n"
        let lines = switch format {
        case "jsonl": "{\"workspace\":\"acme\",\"action\":\"ai_graphic\",\"job\":\"f0\",\"outcome\":\"succeeded\"}\n"
            + "{\"workspace\":\"acme\",\"action\":\"ai_graphic\",\"job\":\"f1\",\"outcome\":\"succeeded\",\"time\":\"2099-01-01T00:00:00Z\"}\n"
        case "csv": header + "acme,ai_graphic,f1,succeeded,2099-01-01T00:00:00Z\n"
        // The refused record starts on line 3 and ends on line 4: the line it starts on is named.
        default: header + "acme,\"ai\ngraphic\",f1,succeeded,2099-01-01T00:00:00Z\n"
        }
        try lines.write(toFile: file, atomically: true, encoding: .utf8)
        let before = try cli.journal()
        let result = try cli.run("import", file, as: People.support)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("line \(format == "jsonl" ? 2 : 3):") && result.stderr.contains("ahead"), "\(result)")
        #expect(try cli.journal() == before)
        // The issue's next steps: another workspace's top-up and a read.
        try cli.ok("topup", "beta", "topup_50", as: "bob")
        #expect(try cli.balance("beta", as: "bob").int("balance") == 500)
    }

    @Test("R27: events without a time are dated like any write: at the last record when the clock trails it a little")
    func R27_importedEventsWithoutATimeFollowARecordJustAhead() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.makeRealClockLedger(cli)
        let ahead = Self.realTime(plus: ClockPolicy.toleranceSeconds - 60)
        try cli.ok("adjust", "acme", "+1", "--reason", "late payment", "--now", ahead, as: People.support)
        let file = cli.scratch + "/usage.jsonl"
        try "{\"workspace\":\"acme\",\"action\":\"ai_graphic\",\"job\":\"u1\",\"outcome\":\"succeeded\"}\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try cli.ok("import", file, "--json", as: People.support).jsonObject()
        #expect(imported.int("charged") == 1, "\(imported)")
        #expect(try cli.history("acme").first?.string("time") == ahead)
    }

    @Test("R27: reads never refuse for clock order, on a ledger holding a record dated in the future")
    func R27_readsNeverRefuseForClockOrder() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        // A test-clock ledger takes any --now, from anyone.
        try cli.ok("copilot", "acme", "--now", "9999-12-31T23:59:59Z", as: People.member)
        let write = try cli.run("topup", "acme", "topup_50", as: People.owner)
        #expect(write.status == 1 && write.stderr.contains("earlier"), "\(write)")
        #expect(try cli.balance("acme").int("balance") == 100)
        #expect(try cli.balance("acme", as: People.member).int("balance") == 100)
        #expect(try cli.history("acme").count == 1)
        try cli.ok("workspace", "list", "--json", as: People.support)
        try cli.ok("export", "--format", "csv", as: People.support)
        try cli.ok("verify")
    }

    @Test("R27: support puts the clock back behind a future-dated record by a recorded reset; real-clock writes work again")
    func R27_aRecordedResetPutsAFrozenLedgerBackToWork() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.makeRealClockLedger(cli)
        // A record dated in 2099, as a build without R27 let one in.
        let ledger = try FileLedger.open(directory: cli.ledger)
        let future = try #require(Timestamp(iso8601: "2099-01-01T00:00:00Z"))
        _ = try ledger.submit(.copilot(workspace: "acme", messages: 1), context: CommandContext(actor: People.member, time: future))

        let frozen = try cli.run("topup", "beta", "topup_50", as: "bob")
        #expect(frozen.status == 1 && frozen.stderr.contains("reset"), "\(frozen)")
        #expect(try cli.ok("clock").stdout.contains("in the future"))
        let before = try cli.journal()
        #expect(try cli.run("clock", "reset", "--reason", "copilot dated 2099", as: People.member).status == 1)
        #expect(try cli.run("clock", "reset", as: People.support).status == 64)
        #expect(try cli.run("clock", "reset", "--reason", " ", as: People.support).status == 1)
        #expect(try cli.journal() == before)

        try cli.ok("clock", "reset", "--reason", "copilot record dated 2099 by an old build", as: People.support)
        let reset = try #require(try cli.journalRecords().last)
        #expect(reset["kind"] as? String == "clock_reset")
        #expect(reset["reason"] as? String == "copilot record dated 2099 by an old build")
        #expect(reset["actor"] as? String == People.support)
        #expect((reset["ref"] as? Int) == (try cli.journalRecords().count - 1))

        try cli.ok("topup", "beta", "topup_50", as: "bob")
        #expect(try cli.balance("beta", as: "bob").int("balance") == 500)
        try cli.ok("verify")
        // Once the clock is not ahead, a reset has nothing to do and writes nothing.
        let settled = try cli.journal()
        let again = try cli.ok("clock", "reset", "--reason", "again", as: People.support)
        #expect(again.stdout.contains("nothing to put back"), "\(again)")
        #expect(try cli.journal() == settled)
    }
}
