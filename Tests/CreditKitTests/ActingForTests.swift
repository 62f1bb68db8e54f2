import Testing
@testable import CreditKit

/// R18 on PostgreSQL: a support agent acting on a person's behalf (`--as`) is recorded as such:
/// the entry's actor is the person, its `by` the support agent's role that really acted. The
/// engine takes `by` only from a support agent, and `verify`'s replay holds the record to it.
@Suite struct ActingForTests {
    /// Decides `command` for `actor` with `by` acting, folding what it appends.
    private static func run(_ h: inout Harness, _ command: Command, as actor: String, by: String?) -> Result<Decision, Rejection> {
        var context = CommandContext(actor: actor, time: h.clock)
        context.by = by
        let result = Engine.decide(command, inPlace: &h.state, context: context)
        if case .success(.append(let entries)) = result {
            do { try h.state.apply(entries) } catch { Issue.record("entries do not fold: \(error)") }
            h.journal += entries
        }
        return result
    }

    @Test func R18_supportActingForAMemberIsRecordedAsTheMemberByTheAgent() throws {
        var h = try Harness.acmeFunded()
        // The charge takes the balance to 10: the alert it fires is the member's too, by the agent.
        let result = Self.run(&h, .charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: People.member, by: People.support)
        guard case .success(.append(let entries)) = result else { Issue.record("\(result)"); return }
        #expect(entries.map(\.kind) == [.charge, .alert])
        #expect(entries.allSatisfy { $0.actor == People.member && $0.by == People.support })
        #expect(entries[0].who == "\(People.member) (by \(People.support))")
        #expect(EntryFilter(actor: People.support).matches(entries[0], catalog: h.state.catalog))
        #expect(EntryFilter(actor: People.member).matches(entries[0], catalog: h.state.catalog))
        #expect(!EntryFilter(actor: People.owner).matches(entries[0], catalog: h.state.catalog))

        // verify replays it as written, and names a record whose `by` is not a support agent.
        var before = try Harness.acmeFunded().state
        #expect(RuleReplay.breach(in: entries, state: &before) == nil)
        var forged = entries
        for index in forged.indices { forged[index].by = People.owner }
        var again = try Harness.acmeFunded().state
        let breach = RuleReplay.breach(in: forged, state: &again)
        #expect(breach?.seq == entries[0].seq)
        #expect(breach?.breach == .refused(.actingForOthersNotPermitted(by: People.owner, actor: People.member)))
    }

    @Test func R18_onlyASupportAgentMayActForSomeoneElse() {
        var h = Harness.acme()
        h.fund("acme", 100)
        let seq = h.state.lastSeq
        let refused = Self.run(&h, .charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: People.owner, by: People.member)
        #expect(refused == .failure(.actingForOthersNotPermitted(by: People.member, actor: People.owner)))
        #expect(h.state.lastSeq == seq, "a refusal writes nothing")
        #expect(Rejection.actingForOthersNotPermitted(by: People.member, actor: People.owner).message
            == "not permitted: mo cannot act as olga; only a support agent can use --as")
    }

    @Test func R18_theFastChargePathDecidesActingForAsTheGeneralPathDoes() {
        let h = try? Harness.acmeFunded()
        guard let h else { Issue.record("no fixture"); return }
        let command = Command.charge(workspace: "acme", action: "ai_graphic", job: "j-1")
        for by in [People.support, People.owner] {
            var context = CommandContext(actor: People.member, time: h.clock)
            context.by = by
            var state = h.state
            let fast = Engine.decideCharge(command, in: &state, context: context)
            let general = Engine.decideGeneral(command, in: h.state, context: context)
            if by == People.support {
                #expect(fast != nil && fast == general, "\(String(describing: fast)) vs \(general)")
            } else {
                #expect(fast == nil, "the fast path must leave a refused `by` to the general path")
                #expect(general == .failure(.actingForOthersNotPermitted(by: by, actor: People.member)))
            }
        }
    }

    @Test func R18_withoutByTheEntryNamesOnlyItsActor() {
        var h = Harness.acme()
        h.fund("acme", 100)
        let entries = h.append(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: People.member)
        #expect(entries.first?.by == nil)
        #expect(entries.first?.who == People.member)
    }
}

extension Harness {
    /// `acme` with 16 credits: a charge of 6 crosses the low-balance alert (R24).
    static func acmeFunded() throws -> Harness {
        var h = Harness.acme()
        h.fund("acme", 16)
        return h
    }
}
