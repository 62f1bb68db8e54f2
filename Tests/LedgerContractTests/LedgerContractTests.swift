import CreditKit
import LedgerCore
import Testing

/// The Ledger protocol's contract, run against every backend in `LedgerBackendUnderTest.all`:
/// what the rules (docs/RULES.md) say a ledger does, whichever backend keeps it.
@Suite("Ledger contract")
struct LedgerContractTests {
    @Test("R10: a paid invoice grants the plan once, however often it is reported", arguments: LedgerBackendUnderTest.all)
    func R10_grantOncePerInvoice(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try script.createAcme()
        let granted = try script.record(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: Contract.support)
        let seq = script.ledger.state.lastSeq
        let repeated = try script.submit(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: Contract.support)
        guard case .alreadyRecorded(_, let original) = repeated else { Issue.record("\(repeated)"); return }
        #expect(original?.seq == granted.first { $0.kind == .grant }?.seq)
        #expect(script.balance == 50)
        #expect(script.ledger.state.lastSeq == seq, "a repeat wrote something")
    }

    @Test("R15, R26: a top-up lands at once; its payment id is recorded once", arguments: LedgerBackendUnderTest.all)
    func R26_topUpPaymentRecordedOnce(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try script.createAcme()
        let bought = try script.record(.topUp(workspace: "acme", pack: "topup_50", payment: "pay-1"), as: Contract.owner)
        #expect(script.balance == 500)
        let repeated = try script.submit(.topUp(workspace: "acme", pack: "topup_50", payment: "pay-1"), as: Contract.owner)
        guard case .alreadyRecorded(.paymentAlreadyRecorded, let original) = repeated else { Issue.record("\(repeated)"); return }
        #expect(original?.seq == bought.last { $0.kind == .topup }?.seq)
        let other = try script.submit(.topUp(workspace: "acme", pack: "topup_100", payment: "pay-1"), as: Contract.owner)
        guard case .rejected = other else { Issue.record("the same payment for another pack: \(other)"); return }
        #expect(script.balance == 500)
    }

    @Test("R8: a charge beyond the balance is refused with cost, balance and shortfall; nothing is written",
          arguments: LedgerBackendUnderTest.all)
    func R8_insufficientCreditsRefused(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try script.createAcme()
        try script.record(.adjust(workspace: "acme", amount: 4, reason: "a little"), as: Contract.support)
        let seq = script.ledger.state.lastSeq
        let refused = try script.submit(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: Contract.member)
        guard case .rejected(.insufficientCredits(_, let cost, let balance, let shortfall, _)) = refused else {
            Issue.record("\(refused)"); return
        }
        #expect((cost, balance, shortfall) == (6, 4, 2))
        #expect(script.ledger.state.lastSeq == seq)
        #expect(script.balance == 4)
    }

    @Test("R6, R5: a job is charged once and refunded once, each repeat answering with the original",
          arguments: LedgerBackendUnderTest.all)
    func R6_R5_jobChargedAndRefundedOnce(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try script.createAcme()
        try script.record(.topUp(workspace: "acme", pack: "topup_50"), as: Contract.owner)
        let charge = try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: Contract.member)
        let again = try script.submit(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: Contract.member)
        guard case .alreadyRecorded(.jobAlreadyCharged, let original) = again else { Issue.record("\(again)"); return }
        #expect(original == charge.first)
        #expect(script.balance == 494)
        let refund = try script.record(.jobFailed(workspace: "acme", job: "j-1"), as: Contract.member)
        #expect(refund.first?.ref == charge.first?.seq)
        let refundAgain = try script.submit(.jobFailed(workspace: "acme", job: "j-1"), as: Contract.member)
        guard case .alreadyRecorded(.jobAlreadyRefunded, let first) = refundAgain else { Issue.record("\(refundAgain)"); return }
        #expect(first == refund.first)
        #expect(script.balance == 500)
    }

    @Test("R19, R26, R34: an adjustment's request id is recorded once; a reversal is found and made once",
          arguments: LedgerBackendUnderTest.all)
    func R34_adjustmentRequestAndReversal(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try script.createAcme()
        let adjusted = try script.record(.adjust(workspace: "acme", amount: 25, reason: "goodwill", request: "req-1"), as: Contract.support)
        let again = try script.submit(.adjust(workspace: "acme", amount: 25, reason: "goodwill", request: "req-1"), as: Contract.support)
        guard case .alreadyRecorded(.requestAlreadyRecorded, let original) = again else { Issue.record("\(again)"); return }
        #expect(original == adjusted.first)
        let seq = try #require(adjusted.first?.seq)
        #expect(try script.ledger.reversal(of: seq, in: "acme") == nil)
        let reversed = try script.record(.reverse(workspace: "acme", seq: seq, reason: "in error"), as: Contract.support)
        #expect(reversed.first?.reverses == seq)
        #expect(try script.ledger.reversal(of: seq, in: "acme") == reversed.first?.seq)
        let facts = try script.ledger.reversalFacts(workspace: "acme", seq: seq)
        #expect(facts.original == adjusted.first && facts.reversedBy == reversed.first?.seq)
        let twice = try script.submit(.reverse(workspace: "acme", seq: seq, reason: "in error"), as: Contract.support)
        guard case .alreadyRecorded(.alreadyReversed, _) = twice else { Issue.record("\(twice)"); return }
        #expect(script.balance == 0)
    }

    @Test("R22: history pages join up newest first, and agree with the whole history", arguments: LedgerBackendUnderTest.all)
    func R22_historyPagesNewestFirst(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try script.createAcme()
        try script.record(.topUp(workspace: "acme", pack: "topup_100"), as: Contract.owner)
        for job in 1...11 { try script.record(.charge(workspace: "acme", action: "print_file", job: "j-\(job)"), as: Contract.member) }
        let whole = try script.ledger.history(of: "acme", kinds: nil, limit: nil)
        #expect(whole.count == 12)
        #expect(script.ledger.historyCount(of: "acme") == 12)
        #expect(whole.map(\.seq) == whole.map(\.seq).sorted(by: >), "not newest first")
        var paged: [Entry] = []
        for start in stride(from: 0, to: 12, by: 5) { paged += try script.ledger.historyPage(of: "acme", start: start, count: 5) }
        #expect(paged == whole)
        #expect(try script.ledger.history(of: "acme", kinds: [.topup], limit: nil).map(\.kind) == [.topup])
        #expect(try script.ledger.history(of: "acme", kinds: nil, limit: 3) == Array(whole.prefix(3)))
        #expect(try script.ledger.entry(seq: whole[0].seq) == whole[0])
    }

    @Test("Activity pages walk every workspace's entries back to the first, and newerThan stops live reads",
          arguments: LedgerBackendUnderTest.all)
    func activityPagesJoinUp(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try script.createAcme()
        try script.record(.topUp(workspace: "acme", pack: "topup_50"), as: Contract.owner)
        for job in 1...5 { try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-\(job)"), as: Contract.member) }
        var seqs: [Int64] = []
        var before: EntryPosition?
        var reads = 0
        while reads < 100 {
            let page = try script.ledger.activityPage(before: before, count: 3, filter: EntryFilter(), newerThan: nil)
            seqs += page.entries.map(\.seq)
            before = page.next
            reads += 1
            if page.reachedEnd { break }
        }
        let newestFirst = try script.everything().map(\.seq).reversed()
        #expect(seqs == Array(newestFirst))
        let head = script.ledger.state.lastSeq
        try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-6"), as: Contract.member)
        let live = try script.ledger.activityPage(before: nil, count: 10, filter: EntryFilter(), newerThan: head)
        #expect(live.entries.map(\.seq) == [head + 1])
        #expect(live.reachedEnd && live.headSeq == head + 1)
    }

    @Test("verify names the head; an expected head no longer in the chain is refused; export streams every record in order",
          arguments: LedgerBackendUnderTest.all)
    func verifyHeadAndExportStream(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try Self.commonScript(script)
        let report = try script.ledger.verify(expectedHead: nil)
        #expect(report.headSeq == script.ledger.state.lastSeq)
        #expect(report.headHash == script.ledger.state.lastHash)
        #expect(report.records == Int(script.ledger.state.lastSeq))
        #expect(try script.ledger.verify(expectedHead: (report.headSeq, report.headHash)).headHash == report.headHash)
        let wrong = String(repeating: "0", count: 64)
        #expect(throws: LedgerError.headNotInChain(seq: 2, hash: wrong, found: try script.ledger.entry(seq: 2)?.hash,
                                                     journalEnds: script.ledger.state.lastSeq)) {
            try script.ledger.verify(expectedHead: (2, wrong))
        }
        let all = try script.everything()
        #expect(all.map(\.seq) == Array(1...script.ledger.state.lastSeq))
        #expect(all.last?.hash == report.headHash)
    }

    @Test("every backend fed the same commands verifies to the same head, record for record")
    func sameCommandsSameHead() throws {
        let scripts = try LedgerBackendUnderTest.all.map(ContractScript.init)
        for script in scripts { try Self.commonScript(script) }
        let heads = try scripts.map { try $0.ledger.verify(expectedHead: nil) }.map { "\($0.headSeq):\($0.headHash)" }
        #expect(Set(heads).count == 1, "\(zip(LedgerBackendUnderTest.all.map(\.description), heads).map { "\($0): \($1)" })")
        let records = try scripts.map { try $0.everything() }
        for other in records.dropFirst() { #expect(other == records[0]) }
        #expect(records[0].contains { $0.kind == .alert }, "the script crosses the R24 alert level")
        #expect(records[0].contains { $0.reverses != nil }, "the script reverses an adjustment (R34)")
        let journalBytes = try scripts.map { try $0.ledger.verify(expectedHead: nil).journalBytes }
        #expect(Set(journalBytes).count == 1, "the same records take the same journal bytes: \(journalBytes)")
    }

    /// Commands touching every kind of record the scenarios above use, alerts (R24) included.
    static func commonScript(_ script: ContractScript) throws {
        try script.createAcme()
        try script.record(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: Contract.support)
        try script.record(.topUp(workspace: "acme", pack: "topup_50", payment: "pay-1"), as: Contract.owner)
        try script.submit(.topUp(workspace: "acme", pack: "topup_50", payment: "pay-1"), as: Contract.owner)
        try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: Contract.member)
        try script.submit(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: Contract.member)
        try script.record(.jobFailed(workspace: "acme", job: "j-1"), as: Contract.member)
        let adjusted = try script.record(.adjust(workspace: "acme", amount: -540, reason: "move", request: "req-1"), as: Contract.support)
        try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-2"), as: Contract.member)
        try script.submit(.clone(workspace: "acme", itemKind: "product", item: "p-1"), as: Contract.member)
        if let seq = adjusted.first?.seq { try script.record(.reverse(workspace: "acme", seq: seq, reason: "undo"), as: Contract.support) }
    }
}
