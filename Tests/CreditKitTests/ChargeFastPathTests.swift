import Testing
@testable import CreditKit

/// `Engine.decideCharge` decides plain job charges without a scratch state; whenever it answers,
/// it must answer exactly what the general path answers, on any state.
@Suite struct ChargeFastPathTests {
    @Test(arguments: PropertyTests.seeds, [Catalogs.konfiwear, Catalogs.sofia])
    func theFastChargeDecidesAsTheGeneralPath(seed: UInt64, catalog: Catalog) {
        var h = PropertyTests.seeded(catalog: catalog)
        var generator = PropertyTests.Generator(seed: seed, catalog: catalog)
        var answered = 0
        for _ in 0..<PropertyTests.steps {
            if generator.chance(40) { h.advance(seconds: generator.int(0...(3 * Timestamp.secondsPerDay))) }
            let (command, actor) = generator.next(clock: h.clock, state: h.state)
            let context = CommandContext(actor: actor, time: h.clock)
            let general = Engine.decideGeneral(command, in: h.state, context: context)
            var state = h.state
            if let fast = Engine.decideCharge(command, in: &state, context: context) {
                answered += 1
                #expect(fast == general, "\(command) by \(actor)")
            }
            #expect(Engine.decide(command, inPlace: &state, context: context) == general, "\(command) by \(actor)")
            h.run(command, as: actor)
        }
        // With expiry warnings in the catalog (sofia) only repeats are answered; else most charges.
        #expect(answered > (catalog.expiry?.warnDays == nil ? 40 : 5), "the fast path answered only \(answered) commands")
    }

    @Test func aChargeThatEmptiesTheBalanceFiresTheEmptyAlertLikeTheGeneralPath() {
        var h = Harness.acme()
        h.append(.adjust(workspace: "acme", amount: 12, reason: "seed"), as: People.support)
        for job in ["a", "b", "c", "a"] {
            let command = Command.charge(workspace: "acme", action: "ai_graphic", job: job)
            let context = CommandContext(actor: People.member, time: h.clock)
            var state = h.state
            let fast = Engine.decideCharge(command, in: &state, context: context)
            #expect(fast != nil)
            #expect(fast == Engine.decideGeneral(command, in: h.state, context: context), "job \(job)")
            h.run(command, as: People.member)
        }
        #expect(h.ws().balance == 0)
    }

    @Test func dueExpiriesAndUnknownsAreLeftToTheGeneralPath() {
        var h = Harness.acme()
        h.append(.grant(workspace: "acme", amount: 50, source: .promo, reason: "promo", expires: h.clock.adding(days: 1)), as: People.support)
        h.advance(seconds: 2 * Timestamp.secondsPerDay)
        let context = CommandContext(actor: People.member, time: h.clock)
        var state = h.state
        #expect(Engine.decideCharge(.charge(workspace: "acme", action: "ai_graphic", job: "x"), in: &state, context: context) == nil)
        #expect(Engine.decideCharge(.charge(workspace: "nowhere", action: "ai_graphic", job: "x"), in: &state, context: context) == nil)
        #expect(Engine.decideCharge(.charge(workspace: "acme", action: "nope", job: "x"), in: &state, context: context) == nil)
        #expect(Engine.decideCharge(.charge(workspace: "acme", action: "ai_graphic", job: "x"), in: &state,
                                    context: CommandContext(actor: People.stranger, time: h.clock)) == nil)
        #expect(sameWorkspaces(state, h.state))
    }

    /// Deciding in place reads the state and changes nothing.
    private func sameWorkspaces(_ a: LedgerState, _ b: LedgerState) -> Bool { a.workspaces == b.workspaces && a.lastSeq == b.lastSeq }
}
