import Foundation
import Testing
import CreditKit
@testable import ConsoleUI

/// The Accounts orders, each checked against its plain definition over workspaces with equal
/// names, equal balances, holds, names differing only in case, and never-charged ones: the
/// rows sorted by keys computed once are the rows the definition gives, either way round.
@Suite struct AccountOrderTests {
    static let names = ["Bright", "acme", "Acme", "Corner", "émile", "Zeta", "bright", "Acme"]

    /// Forty workspaces whose fields repeat with different periods, so every order has ties.
    static func summaries(at now: Timestamp) -> [WorkspaceSummary] {
        (0..<40).map { index in
            var summary = WorkspaceSummary(id: "ws-\(String(format: "%02d", (index * 17) % 40))", name: names[index % names.count],
                                           owner: "sam", members: [], plan: "pro", status: .active,
                                           balance: Credits((index * 7) % 5 * 10), earned: 100, spent: 0, lastActivity: now,
                                           lastCharge: index % 3 == 0 ? nil : Timestamp(secondsSinceEpoch: now.secondsSinceEpoch - Int64(index % 4) * 60))
            if index % 6 == 1 { summary.holds = [ExpiringCredits(seq: Int64(index), credits: 10, expires: Timestamp(secondsSinceEpoch: now.secondsSinceEpoch + 3600))] }
            return summary
        }
    }

    /// The order each sort is defined as, one comparison at a time.
    static func defined(_ sort: AccountSort, _ list: [WorkspaceSummary], badge: (Credits) -> BadgeLevel) -> [String] {
        func rank(_ ws: WorkspaceSummary) -> Int {
            switch badge(ws.available) { case .critical: return 0; case .low: return 1; case .comfortable: return 2 }
        }
        let never = Timestamp(secondsSinceEpoch: Int64.min)
        switch sort {
        case .name: return list.sorted { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }.map(\.id)
        case .balance: return list.sorted { ($0.available, $0.id) < ($1.available, $1.id) }.map(\.id)
        case .badge: return list.sorted { (rank($0), $0.available, $0.id) < (rank($1), $1.available, $1.id) }.map(\.id)
        case .lastUse: return list.sorted { ($0.lastCharge ?? never, $1.id) > ($1.lastCharge ?? never, $0.id) }.map(\.id)
        }
    }

    @Test("each Accounts order, and each turned round, is the order its definition gives", arguments: AccountSort.allCases)
    func everyOrderMatchesItsDefinition(sort: AccountSort) {
        let fixture = ConsoleFixture()
        let list = Self.summaries(at: fixture.clock)
        let session = Session(actor: "maria", ledgerLabel: "konfiwear", demo: false, glyphs: Glyphs(ascii: false))
        var (state, _) = ConsoleState.initial(ledger: fixture.state, summaries: list, session: session, now: fixture.clock,
                                              size: Size(width: 160, height: 40))
        let expected = Self.defined(sort, list, badge: state.badge)
        #expect(Set(expected).count == list.count)
        state.accounts.sort = sort
        state.recomputeAccountRows(keeping: nil)
        #expect(state.accounts.rows == expected)
        state.accounts.reversed = true
        state.recomputeAccountRows(keeping: nil)
        #expect(state.accounts.rows == expected.reversed())
    }
}
