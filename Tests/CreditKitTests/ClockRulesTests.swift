import Testing
@testable import CreditKit

/// R27: a ledger's clock. Times given by people or files may not run ahead of it, record times
/// never go backwards except by the recorded reset, and the reset puts a frozen ledger back to work.
@Suite struct ClockRulesTests {
    /// A konfiwear `acme` with 100 credits and a Copilot record dated 70 years ahead.
    static func frozen() -> (Harness, future: Entry) {
        var h = Harness.acme()
        h.fund("acme", 100)
        let now = h.clock
        h.advance(days: 70 * 365)
        let future = h.append(.copilot(workspace: "acme", messages: 1), as: People.member)[0]
        h.clock = now.adding(days: 1)
        return (h, future)
    }

    @Test func R27_aRecordDatedInTheFutureRefusesWritesUntilSupportResetsTheClock() throws {
        var (h, future) = Self.frozen()
        let refused = h.reject(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: People.member)
        #expect(refused == .clockBehind(requested: h.clock, last: future.time))

        #expect(h.reject(.resetClock(reason: "copilot record dated 2096"), as: People.owner)
                == .notPermitted(actor: People.owner, verb: "put the ledger's clock back", allowed: [.support]))
        #expect(h.reject(.resetClock(reason: " "), as: People.support) == .invalidText(field: "reason"))

        let reset = h.append(.resetClock(reason: "copilot record dated 2096"), as: People.support)
        #expect(reset.count == 1)
        #expect(reset.first?.kind == .clockReset)
        #expect(reset.first?.time == h.clock)
        #expect(reset.first?.ref == future.seq)
        #expect(reset.first?.reason == "copilot record dated 2096")
        #expect(reset.first?.credits == 0)
        #expect(h.state.lastTime == h.clock)

        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: People.member)
        #expect(h.balance() == 94)
        // The journal, reset included, replays to the same state.
        let replayed = try h.replayed()
        #expect(replayed.workspaces["acme"]?.balance == 94)
        #expect(replayed.lastTime == h.clock)
    }

    @Test func R27_aResetWhenTheClockIsNotAheadRecordsNothing() {
        var h = Harness.acme()
        let result = h.run(.resetClock(reason: "just in case"), as: People.support)
        guard case .success(.nothingToRecord) = result else {
            Issue.record("expected nothing to record, got \(result)")
            return
        }
        #expect(h.journal.count == 3)
    }

    @Test func R27_onlyTheResetMayBeDatedBeforeTheRecordItFollows() {
        var state = Self.frozen().0.state
        var charge = Entry(seq: state.lastSeq + 1, time: startTime, kind: .copilot, actor: People.member, workspace: "acme")
        charge.messages = 1
        #expect(throws: ReplayError.self) { try state.apply(charge) }
        var reset = Entry(seq: state.lastSeq + 1, time: startTime, kind: .clockReset, actor: People.support)
        reset.reason = "forged or not, a reset is the one record that may go back"
        #expect(throws: Never.self) { try state.apply(reset) }
        #expect(state.lastTime == startTime)
    }

    @Test func R27_aRealClockTrailingTheLastRecordWithinTheToleranceIsDatedAtIt() {
        var h = Harness.acme()
        h.fund("acme", 100)
        let real = h.clock
        h.advance(seconds: ClockPolicy.toleranceSeconds - 60)
        h.fund("acme", 1)   // a support agent's --now, four minutes ahead of the real clock
        let context = CommandContext(actor: People.member, time: real, trailingSecondsMax: ClockPolicy.toleranceSeconds)
        let decided = Engine.decide(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), in: h.state, context: context)
        guard case .success(.append(let entries)) = decided else {
            Issue.record("expected the charge, got \(decided)")
            return
        }
        #expect(entries.first?.time == h.clock)
        // The in-place path (every writer's) dates it the same way.
        var state = h.state
        #expect(Engine.decide(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), inPlace: &state, context: context) == decided)
        // A time someone gave is never moved: refused as before.
        let given = CommandContext(actor: People.member, time: real)
        #expect(Engine.decide(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), in: h.state, context: given)
                == .failure(.clockBehind(requested: real, last: h.clock)))
        // Further behind than the tolerance is refused too.
        let far = CommandContext(actor: People.member, time: real.adding(days: -1), trailingSecondsMax: ClockPolicy.toleranceSeconds)
        #expect(Engine.decide(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), in: h.state, context: far)
                == .failure(.clockBehind(requested: real.adding(days: -1), last: h.clock)))
    }

    @Test(arguments: [
        // (clock, support, seconds from the real clock, refused)
        (LedgerClock.test, false, Int64(80 * 365 * 86_400), nil as String?),
        (LedgerClock.test, false, Int64(-400 * 86_400), nil),
        (LedgerClock.real, false, Int64(0), "notPermitted"),
        (LedgerClock.real, false, Int64(60), "notPermitted"),
        (LedgerClock.real, true, Int64(0), nil),
        (LedgerClock.real, true, ClockPolicy.toleranceSeconds, nil),
        (LedgerClock.real, true, -ClockPolicy.toleranceSeconds, nil),
        (LedgerClock.real, true, ClockPolicy.toleranceSeconds + 1, "tooFar"),
        (LedgerClock.real, true, -ClockPolicy.toleranceSeconds - 1, "tooFar"),
        (LedgerClock.real, true, Int64(253_402_300_799) - startTime.secondsSinceEpoch, "tooFar"),
    ])
    func R27_nowIsATestClockOrSupportsWithinTheTolerance(clock: LedgerClock, support: Bool, offset: Int64, refused: String?) {
        let requested = Timestamp(secondsSinceEpoch: startTime.secondsSinceEpoch + offset)
        let answer = ClockPolicy.checkOverride(requested, real: startTime, clock: clock, actor: "lee", isSupport: support)
        switch (answer, refused) {
        case (nil, nil): break
        case (.clockOverrideNotPermitted(let actor)?, "notPermitted"): #expect(actor == "lee")
        case (.clockOverrideTooFar(let time, let real, _)?, "tooFar"): #expect(time == requested && real == startTime)
        default: Issue.record("\(clock) support \(support) offset \(offset): got \(String(describing: answer)), expected \(refused ?? "nil")")
        }
    }

    @Test func R27_importedTimesAheadOfTheClockBeyondTheToleranceAreRefused() {
        let clock = startTime
        #expect(ClockPolicy.checkCarriedTime(clock, clock: clock) == nil)
        #expect(ClockPolicy.checkCarriedTime(clock.adding(days: -3000), clock: clock) == nil)
        let edge = Timestamp(secondsSinceEpoch: clock.secondsSinceEpoch + ClockPolicy.toleranceSeconds)
        #expect(ClockPolicy.checkCarriedTime(edge, clock: clock) == nil)
        let past = Timestamp(secondsSinceEpoch: edge.secondsSinceEpoch + 1)
        #expect(ClockPolicy.checkCarriedTime(past, clock: clock) == .timeAhead(time: past, clock: clock, toleranceSeconds: ClockPolicy.toleranceSeconds))
    }
}
