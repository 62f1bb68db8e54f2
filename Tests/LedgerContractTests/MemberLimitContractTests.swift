import CreditKit
import LedgerCore
import Testing

/// R40 members' monthly limits through the Ledger protocol, run against every backend in
/// `LedgerBackendUnderTest.all`.
@Suite("Ledger contract: member limits")
struct MemberLimitContractTests {
    @Test("R40: a member_limit record bounds the member's charges and holds; a refund gives back; verify replays it",
          arguments: LedgerBackendUnderTest.all)
    func R40_limitBoundsChargesAndHoldsOnEveryBackend(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try script.createAcme()
        try script.record(.topUp(workspace: "acme", pack: "topup_50"), as: Contract.owner)
        let set = try script.record(.memberLimit(workspace: "acme", member: Contract.member, credits: 10), as: Contract.owner)
        #expect(set.map(\.kind) == [.memberLimit] && set.first?.limit == 10)
        try script.record(.charge(workspace: "acme", action: "print_file", job: "j-1"), as: Contract.member)
        try script.record(.hold(workspace: "acme", action: "print_file", job: "j-2", ttlSeconds: nil), as: Contract.member)
        let seq = script.ledger.state.lastSeq
        for command in [Command.charge(workspace: "acme", action: "print_file", job: "j-3"),
                        .hold(workspace: "acme", action: "print_file", job: "j-4", ttlSeconds: nil)] {
            let refused = try script.submit(command, as: Contract.member)
            #expect(refused == .rejected(.memberLimitReached(member: Contract.member, workspace: "acme", left: 2, limit: 10,
                                                              action: "print_file", cost: 4)), "\(command)")
        }
        #expect(script.ledger.state.lastSeq == seq, "nothing written")
        try script.record(.charge(workspace: "acme", action: "print_file", job: "j-2"), as: Contract.member)
        try script.record(.jobFailed(workspace: "acme", job: "j-1"), as: Contract.owner)
        let standing = try #require(script.ledger.state.workspaces["acme"]?.limitStanding(of: Contract.member, at: Contract.epoch))
        #expect((standing.limit, standing.spent, standing.held, standing.left) == (10, 4, 0, 6))
        try script.record(.memberLimit(workspace: "acme", member: Contract.member, credits: nil), as: Contract.support)
        #expect(script.ledger.state.workspaces["acme"]?.memberLimits.isEmpty == true)
        let report = try script.ledger.verify(expectedHead: nil)
        #expect(report.headSeq == script.ledger.state.lastSeq)
        #expect(try script.everything().contains { $0.kind == .memberLimit && $0.limit == nil && $0.member == Contract.member })
    }
}
