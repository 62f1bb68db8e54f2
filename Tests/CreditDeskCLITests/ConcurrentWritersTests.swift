import Foundation
import Testing

/// R6 and R8 under concurrency, with real processes racing for the ledger's lock.
@Suite("Concurrent writers")
struct ConcurrentWritersTests {
    @Test("R8: 16 processes race for 63 credits: exactly 10 charges of 6, nothing below zero")
    func R8_racingChargesNeverOverspend() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 10 * 6 + 3)
        let jobs = (1...16).map { "job-\($0)" }
        let running = try jobs.map { try cli.start(["charge", "acme", "ai_graphic", "--job", $0], as: People.member) }
        let results = running.map { $0.wait() }

        let succeeded = results.filter { $0.status == 0 }
        let refused = results.filter { $0.status != 0 }
        #expect(succeeded.count == 10, "\(results.map { "\($0.status)" })")
        #expect(refused.count == 6)
        for result in refused {
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("short by"), "\(result)")
        }
        #expect(try cli.balance().int("balance") == 3)
        let verify = try cli.run("verify")
        #expect(verify.status == 0, "\(verify)")

        let charges = try cli.history("acme", ["--kind", "charge"])
        #expect(charges.count == 10)
        let chargedJobs = Set(charges.compactMap { $0.string("job") })
        #expect(chargedJobs.count == 10)
        // Exactly the jobs whose process said yes were charged.
        let succeededJobs = Set(zip(jobs, results).filter { $0.1.status == 0 }.map(\.0))
        #expect(chargedJobs == succeededJobs)
        #expect(try cli.history().allSatisfy { ($0.int("balance") ?? -1) >= 0 })
    }

    @Test("R6: 8 processes send the same job at once: charged exactly once, all exit 0")
    func R6_sameJobAtOnceIsChargedOnce() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 63)
        let running = try (1...8).map { _ in try cli.start(["charge", "acme", "ai_graphic", "--job", "same-job"], as: People.member) }
        let results = running.map { $0.wait() }
        for result in results { #expect(result.status == 0, "\(result)") }
        #expect(results.filter { $0.output.lowercased().contains("already") }.count == 7,
                "\(results.map(\.output))")
        let charges = try cli.history("acme", ["--kind", "charge"])
        #expect(charges.count == 1)
        #expect(charges.first?.string("job") == "same-job")
        #expect(try cli.balance().int("balance") == 57)
        #expect(try cli.run("verify").status == 0)
    }
}
