import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// Anyone who can write the ledger directory can append records and rebuild the hash chain.
/// `verify` replays the rules, so a forged record with a correct chain is still named; and
/// `verify --expect-head` finds a chain rebuilt under a pinned head.
@Suite struct ForgedRecordTests {
    /// 1 init · 2 workspace acme · 3 member carol · 4 topup_50 paid by pay-1 (500) · 5 charge
    /// job-1 (494) · 6 adjustment −4 (490) · 7 invoice inv-1 granted (540). Every record honest.
    private func makeLedger(_ root: String) throws -> String {
        let script = try LedgerScript(creating: root + "/ledger")
        try script.createAcme()
        try script.record(.addMember(workspace: "acme", member: Fixture.member), as: Fixture.owner)
        try script.record(.topUp(workspace: "acme", pack: "topup_50", payment: "pay-1"), as: Fixture.owner)
        try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-1"), as: Fixture.member)
        try script.record(.adjust(workspace: "acme", amount: -4, reason: "manual correction"), as: Fixture.support)
        try script.record(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: Fixture.support)
        #expect(script.ledger.state.lastSeq == 7)
        #expect(script.ledger.state.workspaces["acme"]?.balance == 540)
        return script.directory
    }

    /// A record as a forger writes it: the next seq, a minute after the last record, in acme.
    private static func forged(_ kind: EntryKind, by actor: String, credits: Credits = 0, balance: Credits? = nil) -> Entry {
        var entry = Entry(seq: 8, time: Fixture.time(minute: 8), kind: kind, actor: actor, workspace: "acme")
        entry.credits = credits
        entry.balance = balance
        return entry
    }

    /// Each forgery the hash chain and the fold both let through before `verify` replayed the rules.
    enum Forgery: String, CaseIterable, Sendable {
        case adjustmentByAMember, grantByAMember, operatorAddedByAMember, workspaceCreatedByAnOwner
        case secondChargeOfAJob, secondGrantOfAnInvoice, secondTopUpOfAPayment
        case topUpPriceNotThePacks, topUpCreditsNotThePacks, chargeCreditsNotTheActions, refundCreditsNotTheCharges
        case unknownAction, planGrantNotThePlans, supportTopUpNotMarkedOnBehalf
        case lowAlertLeftOut, alertWithNoCause, expiryOfCreditsNotDue, copilotPastTheAllowance
        /// R35: a charge that claims to capture a hold nobody took, and a release of no hold.
        case R35_captureOfNoHold, R35_releaseOfNoHold

        /// The forged commit appended after record 7, and what verify must say of it.
        var commit: (records: [Entry], says: String) {
            switch self {
            case .adjustmentByAMember:
                var e = ForgedRecordTests.forged(.adjustment, by: Fixture.member, credits: 1_000, balance: 1_540)
                e.reason = "bonus"
                return ([e], "not permitted: carol cannot adjust a balance")
            case .grantByAMember:
                var e = ForgedRecordTests.forged(.grant, by: Fixture.member, credits: 100, balance: 640)
                e.source = .promo
                e.reason = "free"
                return ([e], "not permitted: carol cannot grant")
            case .operatorAddedByAMember:
                var e = ForgedRecordTests.forged(.operator, by: Fixture.member)
                e.workspace = nil
                e.name = Fixture.member
                e.role = "support"
                return ([e], "not permitted: carol cannot add an operator")
            case .workspaceCreatedByAnOwner:
                var e = ForgedRecordTests.forged(.workspace, by: Fixture.owner)
                e.workspace = "beta"
                e.name = "Beta"
                e.owner = Fixture.owner
                e.plan = "pro"
                e.status = .active
                return ([e], "not permitted: bob cannot create a workspace")
            case .secondChargeOfAJob:
                var e = ForgedRecordTests.forged(.charge, by: Fixture.member, credits: -6, balance: 534)
                e.action = "ai_graphic"
                e.job = "job-1"
                return ([e], "job job-1 was charged by entry #5")
            case .secondGrantOfAnInvoice:
                var e = ForgedRecordTests.forged(.grant, by: Fixture.support, credits: 50, balance: 590)
                e.invoice = "inv-1"
                e.plan = "pro"
                e.source = .plan
                return ([e], "invoice inv-1 was granted by entry #7")
            case .secondTopUpOfAPayment:
                var e = ForgedRecordTests.forged(.topup, by: Fixture.owner, credits: 500, balance: 1_040)
                e.pack = "topup_50"
                e.priceCents = 5_000
                e.payment = "pay-1"
                return ([e], "payment pay-1 was recorded by entry #4")
            case .topUpPriceNotThePacks:
                var e = ForgedRecordTests.forged(.topup, by: Fixture.owner, credits: 10_000, balance: 10_540)
                e.pack = "topup_800"
                e.priceCents = 100
                return ([e], "its \"price_cents\" is 100, the rules would have written 80000")
            case .topUpCreditsNotThePacks:
                var e = ForgedRecordTests.forged(.topup, by: Fixture.owner, credits: 5_000, balance: 5_540)
                e.pack = "topup_50"
                e.priceCents = 5_000
                return ([e], "its \"credits\" is 5000, the rules would have written 500")
            case .chargeCreditsNotTheActions:
                var e = ForgedRecordTests.forged(.charge, by: Fixture.member, credits: -1, balance: 539)
                e.action = "ai_graphic"
                e.job = "job-2"
                return ([e], "its \"credits\" is -1, the rules would have written -6")
            case .refundCreditsNotTheCharges:
                var e = ForgedRecordTests.forged(.refund, by: Fixture.member, credits: 6, balance: 546)
                e.action = "print_file"
                e.job = "job-1"
                e.ref = 5
                return ([e], "its \"action\" is \"print_file\", the rules would have written \"ai_graphic\"")
            case .unknownAction:
                var e = ForgedRecordTests.forged(.charge, by: Fixture.member, credits: -6, balance: 534)
                e.action = "teleport"
                e.job = "job-2"
                return ([e], "unknown action \"teleport\"")
            case .planGrantNotThePlans:
                var e = ForgedRecordTests.forged(.grant, by: Fixture.support, credits: 5_000, balance: 5_540)
                e.invoice = "inv-2"
                e.plan = "pro"
                e.source = .plan
                return ([e], "its \"credits\" is 5000, the rules would have written 50")
            case .supportTopUpNotMarkedOnBehalf:
                var e = ForgedRecordTests.forged(.topup, by: Fixture.support, credits: 500, balance: 1_040)
                e.pack = "topup_50"
                e.priceCents = 5_000
                return ([e], "its \"on_behalf_of\" is absent, the rules would have written \"bob\"")
            case .lowAlertLeftOut:
                var e = ForgedRecordTests.forged(.adjustment, by: Fixture.support, credits: -535, balance: 5)
                e.reason = "drain"
                return ([e], "the rules would have written another record after it (alert)")
            case .alertWithNoCause:
                var e = ForgedRecordTests.forged(.alert, by: Fixture.owner, balance: 540)
                e.alert = .low
                e.ref = 7
                return ([e], "the rules would not have written this alert record")
            case .expiryOfCreditsNotDue:
                var e = ForgedRecordTests.forged(.expiry, by: "system", credits: -490, balance: 50)
                e.ref = 4
                return ([e], "the rules would not have written this expiry record")
            case .R35_captureOfNoHold:
                var e = ForgedRecordTests.forged(.charge, by: Fixture.member, credits: -6, balance: 534)
                e.action = "ai_graphic"
                e.job = "job-2"
                e.ref = 5
                return ([e], "its \"ref\" is 5, the rules would have written absent")
            case .R35_releaseOfNoHold:
                var e = ForgedRecordTests.forged(.release, by: "system", balance: 540)
                e.held = 500
                e.action = "ai_graphic"
                e.job = "job-9"
                e.ref = 4
                e.reason = HoldPolicy.expiredReason
                return ([e], "the rules would not have written this release record")
            case .copilotPastTheAllowance:
                var e = ForgedRecordTests.forged(.copilot, by: Fixture.member)
                e.messages = 1_000_000
                return ([e], "Copilot allowance reached")
            }
        }
    }

    /// Appends `records` as one commit after the journal's last record, with a correct chain.
    private func append(_ records: [Entry], to directory: String) throws {
        let path = directory + "/journal.jsonl"
        var bytes = try JournalBytes.read(path)
        let lines = JournalBytes.lines(bytes)
        var prev = try JournalBytes.decode(Array(bytes[lines[lines.count - 1]])).entry.hash
        for (index, record) in records.enumerated() {
            let (line, hash) = JournalFormat.encode(record, prev: prev, more: index < records.count - 1)
            bytes += line + [10]
            prev = hash
        }
        try JournalBytes.overwrite(bytes, to: path)
    }


    @Test func anHonestLedgerVerifiesWithItsRulesReplayed() throws {
        try withTemporaryDirectory { root in
            let directory = try makeLedger(root)
            let report = try FileLedger.verify(directory: directory)
            #expect(report.records == 7)
        }
    }

    @Test(arguments: Forgery.allCases)
    func aForgedRecordWithACorrectChainIsNamed(forgery: Forgery) throws {
        try withTemporaryDirectory { root in
            let directory = try makeLedger(root)
            let (records, says) = forgery.commit
            try append(records, to: directory)
            // The chain holds, so the chain alone lets it through.
            let journal = try JournalBytes.read(directory + "/journal.jsonl")
            #expect(JournalBytes.verify(journal) == nil)
            let error = JournalBytes.verifyFailure(directory)
            guard case let .damaged(line, seq, problem)? = error else {
                Issue.record("\(forgery): verify passed or failed otherwise: \(String(describing: error))")
                return
            }
            #expect((line, seq) == (8, 8), "\(problem)")
            #expect(problem.contains("breaks the rules"), "\(problem)")
            #expect(problem.contains(says), "\(problem)")
        }
    }

    /// Forgeries the fold already refused (a wrong balance, a balance below zero, a refund of a
    /// job never charged, a kind that does not exist): still refused, now by the rules first.
    @Test func forgeriesTheFoldCaughtAreStillRefused() throws {
        var wrongBalance = Self.forged(.charge, by: Fixture.member, credits: -6, balance: 999)
        wrongBalance.action = "ai_graphic"
        wrongBalance.job = "job-2"
        var belowZero = Self.forged(.adjustment, by: Fixture.support, credits: -10_000, balance: -9_460)
        belowZero.reason = "drain"
        var refundWithoutCharge = Self.forged(.refund, by: Fixture.member, credits: 6, balance: 546)
        refundWithoutCharge.action = "ai_graphic"
        refundWithoutCharge.job = "never-charged"
        let cases: [(Entry, String)] = [
            (wrongBalance, "its \"balance\" is 999, the rules would have written 534"),
            (belowZero, "insufficient credits"),
            (refundWithoutCharge, "job never-charged was never charged"),
        ]
        for (record, says) in cases {
            try withTemporaryDirectory { root in
                let directory = try makeLedger(root)
                try append([record], to: directory)
                guard case let .damaged(line, _, problem)? = JournalBytes.verifyFailure(directory) else {
                    Issue.record("\(record.kind) forgery passed verify")
                    return
                }
                #expect(line == 8)
                #expect(problem.contains(says), "\(problem)")
            }
        }
    }

    @Test func aRecordOfAKindThatDoesNotExistIsNamed() throws {
        try withTemporaryDirectory { root in
            let directory = try makeLedger(root)
            let path = directory + "/journal.jsonl"
            var bytes = try JournalBytes.read(path)
            let lines = JournalBytes.lines(bytes)
            let last = try JournalBytes.decode(Array(bytes[lines[lines.count - 1]])).entry.hash
            var gift = Self.forged(.adjustment, by: Fixture.support, credits: 10, balance: 550)
            gift.reason = "gift"
            let (line, _) = JournalFormat.encode(gift, prev: last, more: false)
            // Rename the kind and hash the line again, as a forger would.
            let text = String(decoding: line, as: UTF8.self).replacingOccurrences(of: "\"kind\":\"adjustment\"", with: "\"kind\":\"gift\"")
            let body = Array(text.utf8.dropLast(JournalFormat.hashSuffixLength))
            bytes += body + Array(",\"hash\":\"\(SHA256Hex.digest(body))\"}".utf8) + [10]
            try JournalBytes.overwrite(bytes, to: path)
            guard case let .damaged(badLine, _, problem)? = JournalBytes.verifyFailure(directory) else {
                Issue.record("a record of kind gift passed verify")
                return
            }
            #expect(badLine == 8)
            #expect(problem.contains("\"kind\""), "\(problem)")
        }
    }

    @Test func twoCommandsForgedIntoOneCommitAreNamed() throws {
        try withTemporaryDirectory { root in
            let directory = try makeLedger(root)
            var first = Self.forged(.charge, by: Fixture.member, credits: -6, balance: 534)
            first.action = "ai_graphic"
            first.job = "job-2"
            var second = Self.forged(.charge, by: Fixture.member, credits: -6, balance: 528)
            second.seq = 9
            second.action = "ai_graphic"
            second.job = "job-3"
            try append([first, second], to: directory)
            guard case let .damaged(line, seq, problem)? = JournalBytes.verifyFailure(directory) else {
                Issue.record("two commands in one commit passed verify")
                return
            }
            #expect((line, seq) == (9, 9))
            #expect(problem.contains("stands for no single command"), "\(problem)")
        }
    }

    /// R34 as verify replays it from what it keeps of each adjustment: an honest reversal of
    /// record 6 passes, a second one forged after it is named.
    @Test func R34_aSecondReversalForgedAfterTheFirstIsNamed() throws {
        try withTemporaryDirectory { root in
            let directory = try makeLedger(root)
            var reversal = Self.forged(.adjustment, by: Fixture.support, credits: 4, balance: 544)
            reversal.reason = "entered twice"
            reversal.reverses = 6
            try append([reversal], to: directory)
            #expect(try FileLedger.verify(directory: directory).records == 8)
            var again = reversal
            again.seq = 9
            again.time = Fixture.time(minute: 9)
            again.balance = 548
            try append([again], to: directory)
            guard case let .damaged(line, seq, problem)? = JournalBytes.verifyFailure(directory) else {
                Issue.record("a second reversal of record 6 passed verify")
                return
            }
            #expect((line, seq) == (9, 9))
            #expect(problem.contains("breaks the rules"), "\(problem)")
            #expect(problem.contains("#8"), "\(problem)")
        }
    }

    // MARK: - A pinned head

    @Test func theExpectedHeadPassesWhileItsRecordIsInTheChain() throws {
        try withTemporaryDirectory { root in
            let directory = try makeLedger(root)
            let pinned = try FileLedger.verify(directory: directory)
            let script = try LedgerScript(reopening: directory, minute: 7)
            try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-2"), as: Fixture.member)
            let later = try FileLedger.verify(directory: directory, expectedHead: (pinned.headSeq, pinned.headHash))
            #expect(later.headSeq == 8)
            // An earlier record pins too.
            let first = try JournalBytes.decode(Array(try JournalBytes.read(directory + "/journal.jsonl")[JournalBytes.lines(try JournalBytes.read(directory + "/journal.jsonl"))[0]]))
            _ = try FileLedger.verify(directory: directory, expectedHead: (1, first.entry.hash))
        }
    }

    @Test func aChainRebuiltUnderThePinnedHeadFails() throws {
        try withTemporaryDirectory { root in
            let directory = try makeLedger(root)
            let pinned = try FileLedger.verify(directory: directory)
            // Rebuild the chain from record 6 with a different (honest-looking) adjustment.
            let path = directory + "/journal.jsonl"
            let bytes = try JournalBytes.read(path)
            let lines = JournalBytes.lines(bytes)
            var records = try lines.map { try JournalBytes.decode(Array(bytes[$0])).entry }
            records[5].credits = -3
            records[5].balance = 491
            records[6].balance = 541
            try JournalBytes.overwrite(JournalBytes.rechained(records), to: path)
            _ = try FileLedger.verify(directory: directory) // the rebuilt chain is consistent in itself
            let error = try #require(throws: LedgerError.self) {
                try FileLedger.verify(directory: directory, expectedHead: (pinned.headSeq, pinned.headHash))
            }
            guard case let .headNotInChain(seq, hash, found, _) = error else { Issue.record("\(String(describing: error))"); return }
            #expect(seq == 7 && hash == pinned.headHash && found != nil && found != pinned.headHash)
        }
    }

    @Test func aJournalCutBackBelowThePinnedHeadFails() throws {
        try withTemporaryDirectory { root in
            let directory = try makeLedger(root)
            let pinned = try FileLedger.verify(directory: directory)
            let path = directory + "/journal.jsonl"
            let bytes = try JournalBytes.read(path)
            try JournalBytes.cut(path, to: JournalBytes.lines(bytes)[5].upperBound + 1)
            let error = try #require(throws: LedgerError.self) {
                try FileLedger.verify(directory: directory, expectedHead: (pinned.headSeq, pinned.headHash))
            }
            #expect(error == .headNotInChain(seq: 7, hash: pinned.headHash, found: nil, journalEnds: 6))
        }
    }
}
