import Foundation
import Testing
import CreditKit
@testable import ConsoleUI

/// R42 in the console: a removal shows in Activity with its reason, like a member joining, and
/// the removed member no longer sees the workspace.
@Suite struct RemovalConsoleTests {
    static func fixture() -> ConsoleFixture {
        var fixture = ConsoleFixture()
        _ = fixture.run(.removeMember(workspace: "bright", member: "ivy", reason: "left Bright"), as: "kim")
        return fixture
    }

    @Test("R42: Activity shows the removal with who removed whom and why")
    func R42_activityShowsTheRemovalWithItsReason() {
        var driver = Driver(as: "maria", size: Size(width: 120, height: 40), fixture: Self.fixture())
        driver.keys(.character("A"))
        #expect(driver.state.activity?.rows.first?.kind == .memberRemoved)
        #expect(driver.screen.contains("ivy removed: left Bright"), "\(driver.screen)")
        #expect(driver.screen.contains("ivy joined"), "the add it ends shows as before")
    }

    @Test("R42: the removed member's console lists no workspace of theirs; a remaining member's still does")
    func R42_removedMemberNoLongerSeesTheWorkspace() {
        let removed = Driver(as: "ivy", fixture: Self.fixture())
        #expect(!removed.screen.contains("Bright Tees"), "\(removed.screen)")
        let kept = Driver(as: "lee", fixture: Self.fixture())
        #expect(kept.screen.contains("Acme Tees"), "\(kept.screen)")
    }
}
