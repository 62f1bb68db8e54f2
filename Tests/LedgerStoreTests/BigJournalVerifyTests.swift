import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// `verify` lends each one-record commit's entry to the replay and the fold in place, run after
/// run. Damage deep inside a journal of many runs must still be named at its own line.
@Suite struct BigJournalVerifyTests {
    /// How many charges follow the workspace and its adjustment.
    private static let charges = 1_200
    /// Run sizes that cross a run boundary every few lines, every few hundred, and never.
    private static let runSizes = [1_000, 64 << 10, DecodedRun.bytesPerRun]
    /// The line (and seq) damaged in each test: a charge of job-997, deep inside the journal.
    private static let damagedLine = 1_000

    /// 1 init · 2 workspace acme · 3 adjustment +100,000 · 4... one charge of job-N each, no alerts.
    private func makeLedger(_ root: String) throws -> (directory: String, journal: [UInt8]) {
        let script = try LedgerScript(creating: root + "/ledger")
        try script.createAcme()
        try script.record(.adjust(workspace: "acme", amount: 100_000, reason: "seed"), as: Fixture.support)
        for job in 1...Self.charges {
            try script.record(.charge(workspace: "acme", action: "print_file", job: "job-\(job)"), as: Fixture.owner)
        }
        #expect(script.ledger.state.lastSeq == Int64(3 + Self.charges))
        return (script.directory, try JournalBytes.read(script.journalPath))
    }


    @Test func anIntactBigJournalVerifiesToTheHeadItOpensTo() throws {
        try withTemporaryDirectory { root in
            let (directory, _) = try makeLedger(root)
            let opened = try FileLedger.open(directory: directory, useCheckpoint: false)
            for runBytes in Self.runSizes {
                let report = try FileLedger.verify(directory: directory, runBytes: runBytes)
                #expect(report.records == 3 + Self.charges, "run of \(runBytes) bytes")
                #expect(report.headSeq == opened.state.lastSeq && report.headHash == opened.state.lastHash, "run of \(runBytes) bytes")
            }
        }
    }

    @Test func aFlippedByteDeepInABigJournalIsNamedAtItsLine() throws {
        try withTemporaryDirectory { root in
            let (directory, journal) = try makeLedger(root)
            let line = JournalBytes.lines(journal)[Self.damagedLine - 1]
            var damaged = journal
            damaged[(line.lowerBound + line.upperBound) / 2] ^= 0x01
            try JournalBytes.overwrite(damaged, to: directory + "/journal.jsonl")
            let sequential = openFailure(directory)
            guard case .damaged(let at, _, let problem)? = sequential else {
                Issue.record("the sequential read did not refuse the flipped byte: \(String(describing: sequential))")
                return
            }
            #expect(at == Self.damagedLine && problem.contains("checksum"))
            for runBytes in Self.runSizes {
                #expect(JournalBytes.verifyFailure(directory, runBytes: runBytes) == sequential, "run of \(runBytes) bytes")
            }
        }
    }

    /// R6: a charge rewritten to name a job charged before, its hash and every later record's
    /// chain rebuilt, so only the replay of the rules can find it.
    @Test func R6_aSecondChargeOfAJobDeepInABigJournalIsNamedAtItsLine() throws {
        try withTemporaryDirectory { root in
            let (directory, journal) = try makeLedger(root)
            var records = try JournalBytes.lines(journal).map { try JournalBytes.decode(Array(journal[$0])).entry }
            records[Self.damagedLine - 1].job = "job-5"
            let rebuilt = JournalBytes.rechained(records)
            try JournalBytes.overwrite(rebuilt, to: directory + "/journal.jsonl")
            #expect(JournalBytes.verify(rebuilt) == nil, "the rebuilt chain is whole")
            for runBytes in Self.runSizes {
                let failure = JournalBytes.verifyFailure(directory, runBytes: runBytes)
                guard case .damaged(let at, let seq, let problem)? = failure else {
                    Issue.record("run of \(runBytes) bytes: verify did not refuse the second charge: \(String(describing: failure))")
                    continue
                }
                #expect(at == Self.damagedLine && seq == Int64(Self.damagedLine), "run of \(runBytes) bytes")
                #expect(problem.contains("breaks the rules") && problem.contains("job job-5 was charged by entry #8"), "run of \(runBytes) bytes: \(problem)")
            }
        }
    }

    /// Rewrites the charge at `damagedLine` with `change`, rebuilds the chain after it, and
    /// returns what verify says at each run size (the chain alone lets every rewrite through).
    private func verifyRewritten(_ change: (inout Entry) -> Void) throws -> [LedgerError?] {
        try withTemporaryDirectory { root in
            let (directory, journal) = try makeLedger(root)
            var records = try JournalBytes.lines(journal).map { try JournalBytes.decode(Array(journal[$0])).entry }
            change(&records[Self.damagedLine - 1])
            let rebuilt = JournalBytes.rechained(records)
            try JournalBytes.overwrite(rebuilt, to: directory + "/journal.jsonl")
            #expect(JournalBytes.verify(rebuilt) == nil, "the rebuilt chain is whole")
            return Self.runSizes.map { JournalBytes.verifyFailure(directory, runBytes: $0) }
        }
    }

    /// Expects every failure to name the damaged line and seq as a breach of the rules saying `says`.
    private func expectNamed(_ failures: [LedgerError?], says: String, _ what: String) {
        for failure in failures {
            guard case .damaged(let at, let seq, let problem)? = failure else {
                Issue.record("\(what): verify did not refuse it: \(String(describing: failure))")
                continue
            }
            #expect(at == Self.damagedLine && seq == Int64(Self.damagedLine), "\(what): \(problem)")
            #expect(problem.contains("breaks the rules") && problem.contains(says), "\(what): \(problem)")
        }
    }

    /// R21: a charge deep in the journal whose balance is forged (one credit more) is named by the
    /// replay, not let through by the in-place check of plain charges.
    @Test func R21_aForgedBalanceDeepInABigJournalIsNamedAtItsLine() throws {
        let balance = 100_000 - 4 * Int64(Self.damagedLine - 3)
        let failures = try verifyRewritten { $0.balance = balance + 1 }
        expectNamed(failures, says: "its \"balance\" is \(balance + 1), the rules would have written \(balance)", "forged balance")
    }

    /// R1: a charge deep in the journal that takes fewer credits than its action costs, its
    /// balance made to agree, is named.
    @Test func R1_aChargeBelowItsActionsCostDeepInABigJournalIsNamedAtItsLine() throws {
        let balance = 100_000 - 4 * Int64(Self.damagedLine - 3)
        let failures = try verifyRewritten { $0.credits = -3; $0.balance = balance + 1 }
        expectNamed(failures, says: "its \"credits\" is -3, the rules would have written -4", "cheap charge")
    }

    /// R18: a charge deep in the journal run by someone who is neither owner nor member is named.
    @Test func R18_aChargeByAStrangerDeepInABigJournalIsNamedAtItsLine() throws {
        let failures = try verifyRewritten { $0.actor = "mallory" }
        expectNamed(failures, says: "not permitted", "stranger's charge")
    }

    /// Every field a plain job charge leaves empty, set on a charge deep in the journal: the
    /// record is not what the rules write, so the replay names it (a field the in-place check of
    /// plain charges overlooked would let it through).
    @Test(arguments: JournalKey.entryKeys.filter { ![.seq, .time, .kind, .actor, .ws, .credits, .balance, .action, .job].contains($0) })
    func aChargeWithAFieldNoChargeHasIsNamed(key: JournalKey) throws {
        let candidates: [JournalValue] = [.integer(1), .text("2025-06-01T00:00:00Z"), .text("promo"), .text("active"),
                                          .text("low"), .text("test"), .text("support"), .text("x")]
        let failures = try verifyRewritten { entry in
            let set = candidates.contains { key.set($0, in: &entry) }
            #expect(set, "no test value for \(key.rawValue)")
        }
        expectNamed(failures, says: "breaks the rules", "\(key.rawValue) on a charge")
    }
}
