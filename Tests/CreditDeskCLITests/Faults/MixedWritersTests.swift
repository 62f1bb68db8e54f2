import Foundation
import Testing

/// Several real processes writing to one workspace at once with different commands. (16 racing
/// charges and one job sent by 8 processes are covered in CreditDeskCLITests.)
@Suite("Concurrent mixed writers")
struct MixedWritersTests {
    enum Kind: String { case charge, topup, adjustDown, adjustUp }

    @Test("24 processes from 3 actors at once (12 charges by a member, 2 top-ups by the owner, 6 adjust -25 and 4 adjust +5 by support) on 30 credits: each exits 0 or 1, one record per success, the balance is the fold and never negative")
    func mixedCommandsFromThreeActors() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 30)
        var plan: [(Kind, [String], String)] = []
        for index in 0..<12 { plan.append((.charge, ["charge", "acme", "ai_graphic", "--job", "mixed-\(index)"], People.member)) }
        for _ in 0..<2 { plan.append((.topup, ["topup", "acme", "topup_50"], People.owner)) }
        for index in 0..<6 { plan.append((.adjustDown, ["adjust", "acme", "-25", "--reason", "clawback-\(index)"], People.support)) }
        for index in 0..<4 { plan.append((.adjustUp, ["adjust", "acme", "+5", "--reason", "goodwill-\(index)"], People.support)) }
        // Interleave the start order deterministically so the actors overlap.
        var random = Seeded(24)
        plan.shuffle(using: &random.generator)
        let running = try plan.map { try cli.spawn($0.1, as: $0.2) }
        let results = running.map { $0.wait() }

        var delta: Int64 = 0
        var succeeded: [Kind: Int] = [:]
        for ((kind, arguments, _), result) in zip(plan, results) {
            #expect(result.status == 0 || result.status == 1, "\(arguments): \(result)")
            if result.status == 1 {
                #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
                #expect(kind == .charge || kind == .adjustDown, "\(arguments) refused: \(result)")
                if kind == .charge { #expect(result.stderr.contains("short by"), "\(result)") }
            }
            guard result.status == 0 else { continue }
            succeeded[kind, default: 0] += 1
            switch kind {
            case .charge: delta -= 6
            case .topup: delta += 500
            case .adjustDown: delta -= 25
            case .adjustUp: delta += 5
            }
        }
        // One record per success, none per refusal: nothing lost, nothing doubled.
        let records = try cli.wholeRecords().filter { $0.string("ws") == "acme" && $0["credits"] != nil }
        let charges = records.filter { $0.string("kind") == "charge" }
        let chargedJobs = charges.compactMap { $0.string("job") }
        let outcomes: [(kind: Kind, arguments: [String], status: Int32?)] = zip(plan, results).map { ($0.0.0, $0.0.1, $0.1.status) }
        let succeededJobs: [String] = outcomes.filter { $0.kind == .charge && $0.status == 0 }.map { $0.arguments[4] }
        #expect(chargedJobs.sorted() == succeededJobs.sorted())
        #expect(records.filter { $0.string("kind") == "topup" }.count == succeeded[.topup, default: 0])
        let reasons = records.filter { $0.string("kind") == "adjustment" }.compactMap { $0.string("reason") }
        let succeededReasons: [String] = outcomes.filter { ($0.kind == .adjustDown || $0.kind == .adjustUp) && $0.status == 0 }.map { $0.arguments[4] }
        #expect(reasons.filter { $0 != "test seed" }.sorted() == succeededReasons.sorted())

        let balance = try #require(try cli.balance().int("balance"))
        #expect(balance == 30 + delta, "succeeded: \(succeeded)")
        try cli.expectBalancesEqualTheFold()
        // The history is a running sum that never dips below zero.
        var running_: Int64 = 0
        for entry in try cli.history().reversed() {
            running_ += entry.int("credits") ?? 0
            #expect(entry.int("balance") == running_, "\(entry)")
            #expect(running_ >= 0)
        }
        try cli.expectCleanVerify()
        print("mixed writers: \(succeeded.map { "\($0.key.rawValue) \($0.value)" }.sorted().joined(separator: ", ")) succeeded of 12/2/6/4; final balance \(balance)")
    }
}
