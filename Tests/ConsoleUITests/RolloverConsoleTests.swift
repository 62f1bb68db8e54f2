import Foundation
import Testing
import CreditKit
@testable import ConsoleUI

/// R41 in the console's reducer: the workspace screen warns before rolled-over credits expire,
/// and the history shows a rollover as the credits it carried, not as a move of the balance.
@Suite struct RolloverConsoleTests {
    /// Sofia with Pro's unused credits carried over up to 40 for 60 days.
    static let catalog: Catalog = {
        let url = PackageFiles.root.appendingPathComponent("Data/catalogs/sofia.json")
        var catalog = try! JSONDecoder().decode(Catalog.self, from: Data(contentsOf: url))
        let index = catalog.plans.firstIndex { $0.id == "pro" }!
        catalog.plans[index].rollover = Catalog.Rollover(capCredits: 40, validDays: 60)
        return catalog
    }()

    /// acme on sofia's Pro: paid 2025-10-15 and 2025-11-14, so 40 credits rolled over on
    /// 2025-11-14 expire on 2026-01-13 at 09:00, three days after the fixture's now.
    static func fixture() -> ConsoleFixture {
        var fixture = ConsoleFixture()
        fixture.state = LedgerState(catalog: catalog)
        fixture.journal = []
        var initial = Entry(seq: 1, time: Timestamp(iso8601: "2025-10-01T09:00:00Z")!, kind: .initialize, actor: "maria")
        initial.catalog = "sofia"
        try! fixture.state.apply(initial)
        fixture.journal.append(initial)
        fixture.clock = Timestamp(iso8601: "2025-10-15T09:00:00Z")!
        fixture.run(.createWorkspace(id: "acme", name: "Acme Images", owner: "sam", plan: "pro", trial: false), as: "maria")
        fixture.run(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: "maria")
        fixture.clock = Timestamp(iso8601: "2025-11-14T09:00:00Z")!
        fixture.run(.invoicePaid(workspace: "acme", invoice: "inv-2"), as: "maria")
        fixture.clock = Timestamp(iso8601: "2026-01-10T09:00:00Z")!
        return fixture
    }

    @Test("R41: the workspace screen warns before rolled-over credits expire; the history row shows what was carried")
    func R41_workspaceScreenWarnsBeforeRolledOverCreditsExpire() throws {
        var driver = Driver(as: "maria", size: Size(width: 120, height: 40), fixture: Self.fixture())
        driver.keys(.enter)
        #expect(driver.state.openWorkspace?.id == "acme")
        #expect(driver.screen.contains("40 rolled-over credits expire in 3 days"), "\(driver.screen)")
        let rolled = try #require(driver.fixture.journal.first { $0.rollover != nil })
        #expect(WorkspaceScreen.creditsCell(rolled).text == "(40)")
        let row = driver.screen.split(separator: "\n").first { $0.contains("rolled over") } ?? ""
        #expect(row.contains("grant") && row.contains("(40)"), "\(driver.screen)")
        // Once they have expired, the warning goes.
        driver.send(.clock(Timestamp(iso8601: "2026-01-13T09:00:00Z")!))
        #expect(!driver.screen.contains("rolled-over credits expire"), "\(driver.screen)")
    }

    @Test("S3: the general expiry line counts only what expires on its date, and never the rolled-over credits of the line before it")
    func S3_expiryLinesCountWhatExpiresOnTheirDateOnce() throws {
        var fixture = Self.fixture()
        let rolledOverDate = Timestamp(iso8601: "2026-01-13T09:00:00Z")!
        fixture.run(.grant(workspace: "acme", amount: 25, source: .promo, reason: "spring promo", expires: rolledOverDate), as: "maria")
        fixture.run(.grant(workspace: "acme", amount: 30, source: .promo, reason: "late promo",
                           expires: Timestamp(iso8601: "2026-01-15T09:00:00Z")!), as: "maria")
        var driver = Driver(as: "maria", size: Size(width: 120, height: 40), fixture: fixture)
        driver.keys(.enter)
        #expect(driver.state.openWorkspace?.id == "acme")
        #expect(driver.screen.contains("40 rolled-over credits expire in 3 days"), "\(driver.screen)")
        #expect(driver.screen.contains("25 cr expire "), "only the promo credits of Jan 13, not 40 + 25 + 30: \(driver.screen)")
        #expect(!driver.screen.contains("95 cr expire") && !driver.screen.contains("65 cr expire"), "\(driver.screen)")
    }

    /// A driver on acme's history with the row of entry `seq` selected.
    static func onRow(_ seq: Int64, fixture: ConsoleFixture) throws -> Driver {
        var driver = Driver(as: "maria", size: Size(width: 120, height: 40), fixture: fixture)
        driver.keys(.enter)
        for _ in 0..<12 where driver.state.selectedHistoryEntry?.seq != seq { driver.keys(.character("j")) }
        try #require(driver.state.selectedHistoryEntry?.seq == seq, "row #\(seq) is not in the first rows: \(driver.screen)")
        return driver
    }

    @Test("R41, R36: once the grant is reversed, the void form of its rollover says at once that it would take the credits twice, and no confirmation opens")
    func R41_R36_voidFormOfAReversedGrantsRolloverSaysWhyBeforeConfirming() throws {
        var fixture = Self.fixture()
        let grant = try #require(fixture.journal.first { $0.kind == .grant && $0.invoice == "inv-1" })
        let rollover = try #require(fixture.journal.first { $0.rollover != nil })
        // Enough balance for the reversal to take all 100 of the grant (R34), from credits that
        // burn before the rollover's (S3: they expire sooner), so the rollover keeps its 40.
        _ = fixture.run(.grant(workspace: "acme", amount: 100, source: .promo, reason: "winter promo",
                               expires: Timestamp(iso8601: "2026-01-11T09:00:00Z")!), as: "maria")
        let reversed = fixture.run(.reverse(workspace: "acme", seq: grant.seq, reason: "invoice refunded"), as: "maria")
        guard case .success(.recorded) = reversed else { Issue.record("not reversed: \(reversed)"); return }
        var driver = try Self.onRow(rollover.seq, fixture: fixture)
        let written = driver.fixture.journal.count
        driver.keys(.character("v"))
        guard case .void(let model) = driver.state.top else { Issue.record("no void form: \(driver.screen)"); return }
        #expect(model.problem?.contains("R41") == true, "\(String(describing: model.problem))")
        driver.type("granted in error")
        driver.keys(.enter)
        #expect(driver.state.dialog == nil, "no confirmation for a void the ledger refuses: \(driver.screen)")
        #expect(driver.fixture.journal.count == written)
    }

    @Test("R41, R34: once the rollover is voided, reversing its grant is refused before any confirmation")
    func R41_R34_reversalOfAGrantWhoseRolloverWasVoidedIsRefusedBeforeConfirming() throws {
        var fixture = Self.fixture()
        let grant = try #require(fixture.journal.first { $0.kind == .grant && $0.invoice == "inv-1" })
        let rollover = try #require(fixture.journal.first { $0.rollover != nil })
        let voided = fixture.run(.void(workspace: "acme", seq: rollover.seq, reason: "granted in error"), as: "maria")
        guard case .success(.recorded) = voided else { Issue.record("not voided: \(voided)"); return }
        var driver = try Self.onRow(grant.seq, fixture: fixture)
        let written = driver.fixture.journal.count
        driver.keys(.enter)
        guard case .entryDetail = driver.state.top else { Issue.record("no detail: \(driver.screen)"); return }
        driver.keys(.character("x"))
        if case .reverse = driver.state.top {
            driver.type("invoice refunded")
            driver.keys(.enter)
            #expect(driver.state.dialog == nil, "no confirmation for a reversal the ledger refuses: \(driver.screen)")
        }
        #expect(driver.screen.contains("R41"), "the refusal names the rule: \(driver.screen)")
        #expect(driver.fixture.journal.count == written)
    }

    @Test("R41: how soon, in whole days rounded up")
    func R41_howSoonInWholeDays() {
        let now = Timestamp(iso8601: "2026-01-10T09:00:00Z")!
        #expect(RolloverText.within(Timestamp(iso8601: "2026-01-13T09:00:00Z")!, from: now) == "in 3 days")
        #expect(RolloverText.within(Timestamp(iso8601: "2026-01-10T21:00:00Z")!, from: now) == "in 1 day")
        #expect(RolloverText.within(Timestamp(iso8601: "2026-01-12T10:00:00Z")!, from: now) == "in 3 days")
        #expect(RolloverText.within(now, from: now) == "today")
    }
}
