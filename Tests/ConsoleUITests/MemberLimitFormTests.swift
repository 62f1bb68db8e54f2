import Testing
import CreditKit
@testable import ConsoleUI

/// `m` on a workspace (R40): pick the owner or a member, set a monthly limit or lift it, through
/// the engine's `member-limit set|off`; the month line follows.
@Suite struct MemberLimitFormTests {
    @Test("R40: m, a member, a limit and y record it; the month line shows the member against it")
    func R40_setAMembersLimitFromTheWorkspace() throws {
        var driver = try AutoTopUpFormTests.onAcme(size: Size(width: 120, height: 40))
        driver.keys(.character("m"))
        guard case .memberLimit(let form) = driver.state.top else { Issue.record("no form: \(driver.screen)"); return }
        #expect(form.people == ["sam", "lee"] && form.person == "sam")
        #expect(driver.screen.contains("sam (owner)") && driver.screen.contains("no limit"), "\(driver.screen)")
        driver.keys(.character("j"))
        driver.type("200")
        driver.keys(.enter)
        guard case let .setting(confirmation, focus)? = driver.state.dialog else { Issue.record("no confirmation: \(driver.screen)"); return }
        #expect(focus == .cancel)
        #expect(confirmation.command == .memberLimit(workspace: "acme", member: "lee", credits: 200))
        #expect(driver.screen.contains("Limit lee in acme to 200 credits a month."), "\(driver.screen)")
        driver.keys(.character("y"))
        #expect(driver.fixture.state.workspaces["acme"]?.memberLimits["lee"] == 200)
        #expect(driver.state.top == .workspace)
        #expect(driver.state.flash?.text == "lee's monthly limit set to 200 credits", "\(String(describing: driver.state.flash))")
        let month = driver.screen.split(separator: "\n").first { $0.contains("This month") }.map(String.init) ?? ""
        #expect(month.contains(" of 200"), "\(month)")
    }

    @Test("R40: a name too long for its column is cut with a space before its month's standing")
    func R40_aLongNameIsCutWithASpaceBeforeItsStanding() throws {
        var fixture = ConsoleFixture()
        let long = String(repeating: "x", count: 90)
        fixture.run(.addMember(workspace: "acme", member: long), as: "sam")
        var driver = try AutoTopUpFormTests.onAcme(as: "sam", fixture: fixture)
        driver.keys(.character("m"))
        let row = driver.screen.split(separator: "\n").first { $0.contains("xxxx") }.map(String.init) ?? ""
        #expect(row.contains("\u{2026}") && row.contains("x no limit"), "\(row)")
    }

    /// Two long names that share their first 30 characters, and an owner with a long name.
    static func longNames() -> ConsoleFixture {
        var fixture = ConsoleFixture()
        let stem = "alexandra-konstantinopoulou-"
        fixture.run(.createWorkspace(id: "long", name: "Long Names", owner: stem + "owner", plan: "pro", trial: false), as: "maria")
        fixture.run(.addMember(workspace: "long", member: stem + "berlin"), as: "maria")
        fixture.run(.addMember(workspace: "long", member: stem + "boston"), as: "maria")
        return fixture
    }

    @Test("R40: the name column is sized from the screen and the longest name: long names stay apart and (owner) stays",
          arguments: [80, 120])
    func R40_longNamesStayApartAndTheOwnerTagStays(_ width: Int) {
        var driver = Driver(as: "maria", size: Size(width: width, height: 40), fixture: Self.longNames())
        driver.keys(.character("/"))
        driver.type("long")
        driver.keys(.enter, .enter, .character("m"))
        guard case .memberLimit = driver.state.top else { Issue.record("no form: \(driver.screen)"); return }
        let screen = driver.screen
        #expect(screen.contains("alexandra-konstantinopoulou-owner (owner)"), "\(screen)")
        #expect(screen.contains("alexandra-konstantinopoulou-berlin"), "\(screen)")
        #expect(screen.contains("alexandra-konstantinopoulou-boston"), "\(screen)")
    }

    @Test("R40: at 40 columns a long name loses its middle, never its end nor (owner)")
    func R40_aNarrowScreenCutsTheMiddleOfAName() {
        let label = MemberLimitFormScreen.label("alexandra-konstantinopoulou-owner", role: " (owner)", width: 20, ellipsis: "\u{2026}")
        #expect(label.hasSuffix("owner (owner)") && label.contains("\u{2026}") && CellWidth.of(label) == 20, "\(label)")
    }

    @Test("R40, R42: a person removed while the form is open leaves its list; the selection moves to the next and says why")
    func R40_aRemovedMemberLeavesTheOpenForm() throws {
        var fixture = ConsoleFixture()
        fixture.run(.addMember(workspace: "acme", member: "zoe"), as: "sam")
        var driver = try AutoTopUpFormTests.onAcme(as: "sam", fixture: fixture)
        driver.keys(.character("m"), .character("j"))
        guard case .memberLimit(let before) = driver.state.top else { Issue.record("no form: \(driver.screen)"); return }
        #expect(before.people == ["sam", "lee", "zoe"] && before.person == "lee")
        driver.fixture.run(.removeMember(workspace: "acme", member: "lee", reason: "left Acme"), as: "maria")
        let seq = driver.fixture.state.lastSeq
        driver.send(.ledgerChanged(driver.fixture.state))
        guard case .memberLimit(let after) = driver.state.top else { Issue.record("form closed: \(driver.screen)"); return }
        #expect(after.people == ["sam", "zoe"] && after.person == "zoe")
        #expect(after.problem == "lee is no longer a member of acme (removed by entry #\(seq))")
        #expect(!driver.screen.split(separator: "\n").contains { $0.hasPrefix("   lee") }, "lee's row is gone: \(driver.screen)")
        driver.type("50")
        driver.keys(.enter)
        guard case .setting(let confirmation, _)? = driver.state.dialog else { Issue.record("no confirmation: \(driver.screen)"); return }
        #expect(confirmation.command == .memberLimit(workspace: "acme", member: "zoe", credits: 50))
    }

    @Test("R40, R42: someone else removed keeps the selection on the same person")
    func R40_anotherRemovalKeepsTheSelection() throws {
        var fixture = ConsoleFixture()
        fixture.run(.addMember(workspace: "acme", member: "zoe"), as: "sam")
        var driver = try AutoTopUpFormTests.onAcme(as: "sam", fixture: fixture)
        driver.keys(.character("m"), .character("j"), .character("j"))
        driver.fixture.run(.removeMember(workspace: "acme", member: "lee", reason: "left Acme"), as: "maria")
        driver.send(.ledgerChanged(driver.fixture.state))
        guard case .memberLimit(let after) = driver.state.top else { Issue.record("form closed: \(driver.screen)"); return }
        #expect(after.people == ["sam", "zoe"] && after.person == "zoe" && after.problem == nil)
    }

    @Test("R40: x lifts the selected person's limit; the form opens with it prefilled")
    func R40_liftALimit() throws {
        var fixture = ConsoleFixture()
        fixture.run(.memberLimit(workspace: "acme", member: "lee", credits: 150), as: "sam")
        var driver = try AutoTopUpFormTests.onAcme(as: "sam", fixture: fixture)
        driver.keys(.character("m"), .character("j"))
        guard case .memberLimit(let form) = driver.state.top else { Issue.record("no form: \(driver.screen)"); return }
        #expect(form.person == "lee" && form.credits.text == "150")
        driver.keys(.character("x"))
        guard case .setting(let confirmation, _)? = driver.state.dialog else { Issue.record("no confirmation: \(driver.screen)"); return }
        #expect(confirmation.command == .memberLimit(workspace: "acme", member: "lee", credits: nil))
        #expect(driver.screen.contains("Lift lee's monthly limit in acme."), "\(driver.screen)")
        driver.keys(.character("y"))
        #expect(driver.fixture.state.workspaces["acme"]?.memberLimits["lee"] == nil)
        #expect(driver.state.flash?.text == "lee's monthly limit lifted")
    }

    @Test("R40: a limit the engine refuses, or one already in force, shows its line and writes nothing")
    func R40_refusalsShowTheEnginesLine() throws {
        var driver = try AutoTopUpFormTests.onAcme(as: "sam")
        let written = driver.fixture.journal.count
        driver.keys(.character("m"))
        driver.type("9999999999")
        driver.keys(.enter)
        guard case .memberLimit(let big) = driver.state.top else { Issue.record("the form closed: \(driver.screen)"); return }
        #expect(big.problem?.contains("a monthly limit is 0 to") == true, "\(String(describing: big.problem))")
        driver.keys(.character("x"))
        guard case .memberLimit(let none) = driver.state.top else { Issue.record("the form closed: \(driver.screen)"); return }
        #expect(none.problem?.hasSuffix("sam has no monthly limit in acme") == true, "\(String(describing: none.problem))")
        #expect(driver.state.dialog == nil && driver.fixture.journal.count == written)
    }

    @Test("R40, R18: a member is refused the form")
    func R40_memberIsNotPermitted() throws {
        var driver = try AutoTopUpFormTests.onAcme(as: "lee")
        driver.keys(.character("m"))
        #expect(driver.state.top == .workspace)
        #expect(driver.state.flash?.kind == .refusal, "\(String(describing: driver.state.flash))")
    }
}
