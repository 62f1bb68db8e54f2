import Testing
@testable import CreditKit

/// R24: the low-balance and out-of-credits emails, as a state machine.
@Suite struct AlertRulesTests {
    /// One step: a balance change by a support adjustment, and the alerts it must fire.
    struct Step: CustomStringConvertible {
        var delta: Credits
        var fires: [AlertKind]
        var description: String { "\(delta) → \(fires)" }
    }

    /// Walks the balance through `steps` from zero and checks each step's alerts.
    func walk(_ steps: [Step], sourceLocation: SourceLocation = #_sourceLocation) {
        var h = Harness.acme()
        var balance: Credits = 0
        for step in steps {
            balance += step.delta
            let entries = h.append(.adjust(workspace: "acme", amount: step.delta, reason: "step"), as: People.support)
            let alerts = entries.filter { $0.kind == .alert }
            #expect(alerts.map(\.alert) == step.fires.map(Optional.some), "at \(step), balance \(balance)",
                    sourceLocation: sourceLocation)
            for alert in alerts {
                #expect(alert.ref == entries.first?.seq, "an alert points at the entry that caused it", sourceLocation: sourceLocation)
                #expect(alert.balance == balance, sourceLocation: sourceLocation)
                #expect(alert.workspace == "acme", sourceLocation: sourceLocation)
            }
            #expect(h.balance() == balance, sourceLocation: sourceLocation)
        }
    }

    @Test func R24_lowAlertFiresOnceWhenDroppingToTenOrBelow() {
        walk([
            Step(delta: 50, fires: []),
            Step(delta: -39, fires: []),      // 11: still above
            Step(delta: -1, fires: [.low]),   // 10: fires
            Step(delta: -1, fires: []),       // 9: already sent
            Step(delta: -5, fires: []),       // 4
            Step(delta: 6, fires: []),        // 10: not above the threshold, not re-armed
            Step(delta: -1, fires: []),       // 9
            Step(delta: 2, fires: []),        // 11: re-armed
            Step(delta: -2, fires: [.low]),   // 9: fires again
        ])
    }

    @Test func R24_emptyAlertFiresOnceAtZeroAndReArmsAboveZero() {
        walk([
            Step(delta: 20, fires: []),
            Step(delta: -12, fires: [.low]),  // 8
            Step(delta: -8, fires: [.empty]), // 0
            Step(delta: 3, fires: []),        // 3: empty re-armed, low not
            Step(delta: -3, fires: [.empty]), // 0 again: fires again
            Step(delta: 100, fires: []),      // both re-armed
            Step(delta: -100, fires: [.empty]), // straight to 0: one email, the empty one
            Step(delta: 5, fires: []),
            Step(delta: -1, fires: []),       // 4: low was spent by the empty alert
        ])
    }

    @Test func R24_bigDropFiresLowThenEmptyOncePerCrossing() {
        walk([Step(delta: 500, fires: []), Step(delta: -495, fires: [.low]), Step(delta: -5, fires: [.empty])])
    }

    @Test func R24_brandNewWorkspaceDoesNotFire() {
        var h = Harness.acme(plan: "starter")
        // Creation, a zero grant, a small top-up below the threshold, and Copilot use: no alerts.
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support)
        #expect(h.balance() == 0)
        h.append(.adjust(workspace: "acme", amount: 8, reason: "small start"), as: People.support)
        h.append(.copilot(workspace: "acme", messages: 1), as: People.member)
        h.append(.charge(workspace: "acme", action: "ai_vectorize", job: "v"), as: People.member)
        #expect(h.balance() == 4)
        #expect(h.entries(kind: .alert).isEmpty)
        #expect(h.ws().alerts.lowArmed == false)
        #expect(h.ws().alerts.emptyArmed == true)
    }

    @Test func R24_chargesFireAlertsWithTheirTime() throws {
        var h = Harness.acme()
        h.fund("acme", 16)
        h.advance(seconds: 90)
        let entries = h.append(.charge(workspace: "acme", action: "ai_graphic", job: "g"), as: People.member)
        #expect(entries.map(\.kind) == [.charge, .alert])
        let alert = try #require(entries.last)
        #expect(alert.alert == .low)
        #expect(alert.time == h.clock)
        #expect(h.ws().alerts.lastLowSent == h.clock)
        h.advance(seconds: 90)
        let last = h.append(.charge(workspace: "acme", action: "ai_graphic", job: "h"), as: People.member)
        #expect(last.map(\.kind) == [.charge])
        h.append(.charge(workspace: "acme", action: "ai_vectorize", job: "i"), as: People.member)
        #expect(h.balance() == 0)
        #expect(h.entries(kind: .alert).map(\.alert) == [.low, .empty])
        #expect(h.ws().alerts.lastEmptySent == h.clock)
    }

    @Test func R24_alertStateReplaysFromTheJournal() throws {
        var h = Harness.acme()
        h.fund("acme", 20)
        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "a"), as: People.member)
        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "b"), as: People.member)
        let replayed = try h.replayed()
        #expect(replayed.workspaces["acme"]?.alerts == h.ws().alerts)
        #expect(h.ws().alerts.lowArmed == false)
    }

    @Test("R24, S3: a renewal whose expiry empties the balance and whose grant refills it sends no out-of-credits alert")
    func R24_alertsAreJudgedWhereTheCommitLeavesTheBalance() {
        var h = Harness.acme(catalog: Catalogs.sofia)
        h.append(.invoicePaid(workspace: "acme", invoice: "i1"), as: People.support)
        let granted = h.balance()
        h.advance(days: 31)
        let renewal = h.append(.invoicePaid(workspace: "acme", invoice: "i2"), as: People.support)
        #expect(renewal.contains { $0.kind == .expiry && $0.balance == 0 }, "the unspent plan credits expire first: \(renewal)")
        #expect(!renewal.contains { $0.kind == .alert }, "the commit leaves \(h.balance()): no alert \(renewal)")
        #expect(h.balance() == granted && h.ws().alerts.emptyArmed && h.ws().alerts.lowArmed)
    }

    @Test("R24, S3: when a commit does end low, one alert follows its last credit entry, with the balance it leaves")
    func R24_anAlertFollowsTheCommitsLastCreditEntry() throws {
        var h = Harness.acme()
        h.append(.grant(workspace: "acme", amount: 20, source: .promo, reason: "launch", expires: h.clock.adding(days: 1)), as: People.support)
        h.fund("acme", 8)
        h.advance(days: 2)
        let entries = h.append(.charge(workspace: "acme", action: "ai_graphic", job: "j"), as: People.member)
        #expect(entries.map(\.kind) == [.expiry, .charge, .alert], "\(entries)")
        let alert = try #require(entries.last)
        #expect(alert.alert == .low && alert.ref == entries[1].seq && alert.balance == 2)
    }

    @Test("R24: an older version's commit, its alert after an intermediate entry, still verifies; today's is what the rules write")
    func R24_anOlderCommitsAlertOnAnIntermediateEntryVerifies() {
        var h = Harness.acme(catalog: Catalogs.sofia)
        h.append(.invoicePaid(workspace: "acme", invoice: "i1"), as: People.support)
        h.advance(days: 31)
        var older = CommandContext(actor: People.support, time: h.clock)
        older.alertsOnEachEntry = true
        guard case .success(.append(let commit)) = Engine.decide(.invoicePaid(workspace: "acme", invoice: "i2"), in: h.state, context: older) else {
            Issue.record("the older rule decides the renewal too"); return
        }
        #expect(commit.contains { $0.alert == .empty }, "the older rule wrote the false alert: \(commit)")
        var state = h.state
        #expect(RuleReplay.breach(in: commit, state: &state) == nil)
        // Without the alert it is today's commit, renumbered; with it removed from today's, a breach.
        let today = h.append(.invoicePaid(workspace: "acme", invoice: "i2"), as: People.support)
        #expect(today.count == commit.count - 1)
    }
}
