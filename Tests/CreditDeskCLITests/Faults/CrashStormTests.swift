import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Writers SIGKILLed at seeded random points, with real `creditdesk` processes. What the ledger
/// promises afterwards: every command that exited 0 is in the journal exactly once, a killed one
/// is wholly there or wholly absent, nothing else is there, `verify` passes (a half-written tail
/// is noted, and the next writer cuts it), and every balance equals the fold of the journal.
@Suite("Crash mid-write", .serialized)
struct CrashStormTests {
    static let lanes = 4
    static let killsPerLane = 50

    struct KillPoint {
        var job: String
        var workspace: String
        var delay: Double
        var ending: RawProcess.Ending
    }

    @Test("charge storm: 200 kill points (4 concurrent lanes × 50, seed 3), each charge SIGKILLed after a random 0–3× its lifetime; then every killed job retried once")
    func chargeStormKilledAtRandomPoints() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 5_000)
        try cli.ok("workspace", "create", "beta", "--name", "Beta", "--owner", People.owner, "--plan", "starter", as: People.support)
        try cli.ok("adjust", "beta", "+5000", "--reason", "storm seed", as: People.support)

        // Spread the kill points over a whole charge's life: start, open, lock, write, fsync, exit.
        // The probes run in as many lanes as the storm, so a loaded machine stretches them alike.
        let probes = LockedBox<[Double]>([])
        DispatchQueue.concurrentPerform(iterations: Self.lanes) { lane in
            for index in 0..<2 {
                guard let probe = try? cli.spawn(["charge", "acme", "ai_graphic", "--job", "probe-\(lane)-\(index)"], as: People.member).wait() else { continue }
                #expect(probe.status == 0, "\(probe)")
                probes.update { $0.append(probe.seconds) }
            }
        }
        let lifetimes = probes.value.sorted()
        let lifetime = lifetimes.isEmpty ? 0 : lifetimes[lifetimes.count / 2]
        // Other suites beside them stretch a charge's life past the probes': the window reaches
        // three probe lifetimes so the kills still straddle the write.
        let window = max(0.015, lifetime * 3)

        let results = LockedBox<[[KillPoint]]>(Array(repeating: [], count: Self.lanes))
        let failures = LockedBox<[String]>([])
        DispatchQueue.concurrentPerform(iterations: Self.lanes) { lane in
            var random = Seeded(3 &+ UInt64(lane) &* 1_000_003)
            var points: [KillPoint] = []
            for index in 0..<Self.killsPerLane {
                let job = "storm-\(lane)-\(index)"
                let workspace = random.chance(0.5) ? "acme" : "beta"
                let actor = workspace == "acme" ? People.member : People.owner
                let delay = random.double(0..<window)
                do {
                    let process = try cli.spawn(["charge", workspace, "ai_graphic", "--job", job], as: actor)
                    sleepSeconds(delay)
                    process.kill(SIGKILL)
                    let result = process.wait()
                    points.append(KillPoint(job: job, workspace: workspace, delay: delay, ending: result.ending))
                    if let status = result.status, status != 0 {
                        failures.update { $0.append("\(job) exited \(status) without being killed: \(result)") }
                    }
                } catch {
                    failures.update { $0.append("spawn failed: \(error)") }
                }
            }
            results.update { $0[lane] = points }
        }
        #expect(failures.value.isEmpty, "\(failures.value)")
        let points = results.value.flatMap { $0 }
        #expect(points.count == Self.lanes * Self.killsPerLane)
        let completed = points.filter { $0.ending == .exited(0) }
        let killed = points.filter { $0.ending == .signaled(SIGKILL) }
        #expect(completed.count + killed.count == points.count, "\(points.map(\.ending))")
        // The kill points must straddle the write: some charges finished, some were cut short.
        #expect(completed.count >= 5 && killed.count >= 5,
                "kill window \(window) s over a lifetime of \(lifetime) s: \(completed.count) completed, \(killed.count) killed")

        // On reopen, before any writer has run: verify passes (a torn tail is only a note).
        let tornAfterStorm = cli.tornTailLength()
        let verify = try cli.run("verify")
        #expect(verify.status == 0, "\(verify)")
        let launched = Set(points.map(\.job)).union((0..<Self.lanes).flatMap { lane in (0..<2).map { "probe-\(lane)-\($0)" } })
        func chargesByJob() throws -> [String: Int] {
            var counts: [String: Int] = [:]
            for record in try cli.wholeRecords() where record.string("kind") == "charge" {
                counts[record.string("job") ?? "", default: 0] += 1
            }
            return counts
        }
        var charged = try chargesByJob()
        #expect(Set(charged.keys).isSubset(of: launched), "charges nobody sent: \(Set(charged.keys).subtracting(launched))")
        for point in completed { #expect(charged[point.job] == 1, "\(point.job) exited 0 but is in the journal \(charged[point.job] ?? 0) times") }
        for point in killed { #expect((charged[point.job] ?? 0) <= 1, "killed \(point.job) is in the journal \(charged[point.job] ?? 0) times") }
        let killedButLanded = killed.filter { charged[$0.job] == 1 }.count
        try cli.expectBalancesEqualTheFold()

        // Retry every killed job (a client that saw no answer retries): each is charged once in all.
        for point in killed {
            let actor = point.workspace == "acme" ? People.member : People.owner
            let retry = try cli.run(["charge", point.workspace, "ai_graphic", "--job", point.job], as: actor)
            #expect(retry.status == 0, "\(retry)")
            if charged[point.job] == 1 { #expect(retry.output.lowercased().contains("already"), "\(retry)") }
        }
        charged = try chargesByJob()
        for job in launched { #expect(charged[job] == 1, "\(job) charged \(charged[job] ?? 0) times after the retries") }
        try cli.expectCleanVerify()
        try cli.expectBalancesEqualTheFold()
        let final = try cli.listedBalances()
        let onAcme = try cli.wholeRecords().filter { $0.string("kind") == "charge" && $0.string("ws") == "acme" }.count
        #expect(final["acme"] == 5_000 - 6 * Int64(onAcme))
        print("charge storm: \(points.count) kill points in a \(Int(window * 1000)) ms window (charge lifetime \(Int(lifetime * 1000)) ms): \(completed.count) exited 0, \(killed.count) killed (\(killedButLanded) of them after their commit landed), torn tail after the storm: \(tornAfterStorm) bytes")
    }

    @Test("an init killed after creating the journal and before writing its first record (a 0-byte journal): every command exits 2 naming the missing init record, nothing is written")
    func initKilledBeforeItsFirstRecord() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init", "--catalog", "konfiwear", as: People.support)
        // What a SIGKILL between open(O_CREAT|O_EXCL) and the first write leaves.
        try Data().write(to: URL(fileURLWithPath: cli.journalPath))
        for (arguments, actor) in [(["verify"], People.support), (["workspace", "list", "--json"], People.support),
                                   (["workspace", "create", "acme", "--name", "A", "--owner", "sam", "--plan", "pro"], People.support),
                                   (["generate", "--workspaces", "2", "--entries", "20"], People.support)] {
            let result = try cli.spawn(arguments, as: actor).wait(timeout: 20)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.stderr.contains("init record"), "\(arguments): \(result)")
            #expect(cli.journalBytes().isEmpty, "\(arguments) wrote to a ledger with no init record")
        }
    }

    @Test("generate killed mid-batch: 20 kill points (seed 5) over a 2,500-record, 250-per-batch run; what is left is a byte prefix of the uninterrupted run")
    func generateKilledMidBatch() throws {
        let arguments = ["generate", "--workspaces", "12", "--entries", "2500", "--batch", "250", "--seed", "9", "--days", "60"]
        let reference = try CLI()
        defer { reference.remove() }
        let full = try reference.spawn(arguments, as: People.support).wait()
        try #require(full.status == 0, "\(full)")
        let whole = reference.journalBytes()
        try #require(whole.count > 100_000 && whole.last == 10)
        let duration = full.seconds

        var random = Seeded(5)
        var outcomes: [String: Int] = [:]
        for point in 0..<20 {
            let cli = try CLI()
            defer { cli.remove() }
            let delay = random.double(0..<(duration * 1.05))
            let process = try cli.spawn(arguments, as: People.support)
            sleepSeconds(delay)
            process.kill(SIGKILL)
            let ending = process.wait().ending
            let bytes = cli.journalBytes()
            guard FileManager.default.fileExists(atPath: cli.journalPath) else {
                outcomes["killed before the journal existed", default: 0] += 1
                continue
            }
            let label = "kill point \(point) at \(Int(delay * 1000)) ms (\(ending), \(bytes.count) bytes)"
            // Whatever was written is exactly what the uninterrupted run wrote, byte for byte.
            #expect(whole.starts(with: bytes), "\(label): the journal is not a prefix of the uninterrupted run")
            if bytes.isEmpty {
                // Killed between creating the journal and writing its first record.
                let verify = try cli.run("verify")
                #expect(verify.status == 2, "\(label): \(verify)")
                #expect(verify.stderr.contains("init"), "\(label): \(verify)")
                outcomes["killed inside init (empty journal, refused with exit 2)", default: 0] += 1
                continue
            }
            let torn = cli.tornTailLength()
            let verify = try cli.run("verify")
            #expect(verify.status == 0, "\(label): \(verify)")
            if verify.status != 0 { continue }
            let before = try cli.wholeRecords()
            // A writer cuts any torn tail (and any unfinished multi-record commit) and appends after it.
            let writer = try cli.run("operator", "add", "zed", "--role", "support", as: People.support)
            #expect(writer.status == 0, "\(label): \(writer)")
            try cli.expectCleanVerify()
            let after = try cli.wholeRecords()
            let kept = after.dropLast()
            #expect(kept.count <= before.count, "\(label)")
            #expect(kept.last?["more"] == nil, "\(label): an unfinished commit survived")
            #expect(after.last?.string("kind") == "operator", "\(label)")
            var tailWithoutLast = cli.journalBytes()
            tailWithoutLast.removeLast()
            let keptBytes = Array(tailWithoutLast[..<((tailWithoutLast.lastIndex(of: 10) ?? -1) + 1)])
            #expect(whole.starts(with: keptBytes), "\(label): the kept records differ from the uninterrupted run")
            try cli.expectBalancesEqualTheFold()
            outcomes[ending == .exited(0) ? "finished before the kill" : (torn > 0 ? "killed mid-write (torn tail cut)" : "killed between commits"), default: 0] += 1
        }
        print("generate kills: \(outcomes.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")) (uninterrupted run \(Int(duration * 1000)) ms, \(whole.count) bytes)")
        #expect(outcomes.values.reduce(0, +) == 20)
    }
}

/// A value shared between threads, behind a lock.
final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T { lock.lock(); defer { lock.unlock() }; return stored }
    func update(_ change: (inout T) -> Void) { lock.lock(); defer { lock.unlock() }; change(&stored) }
}
