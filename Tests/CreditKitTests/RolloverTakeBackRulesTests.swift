import Testing
@testable import CreditKit

/// R34, R36 and R41 together: a plan grant and its rollover are one grant's credits, so a void of
/// either and a reversal of the grant never both take them; each credit is taken back once.
@Suite struct RolloverTakeBackRulesTests {
    /// Decides `command` with the facts a ledger would read from this harness's journal
    /// (`ReversalFacts.find`), and folds what it appends.
    @discardableResult
    static func decide(_ h: inout Harness, _ command: Command) -> Result<Decision, Rejection> {
        let facts = command.reversalFactsEntry.map { ReversalFacts.find($0.seq, workspace: $0.workspace, in: h.journal) }
        let result = Engine.decide(command, in: h.state, context: CommandContext(actor: People.support, time: h.clock), reversal: facts)
        if case .success(.append(let entries)) = result {
            do { try h.state.apply(entries) } catch { Issue.record("engine entries do not fold: \(error)") }
            h.journal += entries
        }
        return result
    }

    /// Sofia's Pro with a rollover of 40: grant G (100), 30 images, then the renewal carries 40 of
    /// the 70 left to rollover R, the other 30 expire and 100 new land: 140, earned 200, spent 60.
    static func rolledOver() throws -> (h: Harness, grant: Int64, rollover: Int64) {
        var h = Harness.acme(catalog: RolloverRulesTests.catalog)
        let grant = try #require(h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support).last)
        RolloverRulesTests.images(&h, 30)
        h.advance(days: 30)
        let renewal = h.append(.invoicePaid(workspace: "acme", invoice: "inv-2"), as: People.support)
        let rollover = try #require(renewal.first { $0.rollover != nil })
        #expect(rollover.rollover == 40 && rollover.ref == grant.seq)
        let ws = h.ws()
        #expect((ws.balance, ws.earned, ws.spent) == (140, 200, 60))
        return (h, grant.seq, rollover.seq)
    }

    static func void(_ seq: Int64) -> Command { .void(workspace: "acme", seq: seq, reason: "credits granted in error") }
    static func reverse(_ seq: Int64) -> Command { .reverse(workspace: "acme", seq: seq, reason: "invoice refunded") }

    @Test("R41, R34: once a grant's rollover is voided, reversing the grant is refused by name and writes nothing")
    func R41_R34_reversingAGrantWhoseRolloverWasVoidedIsRefused() throws {
        var (h, grant, rollover) = try Self.rolledOver()
        guard case .success(.append(let voided)) = Self.decide(&h, Self.void(rollover)) else { Issue.record("rollover not voided"); return }
        let void = try #require(voided.first { $0.kind == .void })
        #expect(void.credits == -40 && void.ref == rollover)
        #expect((h.ws().balance, h.ws().earned, h.ws().spent) == (100, 200, 100))
        let before = (seq: h.state.lastSeq, acme: h.ws())
        let result = Self.decide(&h, Self.reverse(grant))
        #expect(result == .failure(.rolloverVoided(seq: grant, rollover: rollover, by: void.seq)), "\(result)")
        #expect(h.state.lastSeq == before.seq && h.ws() == before.acme, "nothing written: the carried 40 left once, by the void")
        #expect(Rejection.rolloverVoided(seq: grant, rollover: rollover, by: void.seq).message
            == "grant #\(grant) rolled credits over to #\(rollover), which entry #\(void.seq) already voided: reversing the grant would take them twice (R34, R41)")
    }

    @Test("R41, R36: once a grant is reversed, voiding its rollover is refused by name and writes nothing")
    func R41_R36_voidingTheRolloverOfAReversedGrantIsRefused() throws {
        var (h, grant, rollover) = try Self.rolledOver()
        guard case .success(.append(let reversed)) = Self.decide(&h, Self.reverse(grant)) else { Issue.record("grant not reversed"); return }
        let reversal = try #require(reversed.first { $0.kind == .adjustment })
        #expect(reversal.credits == -100 && reversal.reverses == grant)
        #expect((h.ws().balance, h.ws().earned, h.ws().spent) == (40, 200, 160))
        #expect(h.ws().buckets.first { $0.seq == rollover }?.remaining == 40, "the reversal burned the new grant first (S3)")
        let before = (seq: h.state.lastSeq, acme: h.ws())
        let result = Self.decide(&h, Self.void(rollover))
        #expect(result == .failure(.grantReversed(seq: rollover, grant: grant, by: reversal.seq)), "\(result)")
        #expect(h.state.lastSeq == before.seq && h.ws() == before.acme, "nothing written: the reversal took grant #\(grant)'s credits back already")
        #expect(Rejection.grantReversed(seq: rollover, grant: grant, by: reversal.seq).category == "already reversed")
    }

    @Test("R36: a grant a reversal took back is not voided as well, though burn order left credits in it")
    func R36_voidingAReversedGrantIsRefused() throws {
        var h = Harness.acme()
        h.fund("acme", 100)
        let later = try #require(h.append(.grant(workspace: "acme", amount: 30, source: .promo, reason: "launch",
                                                 expires: h.clock.adding(days: 10)), as: People.support).first)
        h.append(.grant(workspace: "acme", amount: 50, source: .promo, reason: "fair", expires: h.clock.adding(days: 5)), as: People.support)
        guard case .success(.append(let reversed)) = Self.decide(&h, Self.reverse(later.seq)) else { Issue.record("not reversed"); return }
        let reversal = try #require(reversed.first { $0.kind == .adjustment })
        #expect(h.ws().buckets.first { $0.seq == later.seq }?.remaining == 30, "the reversal burned the sooner promotion (S3)")
        #expect((h.ws().balance, h.ws().earned, h.ws().spent) == (150, 180, 30))
        let before = (seq: h.state.lastSeq, acme: h.ws())
        let result = Self.decide(&h, Self.void(later.seq))
        #expect(result == .failure(.grantReversed(seq: later.seq, grant: later.seq, by: reversal.seq)), "\(result)")
        #expect(h.state.lastSeq == before.seq && h.ws() == before.acme)
        #expect(Rejection.grantReversed(seq: later.seq, grant: later.seq, by: reversal.seq).message
            == "grant #\(later.seq) was already reversed by entry #\(reversal.seq): voiding it would take its credits twice (R36)")
    }

    @Test("R41: voiding a rollover alone, or reversing a grant whose rollover still stands, is decided as before")
    func R41_aRolloverAloneIsVoidedOrItsGrantReversedAsBefore() throws {
        var (h, grant, rollover) = try Self.rolledOver()
        var other = h
        guard case .success(.append) = Self.decide(&h, Self.void(rollover)) else { Issue.record("rollover not voided"); return }
        #expect(h.balance() == 100)
        guard case .success(.append) = Self.decide(&other, Self.reverse(grant)) else { Issue.record("grant not reversed"); return }
        #expect(other.balance() == 40)
        #expect(try other.replayed().workspaces["acme"] == other.ws())
    }

    @Test("R41, R34, R36: verify's replay names a forged double take in either order")
    func R41_replayNamesAForgedDoubleTake() throws {
        // The reversal after the void, as the engine before this rule wrote it.
        var (h, grant, rollover) = try Self.rolledOver()
        Self.decide(&h, Self.void(rollover))
        var forged = Entry(seq: h.state.lastSeq + 1, time: h.clock, kind: .adjustment, actor: People.support, workspace: "acme")
        forged.credits = -100; forged.reverses = grant; forged.reason = "invoice refunded"; forged.balance = 0
        var state = h.state
        var admitted = false
        let facts = { (seq: Int64) in ReversalFacts.find(seq, workspace: "acme", in: h.journal) }
        let found = RuleReplay.breach(in: [forged], state: &state, admittedOlderText: &admitted, reversal: facts)
        guard case .refused(.rolloverVoided(grant, rollover, _))? = found?.breach else { Issue.record("not named: \(String(describing: found))"); return }
        // The void after the reversal.
        var (r, grantR, rolloverR) = try Self.rolledOver()
        Self.decide(&r, Self.reverse(grantR))
        var void = Entry(seq: r.state.lastSeq + 1, time: r.clock, kind: .void, actor: People.support, workspace: "acme")
        void.credits = -40; void.ref = rolloverR; void.reason = "credits granted in error"; void.balance = 0
        var stateR = r.state
        let factsR = { (seq: Int64) in ReversalFacts.find(seq, workspace: "acme", in: r.journal) }
        let foundR = RuleReplay.breach(in: [void], state: &stateR, admittedOlderText: &admitted, reversal: factsR)
        guard case .refused(.grantReversed(rolloverR, grantR, _))? = foundR?.breach else { Issue.record("not named: \(String(describing: foundR))"); return }
    }
}
