import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Desks SIGKILLed at random moments on a PostgreSQL ledger, with real `creditdesk` processes:
/// charges and top-ups at once, some killed before, during or after their transaction. What
/// the ledger promises afterwards: every command that exited 0 is there, a killed one wholly or
/// not at all, no commit cut short, the balances table equal to the fold, and verify passes.
@Suite("Kill storm on PostgreSQL", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresKillStormTests {
    static let lanes = 4
    static let desksPerLane = 10

    /// One desk of the storm: what it sent and how it ended.
    struct Desk {
        var arguments: [String]
        var key: String
        var ending: RawProcess.Ending
    }

    @Test("kill storm: 40 charges and top-ups (4 lanes × 10, seed 17), each SIGKILLed after a random 0–3× its lifetime: every acknowledged one is there once, no commit is cut short, balances equal the fold, verify passes")
    func killStormOfDesksLosesNothingAcknowledged() throws {
        let (cli, drop) = try PostgresForCLI.cli()
        defer { drop() }
        try cli.makeAcmeOnPostgres(credits: 3_000)
        var lifetimes: [Double] = []
        for index in 0..<3 {
            let probe = try cli.spawn(["charge", "acme", "ai_graphic", "--job", "probe-\(index)"], as: People.member).wait()
            #expect(probe.status == 0, "\(probe)")
            lifetimes.append(probe.seconds)
        }
        let window = max(0.02, lifetimes.sorted()[1] * 3)

        let lanes = LockedBox<[[Desk]]>(Array(repeating: [], count: Self.lanes))
        DispatchQueue.concurrentPerform(iterations: Self.lanes) { lane in
            var random = Seeded(17 &+ UInt64(lane) &* 7_919)
            var desks: [Desk] = []
            for index in 0..<Self.desksPerLane {
                let topup = random.chance(0.3)
                let key = "storm-\(lane)-\(index)"
                let arguments = topup ? ["topup", "acme", "topup_50", "--payment", key] : ["charge", "acme", "ai_graphic", "--job", key]
                guard let process = try? cli.spawn(arguments, as: topup ? People.owner : People.member) else { continue }
                sleepSeconds(random.double(0..<window))
                process.kill(SIGKILL)
                let result = process.wait()
                desks.append(Desk(arguments: arguments, key: key, ending: result.ending))
            }
            lanes.update { $0[lane] = desks }
        }
        let desks = lanes.value.flatMap { $0 }
        #expect(desks.count == Self.lanes * Self.desksPerLane)
        let acknowledged = desks.filter { $0.ending == .exited(0) }
        let killed = desks.filter { $0.ending == .signaled(SIGKILL) }
        #expect(acknowledged.count + killed.count == desks.count, "\(desks.map(\.ending))")
        #expect(acknowledged.count >= 3 && killed.count >= 3, "window \(window) s: \(acknowledged.count) acknowledged, \(killed.count) killed")

        let url = try #require(cli.environment["CREDITDESK_LEDGER"])
        let landed = try Self.keysRecorded(url)
        for desk in acknowledged { #expect(landed[desk.key] == 1, "\(desk.key) exited 0 but is recorded \(landed[desk.key] ?? 0) times") }
        for desk in killed { #expect((landed[desk.key] ?? 0) <= 1, "killed \(desk.key) is recorded \(landed[desk.key] ?? 0) times") }
        try Self.expectWhole(cli, url)
        print("PostgreSQL kill storm: \(desks.count) desks in a \(Int(window * 1000)) ms window: \(acknowledged.count) acknowledged, \(killed.count) killed (\(killed.filter { landed[$0.key] == 1 }.count) after their commit landed)")
    }

    /// How many entries carry each job (charges) or payment (top-ups) key.
    static func keysRecorded(_ url: String) throws -> [String: Int] {
        let rows = try PostgresForCLI.psql(url, "SELECT coalesce(job, payment) || '=' || count(*) FROM creditdesk.entries WHERE coalesce(job, payment) IS NOT NULL GROUP BY coalesce(job, payment)")
        try #require(rows.status == 0, "\(rows)")
        var counts: [String: Int] = [:]
        for line in rows.stdoutLines {
            let parts = line.split(separator: "=")
            counts[String(parts[0])] = Int(parts[1])
        }
        return counts
    }

    /// The ledger after a storm: no commit cut short (the last row ends its commit, seqs have no
    /// gap, the head names the last row), `balances` equal to the sum of each workspace's entries
    /// and to `workspace list`, every entry row a journal row, and `verify` passes.
    static func expectWhole(_ cli: CLI, _ url: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        func one(_ sql: String) throws -> String {
            let result = try PostgresForCLI.psql(url, sql)
            #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(try one("SELECT more FROM creditdesk.journal ORDER BY seq DESC LIMIT 1") == "f", "the last commit is cut short", sourceLocation: sourceLocation)
        #expect(try one("SELECT count(*) = max(seq) FROM creditdesk.journal") == "t", "a seq is missing", sourceLocation: sourceLocation)
        #expect(try one("SELECT h.seq = j.seq AND h.hash = j.hash FROM creditdesk.head h, (SELECT seq, hash FROM creditdesk.journal ORDER BY seq DESC LIMIT 1) j") == "t",
                sourceLocation: sourceLocation)
        #expect(try one("""
            SELECT count(*) FROM creditdesk.balances b
            WHERE b.balance <> (SELECT coalesce(sum(credits), 0) FROM creditdesk.entries e WHERE e.workspace = b.workspace)
            """) == "0", "a balance row differs from the sum of its entries", sourceLocation: sourceLocation)
        #expect(try one("SELECT count(*) FROM creditdesk.entries e LEFT JOIN creditdesk.journal j USING (seq) WHERE j.hash IS DISTINCT FROM e.hash") == "0",
                sourceLocation: sourceLocation)
        let stored = try one("SELECT string_agg(workspace || '=' || balance, ',' ORDER BY workspace) FROM creditdesk.balances")
        let listed = try cli.run("workspace", "list", "--json", as: People.support, sourceLocation: sourceLocation)
        try #require(listed.status == 0, "\(listed)", sourceLocation: sourceLocation)
        let shown = try listed.jsonArray().map { "\($0.string("workspace") ?? "")=\($0.int("balance") ?? -1)" }.sorted().joined(separator: ",")
        #expect(stored == shown, sourceLocation: sourceLocation)
        let verify = try cli.run("verify", sourceLocation: sourceLocation)
        #expect(verify.status == 0, "\(verify)", sourceLocation: sourceLocation)
    }
}
