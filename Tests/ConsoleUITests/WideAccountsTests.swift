import Testing
import CreditKit
@testable import ConsoleUI

/// The Accounts table uses the width it has: the owner at 80 columns when the longest owner
/// fits, and at 200 and 250 columns members, lifetime earned and spent, filling the row.
@Suite struct WideAccountsTests {
    static func header(_ driver: Driver) -> String {
        String(driver.screen.split(separator: "\n")[2])
    }

    @Test("at 80 columns the owner shows when the longest owner's name fits")
    func ownerAtEightyColumnsWhenItFits() {
        let driver = Driver(as: "maria")
        #expect(Self.header(driver).contains("Owner"), "\(Self.header(driver))")
        let row = driver.screen.split(separator: "\n").first { $0.contains("bright") }.map(String.init) ?? ""
        #expect(row.contains(" kim "), "\(row)")
        #expect(AccountsScreen.narrowOwnerFits(width: 80, ownerWidth: 7))
        #expect(!AccountsScreen.narrowOwnerFits(width: 80, ownerWidth: 10))
        #expect(AccountsScreen.narrowOwnerFits(width: 83, ownerWidth: 10))
        #expect(!AccountsScreen.narrowOwnerFits(width: 99, ownerWidth: 11), "longer names wait for the wide table")
    }

    @Test("an owner too long for 80 columns leaves the column out rather than squeezing the workspace")
    func longOwnerLeavesTheColumnOut() {
        var fixture = ConsoleFixture()
        fixture.run(.createWorkspace(id: "zeta", name: "Zeta", owner: "bartholomew-long", plan: "pro", trial: false), as: "maria")
        let driver = Driver(as: "maria", fixture: fixture)
        #expect(!Self.header(driver).contains("Owner"), "\(Self.header(driver))")
        #expect(Self.header(driver).contains("Workspace ▲"))
    }

    @Test("at 200 and 250 columns the table fills the row with members, earned and spent", arguments: [200, 250])
    func wideTerminalsStretch(width: Int) {
        let driver = Driver(as: "maria", size: Size(width: width, height: 40))
        let header = Self.header(driver)
        for title in ["Name", "Owner", "Members", "Earned", "Spent", "Last use"] {
            #expect(header.contains(title), "\(width): \(header)")
        }
        #expect(header.trimmingTrailingSpaces.count >= width - 2, "the table stops short at \(width): \(header)")
        let acme = driver.screen.split(separator: "\n").first { $0.contains("Acme Tees") }.map(String.init) ?? ""
        #expect(acme.contains("1: lee"), "\(acme)")
        #expect(!(Driver(as: "maria", size: Size(width: 159, height: 40)).screen.contains("Members")))
    }

    @Test("at 200 columns the last use (the last charge) and the credits that expire show, each from the workspace's own facts")
    func lastChargeAndExpiringFromTwoHundred() {
        var fixture = ConsoleFixture()
        fixture.run(.grant(workspace: "bright", amount: 20, source: .promo, reason: "spring promo",
                           expires: Timestamp(iso8601: "2026-02-01T00:00:00Z")!), as: "maria")
        let driver = Driver(as: "maria", size: Size(width: 200, height: 40), fixture: fixture)
        #expect(Self.header(driver).contains("Last use"))
        #expect(Self.header(driver).contains("Expiring"))
        let row = { (id: String) in driver.screen.split(separator: "\n").first { $0.contains("\(id) ") }.map(String.init) ?? "" }
        #expect(row("acme").contains("3d ago"), "acme's last charge was Jan 7 08:00, now Jan 10 09:00: \(row("acme"))")
        #expect(row("bright").contains("20 from Feb 1"), "\(row("bright"))")
        #expect(row("corner").contains("never"), "corner has never been charged: \(row("corner"))")
        #expect(!Driver(as: "maria", size: Size(width: 199, height: 40), fixture: fixture).screen.contains("Expiring"))
        #expect(WorkspaceSummary(fixture.state.workspaces["acme"]!).lastCharge == Timestamp(iso8601: "2026-01-07T08:00:00Z"))
    }

    @Test func snapshots() throws {
        for size in [Size(width: 200, height: 50), Size(width: 250, height: 70)] {
            let driver = Driver(as: "maria", size: size)
            try ConsoleSnapshotTests.compare(render(driver.state, size: size).text, file: "accounts-\(size.width)x\(size.height)")
        }
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
