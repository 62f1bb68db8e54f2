import Testing
@testable import CreditKit

/// The engine never decides a record the journal cannot hold: every `time` and `expires` lies in
/// `Timestamp.earliestRecordable` … `latestRecordable`, on the general path and the charge fast path.
@Suite struct RecordableTimeRulesTests {
    /// acme funded, with the clock an hour before the last recordable second.
    static func lastHour() -> Harness {
        var h = Harness.acme()
        h.fund("acme", 100)
        h.clock = Timestamp(secondsSinceEpoch: Timestamp.latestRecordable.secondsSinceEpoch - 3_600)
        return h
    }

    @Test("R35: a hold whose time to live ends past 9999-12-31T23:59:59Z is refused; one ending before is taken")
    func R35_holdPastTheLastRecordableTimeIsRefused() {
        var h = Self.lastHour()
        let refusal = h.reject(.hold(workspace: "acme", action: "ai_graphic", job: "j-1", ttlSeconds: 7_200), as: People.member)
        guard case let .timeNotRecordable(field, time)? = refusal else { Issue.record("\(String(describing: refusal))"); return }
        #expect(field == "expires" && time > Timestamp.latestRecordable)
        #expect(refusal?.category == "time out of range")
        h.append(.hold(workspace: "acme", action: "ai_graphic", job: "j-2", ttlSeconds: 1_800), as: People.member)
    }

    @Test("R27: any command dated past the last recordable time is refused, the charge fast path included")
    func R27_aTimePastTheLastRecordableTimeIsRefused() {
        var h = Self.lastHour()
        h.clock = Timestamp(secondsSinceEpoch: Timestamp.latestRecordable.secondsSinceEpoch + 1)
        let commands: [(Command, String)] = [(.charge(workspace: "acme", action: "ai_graphic", job: "j-9"), People.member),
                                             (.adjust(workspace: "acme", amount: 5, reason: "late"), People.support)]
        for (command, actor) in commands {
            let refusal = h.reject(command, as: actor)
            guard case .timeNotRecordable(field: "time", _)? = refusal else { Issue.record("\(command): \(String(describing: refusal))"); continue }
        }
    }

    @Test("R27: the charge fast path (a writer's in-place decision) refuses a time past the range too")
    func R27_theChargeFastPathRefusesATimePastTheRange() {
        let h = Self.lastHour()
        var state = h.state
        let past = Timestamp(secondsSinceEpoch: Timestamp.latestRecordable.secondsSinceEpoch + 1)
        let decided = Engine.decide(.charge(workspace: "acme", action: "ai_graphic", job: "j-9"), inPlace: &state,
                                    context: CommandContext(actor: People.member, time: past))
        guard case .failure(.timeNotRecordable(field: "time", _)) = decided else { Issue.record("\(decided)"); return }
    }
}
