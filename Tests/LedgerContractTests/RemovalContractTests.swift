import CreditKit
import LedgerCore
import Testing

/// R42 removals through the Ledger protocol, run against every backend in `LedgerBackendUnderTest.all`.
@Suite("Ledger contract: removal")
struct RemovalContractTests {
    @Test("R42: a member_removed record ends the member's place; a repeat is already removed; a fresh add; verify replays it",
          arguments: LedgerBackendUnderTest.all)
    func R42_removalOnEveryBackend(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try script.createAcme()
        try script.record(.topUp(workspace: "acme", pack: "topup_50"), as: Contract.owner)
        try script.record(.memberLimit(workspace: "acme", member: Contract.member, credits: 10), as: Contract.owner)
        let removed = try script.record(.removeMember(workspace: "acme", member: Contract.member, reason: "left"), as: Contract.owner)
        #expect(removed.map(\.kind) == [.memberRemoved] && removed.first?.reason == "left")
        #expect(script.ledger.state.workspaces["acme"]?.members == [] && script.ledger.state.workspaces["acme"]?.memberLimits == [:])
        let seq = script.ledger.state.lastSeq
        guard case .rejected(.notPermitted) = try script.submit(.charge(workspace: "acme", action: "print_file", job: "j-1"), as: Contract.member) else {
            Issue.record("a removed member must not charge"); return
        }
        let again = try script.submit(.removeMember(workspace: "acme", member: Contract.member, reason: "left"), as: Contract.support)
        guard case let .alreadyRecorded(.alreadyRemoved(person, ws, first), original) = again else {
            Issue.record("a repeat is already removed, got \(again)"); return
        }
        #expect(person == Contract.member && ws == "acme" && first == removed.first?.seq && original?.kind == .memberRemoved)
        #expect(script.ledger.state.lastSeq == seq, "nothing written")
        try script.record(.addMember(workspace: "acme", member: Contract.member), as: Contract.owner)
        try script.record(.charge(workspace: "acme", action: "print_file", job: "j-1"), as: Contract.member)
        try script.record(.addOperator(name: Contract.owner, role: .support), as: Contract.support)
        let agentRemoved = try script.record(.removeOperator(name: Contract.support, reason: "moved on"), as: Contract.owner)
        #expect(agentRemoved.map(\.kind) == [.operatorRemoved] && script.ledger.state.operators[Contract.support] == nil)
        let report = try script.ledger.verify(expectedHead: nil)
        #expect(report.headSeq == script.ledger.state.lastSeq)
        #expect(try script.everything().contains { $0.kind == .memberRemoved && $0.member == Contract.member })
    }
}
