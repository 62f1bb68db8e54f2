import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C during `import` or `generate`, which commit in batches: the batch being written
/// finishes, the run stops there and says what stands (exit 130); a second Ctrl-C stops at once,
/// and the half-written batch is cut from the journal by the next open.
@Suite("An interrupt between batches", .serialized)
struct InterruptBetweenBatchesTests {
    static let eventCount = 4_000

    /// acme with credits for every event, and a file of `eventCount` succeeded AI graphics.
    static func makeLedgerAndEvents(_ cli: CLI) throws -> String {
        try cli.makeAcme(credits: Int64(eventCount) * 6)
        let file = cli.scratch + "/events.jsonl"
        let lines = (1...eventCount).map { "{\"workspace\":\"acme\",\"action\":\"ai_graphic\",\"job\":\"j\($0)\",\"outcome\":\"succeeded\"}\n" }
        try lines.joined().write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Starts `import FILE --batch 1` (one commit per event) and waits until some batches are durable.
    static func startImport(_ cli: CLI, file: String) throws -> RunningProgram {
        let before = try cli.journal().count
        let running = try cli.start(["import", file, "--batch", "1"], as: People.support)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, try cli.journal().count < before + 20_000 { usleep(20_000) }
        return running
    }

    /// How many charges the journal holds for jobs `j…`, and whether any job was charged twice.
    static func charges(_ cli: CLI) throws -> (count: Int, twice: Bool) {
        let jobs = try cli.run("history", "acme", "--json", "--limit", "100000", as: People.support).jsonArray()
            .filter { $0["kind"] as? String == "charge" }.compactMap { $0["job"] as? String }
        return (jobs.count, Set(jobs).count != jobs.count)
    }

    @Test("Ctrl-C during import: the batch being written finishes, the run stops with exit 130 saying what stands, and the same import again imports the rest once")
    func anInterruptedImportStopsBetweenBatches() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let file = try Self.makeLedgerAndEvents(cli)
        let running = try Self.startImport(cli, file: file)
        kill(running.process.processIdentifier, SIGINT)
        let result = running.wait()
        #expect(result.status == 130, "\(result)")
        #expect(result.stderr.contains("creditdesk: interrupted: stopping once the batch being written is durable"), "\(result)")
        let imported = try #require(Int(result.stdout.split(separator: " ").dropFirst().first ?? ""), "\(result)")
        #expect(imported > 0 && imported < Self.eventCount, "\(result)")
        #expect(result.stderr.contains("interrupted (signal 2) between batches: \(imported) events in \(imported) batches were imported and stand"), "\(result)")
        #expect(try Self.charges(cli) == (imported, false))
        let again = try cli.run("import", file, "--batch", "1000", as: People.support)
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.contains("skipped \(imported) already recorded"), "\(again)")
        #expect(try Self.charges(cli) == (Self.eventCount, false))
        #expect(try cli.run("verify", as: People.support).status == 0)
    }

    @Test("a second Ctrl-C stops the import at once; what it cut short is not committed and the ledger verifies")
    func aSecondInterruptStopsAtOnce() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let file = try Self.makeLedgerAndEvents(cli)
        let running = try Self.startImport(cli, file: file)
        kill(running.process.processIdentifier, SIGINT)
        kill(running.process.processIdentifier, SIGINT)
        let result = running.wait()
        #expect(result.status == 130 || (result.status == SIGINT && running.process.terminationReason == .uncaughtSignal), "\(result)")
        let verified = try cli.run("verify", as: People.support)
        #expect(verified.status == 0, "\(verified)")
        #expect(try Self.charges(cli).twice == false)
    }

    @Test("Ctrl-C during generate: it stops after the batch being written with exit 130, and what it wrote verifies")
    func anInterruptedGenerateStopsBetweenBatches() throws {
        let cli = try CLI()
        defer { cli.remove() }
        rmdir(cli.ledger)
        let running = try cli.start(["generate", "--workspaces", "20", "--entries", "400000", "--batch", "2000", "--days", "30"],
                                    as: People.support)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, ((try? cli.journal().count) ?? 0) < 1_000_000 { usleep(20_000) }
        kill(running.process.processIdentifier, SIGINT)
        let result = running.wait()
        #expect(result.status == 130, "\(result)")
        #expect(result.stderr.contains("between batches: the records up to #"), "\(result)")
        #expect(result.stderr.contains("were written and stand; the rest of the history was not generated"), "\(result)")
        let verified = try cli.run("verify", as: People.support)
        #expect(verified.status == 0, "\(verified)")
    }

    @Test("an interrupt while the last batch's alert is handed to the mailer: the import is whole, so it exits 0 with the after-commit warning")
    func anInterruptAfterTheLastBatchIsAWarning() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 14)
        let file = cli.scratch + "/events.jsonl"
        try "{\"workspace\":\"acme\",\"action\":\"ai_graphic\",\"job\":\"last-1\",\"outcome\":\"succeeded\"}\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let mailer = "sleep 37.75"
        let running = try cli.start(["import", file], as: People.support, environment: ["CREDITDESK_SENDMAIL": mailer])
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, try cli.runTool("/usr/bin/pgrep", ["-f", "^\(mailer)$"]).stdout.isEmpty { usleep(20_000) }
        kill(running.process.processIdentifier, SIGINT)
        let result = running.wait()
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("imported 1 event"), "\(result)")
        #expect(result.stderr.contains("(the command was stopped by the interrupt"), "\(result)")
        #expect(result.stderr.contains("warning: interrupted (signal 2) after the records were written: they stand"), "\(result)")
        #expect(!result.stderr.contains("between batches"), "\(result)")
    }
}
