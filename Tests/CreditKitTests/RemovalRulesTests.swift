import Testing
@testable import CreditKit

/// R42: removing a member from a workspace, and a support agent from the ledger.
@Suite struct RemovalRulesTests {
    @Test func R42_aRemovedMemberCanNoLongerActAndTheirLimitEnds() throws {
        var h = Harness.acme()
        h.fund("acme", 100)
        h.append(.memberLimit(workspace: "acme", member: People.member, credits: 50), as: People.owner)
        let removal = try #require(h.append(.removeMember(workspace: "acme", member: People.member, reason: "left acme"), as: People.owner).first)
        #expect(removal.kind == .memberRemoved && removal.member == People.member && removal.reason == "left acme")
        #expect(removal.actor == People.owner && removal.credits == 0)
        #expect(h.ws().members.isEmpty && h.ws().memberLimits.isEmpty)
        #expect(h.ws().removedMembers == [People.member: removal.seq])
        guard case .notPermitted? = h.reject(.charge(workspace: "acme", action: "ai_graphic", job: "after"), as: People.member) else {
            Issue.record("a removed member must not charge"); return
        }
        #expect(h.state.visibleWorkspaces(to: People.member).isEmpty)
        #expect(try h.replayed().workspaces["acme"] == h.ws())
    }

    @Test func R42_aRepeatIsAlreadyRemovedAndAFreshAddStartsAfresh() throws {
        var h = Harness.acme()
        h.append(.memberLimit(workspace: "acme", member: People.member, credits: 50), as: People.owner)
        let removal = h.append(.removeMember(workspace: "acme", member: People.member, reason: "left"), as: People.support)
        let again = h.run(.removeMember(workspace: "acme", member: People.member, reason: "left"), as: People.support)
        #expect(again == .success(.alreadyRecorded(.alreadyRemoved(person: People.member, workspace: "acme", seq: removal[0].seq))))
        #expect(AlreadyRecorded.alreadyRemoved(person: "mo", workspace: "acme", seq: 5).message.hasPrefix("already removed: mo"))
        h.append(.addMember(workspace: "acme", member: People.member), as: People.owner)
        #expect(h.ws().members == [People.member] && h.ws().removedMembers.isEmpty && h.ws().memberLimits.isEmpty)
        h.fund("acme", 10)
        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "back"), as: People.member)
        #expect(try h.replayed().workspaces["acme"] == h.ws())
    }

    @Test func R42_refusalsNameWhyAndWriteNothing() {
        var h = Harness.acme()
        #expect(h.reject(.removeMember(workspace: "acme", member: "nobody", reason: "x"), as: People.owner)
            == .notAMemberToRemove(workspace: "acme", person: "nobody"))
        #expect(h.reject(.removeMember(workspace: "acme", member: People.owner, reason: "x"), as: People.support)
            == .ownerCannotBeRemoved(workspace: "acme", owner: People.owner))
        #expect(h.reject(.removeMember(workspace: "acme", member: People.member, reason: "two\nlines"), as: People.owner)
            == .invalidText(field: "reason", steering: SteeringMark(scalar: 0x0A, position: 4)))
        guard case .notPermitted? = h.reject(.removeMember(workspace: "acme", member: People.member, reason: "x"), as: People.member) else {
            Issue.record("a member must not remove members"); return
        }
        guard case .notPermitted? = h.reject(.removeOperator(name: People.support, reason: "x"), as: People.owner) else {
            Issue.record("an owner must not remove support agents"); return
        }
        #expect(h.reject(.removeOperator(name: People.owner, reason: "x"), as: People.support) == .notAnOperator(People.owner))
        #expect(h.reject(.removeOperator(name: People.support, reason: "leaving"), as: People.support) == .lastSupportAgent(People.support))
    }

    @Test func R42_aSupportAgentMayRemoveThemselvesWhileAnotherRemains() throws {
        var h = Harness.acme()
        h.append(.addOperator(name: "sam", role: .support), as: People.support)
        let removal = try #require(h.append(.removeOperator(name: People.support, reason: "moved on"), as: People.support).first)
        #expect(removal.kind == .operatorRemoved && removal.name == People.support && removal.reason == "moved on")
        #expect(h.state.operators[People.support] == nil && h.state.removedOperators[People.support] == removal.seq)
        guard case .notPermitted? = h.reject(.adjust(workspace: "acme", amount: 5, reason: "x"), as: People.support) else {
            Issue.record("a removed agent must not adjust"); return
        }
        #expect(h.reject(.removeOperator(name: "sam", reason: "x"), as: "sam") == .lastSupportAgent("sam"))
        let again = h.run(.removeOperator(name: People.support, reason: "moved on"), as: "sam")
        #expect(again == .success(.alreadyRecorded(.alreadyRemoved(person: People.support, workspace: nil, seq: removal.seq))))
        h.append(.addOperator(name: People.support, role: .support), as: "sam")
        #expect(h.state.operators[People.support] == .support && h.state.removedOperators.isEmpty)
        let replayed = try h.replayed()
        #expect(replayed.operators == h.state.operators && replayed.removedOperators == h.state.removedOperators)
    }

    @Test func R42_removalsReplayAndAForgedOneIsNamed() throws {
        var h = Harness.acme()
        h.append(.addOperator(name: "sam", role: .support), as: People.support)
        var before = h.state
        let commit = h.append(.removeMember(workspace: "acme", member: People.member, reason: "left"), as: "sam")
        var check = before
        #expect(RuleReplay.breach(in: commit, state: &check) == nil)
        // The same removal made by the member themselves is not what the rules allow.
        var forged = commit
        forged[0].actor = People.member
        guard case .refused(.notPermitted)? = RuleReplay.breach(in: forged, state: &before)?.breach else {
            Issue.record("a removal by a member is a breach"); return
        }
        var afterOperator = h.state
        let operatorCommit = h.append(.removeOperator(name: "sam", reason: "left the company"), as: People.support)
        var operatorForged = operatorCommit
        operatorForged[0].actor = People.owner
        guard case .refused(.notPermitted)? = RuleReplay.breach(in: operatorForged, state: &afterOperator)?.breach else {
            Issue.record("an operator removal by a non-support actor is a breach"); return
        }
        // A removal of someone who is not a member does not fold.
        var state = h.state
        var stray = Entry(seq: state.lastSeq + 1, time: h.clock, kind: .memberRemoved, actor: People.owner, workspace: "acme")
        stray.member = "nobody"; stray.reason = "x"
        #expect(throws: ReplayError.self) { try state.apply(stray) }
    }
}
