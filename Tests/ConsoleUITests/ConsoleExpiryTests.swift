import Testing
import CreditKit
@testable import ConsoleUI

/// S3 in the console: Accounts, the workspace header and every cost shown use the balance
/// `balance` gives at the console's clock, and a grant expiring while the console is open
/// changes them at once.
@Suite struct ConsoleExpiryTests {
    static let expires = Timestamp(iso8601: "2026-01-12T00:00:00Z")!

    /// The fixture with 10 promotional credits for `bright` (8 credits before) expiring on Jan 12.
    static func fixture() -> ConsoleFixture {
        var fixture = ConsoleFixture()
        fixture.run(.grant(workspace: "bright", amount: 10, source: .promo, reason: "spring promo", expires: expires), as: "maria")
        return fixture
    }

    @Test func S3_accountsAndHeaderShowTheBalanceAfterDueExpiries() throws {
        var fixture = Self.fixture()
        fixture.clock = Self.expires.adding(days: 1)
        var driver = Driver(fixture: fixture)
        #expect(driver.state.summaries["bright"]?.balance == 8)
        let written = try #require(fixture.state.workspaces["bright"])
        #expect(written.balance == 18, "the journal has no expiry yet")
        #expect(driver.screen.contains(" 8 ✖ critical"), "\(driver.screen)")
        #expect(driver.state.openWorkspace == nil)
        _ = driver.state.openWorkspace("bright")
        #expect(driver.state.openWorkspace?.balance == 8)
        #expect(driver.state.openWorkspace?.spent == written.spent + 10)
        #expect(driver.state.openWorkspace?.creditEntryCount == written.creditEntryCount + 1, "the pending expiry is a history row")
    }

    @Test func S3_aGrantExpiringWhileTheConsoleIsOpenChangesEveryBalanceShown() {
        var driver = Driver(fixture: Self.fixture())
        #expect(driver.state.summaries["bright"]?.balance == 18)
        driver.send(.clock(Self.expires.adding(days: -1)))
        #expect(driver.state.summaries["bright"]?.balance == 18)
        driver.send(.clock(Self.expires))
        #expect(driver.state.summaries["bright"]?.balance == 8)
        #expect(driver.state.workspaceNow("bright")?.balance == 8)
        #expect(driver.state.summaries["acme"]?.balance == driver.fixture.state.workspaces["acme"]?.balance, "other balances stay")
    }
}
