import Foundation
import Testing

/// The PostgreSQL server crashing (`pg_ctl stop -m immediate`) while desks are charging, on a
/// private server this test starts and crashes itself: every charge a desk acknowledged is there
/// after the restart, every other one said so in one line with exit 2, no commit is cut short,
/// the balances table equals the fold, and verify passes.
@Suite("PostgreSQL server crash", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresRestartTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scripts/postgres-cluster").path

    /// Runs `scripts/postgres-cluster VERB DIR [DB]` and returns what it printed.
    private func cluster(_ cli: CLI, _ arguments: String...) throws -> String {
        let result = try cli.runTool(Self.script, arguments)
        try #require(result.status == 0, "\(result)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a server crash mid-storm loses no acknowledged charge; the refused ones exit 2 in one line; verify passes")
    func serverCrashMidStormLosesNothingAcknowledged() throws {
        let cli = try CLI()
        defer { cli.remove() }
        // Under /tmp itself: the server's own user (as root, creditdesk-pg) must reach the folder.
        let folder = "/tmp/creditdesk-pg-crash-" + UUID().uuidString
        defer {
            _ = try? cluster(cli, "stop", folder)
            try? FileManager.default.removeItem(atPath: folder)
        }
        let server = try cluster(cli, "start", folder)
        #expect(try PostgresForCLI.psql(server, "CREATE DATABASE storm").status == 0)
        #expect(try PostgresForCLI.psql(server, PostgresForCLI.ensureRoles(PostgresForCLI.fixtureRoles)).status == 0)
        cli.environment["CREDITDESK_LEDGER"] = PostgresForCLI.url(server, database: "storm")
        try cli.makeAcmeOnPostgres(credits: 6_000)

        var acknowledged: [String] = []
        var refused: [CLIResult] = []
        for round in 1...5 {
            let jobs = (1...8).map { "r\(round)-\($0)" }
            let running = try jobs.map { try cli.start(["charge", "acme", "ai_graphic", "--job", $0], as: People.member) }
            if round == 2 { usleep(20_000); _ = try cluster(cli, "crash", folder) }
            if round == 4 { _ = try cluster(cli, "start", folder) }
            for (job, result) in zip(jobs, running.map { $0.wait() }) {
                if result.status == 0 { acknowledged.append(job) } else { refused.append(result) }
            }
        }
        #expect(!refused.isEmpty, "the crash cut no command short")
        for result in refused {
            #expect(result.status == 2, "\(result)")
            #expect(result.stderrLines.count == 1, "\(result)")
        }
        let charged = Set(try cli.history("acme", ["--kind", "charge"]).compactMap { $0.string("job") })
        #expect(Set(acknowledged).isSubset(of: charged), "acknowledged but lost: \(Set(acknowledged).subtracting(charged))")
        #expect(acknowledged.contains { $0.hasPrefix("r5-") }, "the desks came back after the restart")
        let verify = try cli.run("verify")
        #expect(verify.status == 0, "\(verify)")
        // No commit cut short by the crash, and the balances table still equals the fold.
        try PostgresKillStormTests.expectWhole(cli, PostgresForCLI.url(server, database: "storm"))
    }
}
