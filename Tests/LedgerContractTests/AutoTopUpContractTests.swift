import CreditKit
import LedgerCore
import Testing

/// Auto top-up (R37–R39) through the Ledger protocol, run against every backend in
/// `LedgerBackendUnderTest.all`: requests and their mail, answers, the cap and the pause.
@Suite("Ledger contract: auto top-up")
struct AutoTopUpContractTests {
    static let rule = AutoTopUpRule(threshold: 20, pack: "topup_50", targetBalance: nil, capCents: 10_000)

    /// acme with 26 credits (a support adjustment) and the owner's rule.
    static func script(_ backend: LedgerBackendUnderTest) throws -> ContractScript {
        let script = try ContractScript(backend)
        try script.createAcme()
        try script.record(.adjust(workspace: "acme", amount: 26, reason: "seed"), as: Contract.support)
        try script.record(.setAutoTopUp(workspace: "acme", rule: rule), as: Contract.owner)
        return script
    }

    @Test("R37: the crossing writes one request and its mail to billing; a second crossing writes nothing new; the payment answers it",
          arguments: LedgerBackendUnderTest.all)
    func R37_requestMailAndAnswer(_ backend: LedgerBackendUnderTest) throws {
        let script = try Self.script(backend)
        let outcome = try script.submit(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: Contract.member)
        guard case let .recorded(entries, alerts) = outcome else { Issue.record("\(outcome)"); return }
        let request = try #require(entries.first { $0.alert == .topUpRequest })
        #expect(request.request == "auto-\(request.seq)" && request.pack == "topup_50" && request.priceCents == 5_000)
        #expect(alerts.count == 1 && alerts[0].to == AlertMail.billingAddress && alerts[0].text.contains("X-CreditDesk-Request: \(request.request ?? "")"))
        let again = try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-2"), as: Contract.member)
        #expect(again.map(\.kind) == [.charge])
        let paid = try script.record(.topUp(workspace: "acme", pack: "topup_50", payment: "pay-1"), as: Contract.support)
        #expect(paid.first?.ref == request.seq)
        let auto = try #require(script.ledger.state.workspaces["acme"]?.autoTopUp)
        #expect(auto.pending == nil && auto.spentCents == 5_000)
        #expect(try script.ledger.verify(expectedHead: nil).records == script.everything().count)
    }

    @Test("R38, R39: past the cap no request, one alert; three declines pause the rule and tell the owner; verify replays it all",
          arguments: LedgerBackendUnderTest.all)
    func R38_R39_capAndPause(_ backend: LedgerBackendUnderTest) throws {
        let script = try Self.script(backend)
        try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: Contract.member)
        for round in 1...2 {
            try script.record(.topUp(workspace: "acme", pack: "topup_50", payment: "pay-\(round)"), as: Contract.support)
            let balance = try #require(script.balance)
            let drained = try script.record(.adjust(workspace: "acme", amount: 20 - balance, reason: "drain"), as: Contract.support)
            #expect(drained.compactMap(\.alert) == (round == 1 ? [.topUpRequest] : [.autoTopUpCapReached]), "round \(round)")
        }
        #expect(script.ledger.state.workspaces["acme"]?.autoTopUp.warned == [80, 90, 100])
        var declines = 0
        try script.record(.setAutoTopUp(workspace: "acme", rule: AutoTopUpRule(threshold: 20, pack: "topup_50", targetBalance: nil, capCents: 100_000)),
                          as: Contract.owner)
        while let pending = script.ledger.state.workspaces["acme"]?.autoTopUp.pending, declines < 3 {
            declines += 1
            let declined = try script.record(.topUpDeclined(workspace: "acme", request: pending.id, reason: "card declined"), as: Contract.support)
            #expect(declined.compactMap(\.alert) == (declines == 3 ? [.autoTopUpPaused] : []))
            script.advance(minutes: 60 << (declines - 1))
            try script.record(.adjust(workspace: "acme", amount: -1, reason: "t"), as: Contract.support)
        }
        #expect(script.ledger.state.workspaces["acme"]?.autoTopUp.paused == true)
        let resumed = try script.record(.resumeAutoTopUp(workspace: "acme"), as: Contract.owner)
        #expect(resumed.compactMap(\.alert) == [.topUpRequest])
        #expect(declines == 3)
        #expect(try script.ledger.verify(expectedHead: nil).records == script.everything().count)
    }
}
