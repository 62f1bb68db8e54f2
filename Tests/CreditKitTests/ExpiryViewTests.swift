import Testing
@testable import CreditKit

/// S3 and R21 at read time: every view of a workspace (balance, list, history, export, and the
/// write that follows) gives the same balance at the same time, and credits that expired leave by
/// an expiry entry the history shows, pending until a write records it.
@Suite struct ExpiryViewTests {
    /// What each view says a workspace's balance is at `time`, from the same state.
    struct Views: Equatable, CustomStringConvertible {
        var balance: Credits       // `balance` (and the console's header): the workspace brought up
        var list: Credits          // `workspace list` (and the console's Accounts): its summary
        var history: Credits       // `history`: the balance after the newest row, pending ones first
        var export: Credits        // `export`: the sum of every row, pending ones included
        var write: Credits         // the next write's state, less what that write itself adds

        var description: String { "balance \(balance) list \(list) history \(history) export \(export) write \(write)" }
        var agree: Bool { Set([balance, list, history, export, write]).count == 1 }
    }

    static func views(_ id: String, in h: Harness, at time: Timestamp) -> Views? {
        guard let brought = Engine.bringUp(id, in: h.state, to: time), let written = h.state.workspaces[id] else { return nil }
        // The list and the console's Accounts bring the stored summary up, without the workspace.
        let summary = WorkspaceSummary(written).broughtUp(to: time)
        #expect(summary == WorkspaceSummary(brought.workspace), "the summary brought up is the brought-up workspace's")
        let rows = h.creditEntries(id) + brought.expiries
        // A probe write: a one-credit grant at `time` brings the workspace up first, as every write does.
        var probe = h.state
        let granted = Engine.decide(.grant(workspace: id, amount: 1, source: .promo, reason: "probe", expires: nil), in: probe,
                                    context: CommandContext(actor: People.support, time: time))
        guard case .success(.append(let entries)) = granted, (try? probe.apply(entries)) != nil else { return nil }
        return Views(balance: brought.workspace.balance, list: summary.balance, history: rows.last?.balance ?? 0,
                     export: rows.reduce(0) { $0 + $1.credits }, write: (probe.workspaces[id]?.balance ?? -1) - 1)
    }

    @Test func S3_theIssueScenarioGivesOneBalanceEverywhereAndNoUnsentAlert() throws {
        var h = Harness(catalog: Catalogs.sofia, start: Timestamp(iso8601: "2026-12-01T00:00:00Z")!)
        h.append(.createWorkspace(id: "s1", name: "S1", owner: "sam", plan: "pro", trial: false), as: People.support)
        h.advance(seconds: 1)
        let grant = h.append(.grant(workspace: "s1", amount: 10, source: .promo, reason: "promo",
                                    expires: Timestamp(iso8601: "2027-01-01T00:00:00Z")), as: People.support)[0]
        h.clock = Timestamp(iso8601: "2026-12-31T23:59:59Z")!
        h.append(.charge(workspace: "s1", action: "image", job: "i1"), as: "sam")
        let later = Timestamp(iso8601: "2027-01-02T00:00:00Z")!

        let views = try #require(Self.views("s1", in: h, at: later))
        #expect(views == Views(balance: 0, list: 0, history: 0, export: 0, write: 0), "\(views)")
        let brought = try #require(Engine.bringUp("s1", in: h.state, to: later))
        #expect(brought.expiries.count == 1)
        #expect(brought.expiries.first?.kind == .expiry)
        #expect(brought.expiries.first?.credits == -9)
        #expect(brought.expiries.first?.ref == grant.seq)
        #expect(brought.workspace.spent == 10)
        #expect(brought.workspace.creditEntryCount == h.ws("s1").creditEntryCount + 1)
        // The read reports the alerts as written: none was sent, so none is said to be.
        #expect(brought.workspace.alerts == h.ws("s1").alerts)
        #expect(brought.workspace.alerts.lastEmptySent == nil)
        // The stale summary knows it is out of date; the brought-up one does not.
        #expect(WorkspaceSummary(h.ws("s1")).hasDueExpiry(at: later))
        #expect(WorkspaceSummary(h.ws("s1")).broughtUp(to: later).hasDueExpiry(at: later) == false)
        #expect(WorkspaceSummary(h.ws("s1")).broughtUp(to: later).balance == 0)
        // Before the date nothing is due, and every view says 9.
        #expect(Self.views("s1", in: h, at: Timestamp(iso8601: "2026-12-31T23:59:59Z")!)?.balance == 9)
    }

    @Test func S3_aReadBeforeTheLastRecordStillBringsDueExpiriesUpAndNeverRefuses() throws {
        var h = Harness(catalog: Catalogs.sofia)
        h.append(.createWorkspace(id: "s1", name: "S1", owner: "sam", plan: "pro", trial: false), as: People.support)
        h.append(.grant(workspace: "s1", amount: 10, source: .promo, reason: "promo", expires: h.clock.adding(days: 2)), as: People.support)
        h.advance(days: 30)
        h.append(.createWorkspace(id: "s2", name: "S2", owner: "sam", plan: "pro", trial: false), as: People.support)
        let brought = try #require(Engine.bringUp("s1", in: h.state, to: startTime.adding(days: 5)))
        #expect(brought.workspace.balance == 0)
        #expect(brought.expiries.first?.time == h.clock, "dated at the last record, never before it")
        #expect(Engine.bringUp("s1", in: h.state, to: startTime.adding(days: 1))?.workspace.balance == 10)
    }

    /// Random command streams with expiring grants and packs, read at random times through every view.
    @Test(arguments: PropertyTests.seeds)
    func S3_everyViewGivesTheSameBalanceAtTheSameTime(seed: UInt64) {
        var h = PropertyTests.seeded(catalog: Catalogs.sofia)
        var generator = PropertyTests.Generator(seed: seed, catalog: Catalogs.sofia)
        var reads = 0, readsWithDue = 0
        for _ in 0..<PropertyTests.steps {
            if generator.chance(40) { h.advance(seconds: generator.int(0...(5 * Timestamp.secondsPerDay))) }
            let (command, actor) = generator.next(clock: h.clock, state: h.state)
            h.run(command, as: actor)
            guard generator.chance(20) else { continue }
            let time = Timestamp(secondsSinceEpoch: h.clock.secondsSinceEpoch + generator.int(0...(120 * Timestamp.secondsPerDay)))
            for id in h.state.workspaceIDs {
                guard let views = Self.views(id, in: h, at: time) else {
                    Issue.record("seed \(seed): \(id) gave no views at \(time)")
                    continue
                }
                reads += 1
                if Engine.bringUp(id, in: h.state, to: time)?.expiries.isEmpty == false { readsWithDue += 1 }
                #expect(views.agree, "seed \(seed), \(id) at \(time): \(views)")
                #expect(views.balance >= 0)
            }
        }
        #expect(readsWithDue > 5, "the streams exercise due expiries (seed \(seed): \(readsWithDue) of \(reads) reads)")
    }
}
