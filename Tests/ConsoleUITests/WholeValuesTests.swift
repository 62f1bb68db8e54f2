import Testing
import CreditKit
@testable import ConsoleUI

/// README: "dates and amounts are shown whole or not at all". The one shared cut (`Fit.cut`,
/// which `Fit.spans` and `Fit.pad` use) drops a date, time or amount it would split, and every
/// screen that truncates goes through it.
@Suite struct WholeValuesTests {
    /// The lines of `screen` that show part of a value before an ellipsis: a value mark right
    /// before `…` (`$200.…`, `22:…`), a month word cut from its day (`Jun…`), or a proper
    /// beginning of one of `values` (`22:3…`, `2027-0…`, `9999…` of `9999-12-31`).
    static func partValues(_ screen: String, values: [String] = []) -> [String] {
        screen.split(separator: "\n").filter { line in
            var rest = line[...]
            while let mark = rest.firstIndex(of: "…") {
                let token = line[..<mark].split(separator: " ").last.map(String.init) ?? ""
                if let last = token.last, "$.,:-+/".contains(last), token.contains(where: \.isNumber) { return true }
                if WholeValues.months.contains(Substring(token)) { return true }
                if !token.isEmpty, values.contains(where: { $0 != token && $0.hasPrefix(token) }) { return true }
                rest = line[line.index(after: mark)...]
            }
            return false
        }.map(String.init)
    }

    /// The values the fixture's screens show, for `partValues`.
    static let fixtureValues = ["$200.00", "2,200", "2027-06-01", "9999-12-31", "2027", "9999", "11:00", "2026-01-10"]

    @Test func aCutNeverSplitsAnAmountATimeOrADate() {
        let dot = "·"
        #expect(Fit.cut("pack topup_200 ($200.00 → 2,200 credits)", 22, ellipsis: "…") == "pack topup_200…")
        #expect(Fit.cut("ai_graphic until 22:30 \(dot) job j-7", 21, ellipsis: "…") == "ai_graphic until…")
        #expect(Fit.cut("promo: next year, expires 2027-06-01", 33, ellipsis: "…") == "promo: next year, expires…")
        #expect(Fit.cut("expires 9999-12-31", 13, ellipsis: "…") == "expires…")
        #expect(Fit.cut("24 of 30 credits \(dot) expires Jun 1 2027", 34, ellipsis: "…") == "24 of 30 credits \(dot) expires…")
        #expect(Fit.cut("last Nov 21 14:02 here", 16, ellipsis: "…") == "last…")
        // Text that is no value is cut as before, inside a word.
        #expect(Fit.cut("blue-line-screen-printing", 10, ellipsis: "…") == "blue-line…")
        #expect(Fit.cut("invoice inv-northside-7", 20, ellipsis: "…") == "invoice inv-northsi…")
    }

    @Test func atEveryWidthAValueIsWholeOrAbsent() {
        let texts = ["pack topup_200 ($200.00 → 2,200 credits)", "ai_graphic until Jan 11 22:30 · job j-7",
                     "promo: next year, expires 2027-06-01", "Balance 8 → 2,208 (● comfortable)", "expires Dec 31 9999"]
        for text in texts {
            let words = Set(text.split(separator: " "))
            for width in 1...CellWidth.of(text) {
                let cut = Fit.cut(text, width, ellipsis: "…")
                for word in cut.replacingOccurrences(of: "…", with: "").split(separator: " ") where WholeValues.isValue(word) {
                    #expect(words.contains(word), "\(text) at \(width): \(cut)")
                }
                #expect(Self.partValues(cut).isEmpty, "\(text) at \(width): \(cut)")
            }
        }
    }

    /// acme with a topup_200, a held graphic with a 2-hour time to live, a promotion expiring next
    /// year and one expiring 9999-12-31.
    static func fixture() -> ConsoleFixture {
        var fixture = ConsoleFixture()
        fixture.run(.topUp(workspace: "acme", pack: "topup_200"), as: "sam")
        fixture.run(.hold(workspace: "acme", action: "ai_graphic", job: "j-held-with-a-long-name", ttlSeconds: 7_200), as: "lee")
        fixture.run(.grant(workspace: "acme", amount: 30, source: .promo, reason: "next year", expires: Timestamp(iso8601: "2027-06-01T00:00:00Z")!), as: "maria")
        fixture.run(.grant(workspace: "acme", amount: 20, source: .promo, reason: "for good",
                           expires: Timestamp(iso8601: "9999-12-31T00:00:00Z")!), as: "maria")
        return fixture
    }

    @Test func activityHistoryAndVoidFormShowValuesWholeAt80x24() throws {
        let fixture = Self.fixture()
        var driver = Driver(as: "maria", fixture: fixture)
        driver.keys(.character("A"))
        #expect(Self.partValues(driver.screen, values: Self.fixtureValues).isEmpty, "Activity:\n\(driver.screen)")
        driver.keys(.escape, .enter)
        #expect(Self.partValues(driver.screen, values: Self.fixtureValues).isEmpty, "history:\n\(driver.screen)")
        for grant in fixture.journal.filter({ $0.kind == .grant && $0.expires != nil }) {
            var form = Driver(as: "maria", fixture: fixture)
            form.keys(.enter)
            for _ in 0..<8 where form.state.selectedHistoryEntry?.seq != grant.seq { form.keys(.character("j")) }
            form.keys(.character("v"))
            guard case .void = form.state.top else { Issue.record("no void form:\n\(form.screen)"); continue }
            #expect(Self.partValues(form.screen, values: Self.fixtureValues).isEmpty, "void form:\n\(form.screen)")
            let year = grant.expires!.civil.year
            #expect(form.screen.contains(year == 9999 ? "Dec 31 9999" : "Jun 1 2027") || !form.screen.contains("expires"),
                    "the year of a date in another year shows:\n\(form.screen)")
        }
    }

    @Test func aDayInTheCurrentYearHasNoYearAndAnyOtherHasIt() {
        let now = Timestamp(iso8601: "2026-01-10T09:00:00Z")!
        #expect(TimeText.day(Timestamp(iso8601: "2026-06-01T00:00:00Z")!, now: now) == "Jun 1")
        #expect(TimeText.day(Timestamp(iso8601: "2027-06-01T00:00:00Z")!, now: now) == "Jun 1 2027")
        #expect(TimeText.day(Timestamp(iso8601: "9999-12-31T00:00:00Z")!, now: now) == "Dec 31 9999")
    }

    @Test(arguments: [Size(width: 80, height: 24), Size(width: 120, height: 40)])
    func noSnapshotSceneShowsPartOfAValue(size: Size) {
        for scene in ConsoleSnapshotTests.scenes {
            var driver = Driver(as: scene.actor, size: size)
            scene.steps(&driver)
            #expect(Self.partValues(driver.screen).isEmpty, "\(scene.name) at \(size.width)x\(size.height):\n\(driver.screen)")
        }
    }
}
