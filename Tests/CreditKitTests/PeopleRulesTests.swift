import Testing
@testable import CreditKit

/// R17–R19: one pool per workspace, who may do what, and support adjustments.
@Suite struct PeopleRulesTests {
    @Test func R17_everyMemberBillsTheOnePool() {
        var h = Harness.acme()
        h.append(.addMember(workspace: "acme", member: "ana"), as: People.owner)
        h.fund("acme", 100)
        let runs: [(String, String)] = [(People.owner, "ai_graphic"), (People.member, "print_file"), ("ana", "ai_vectorize")]
        for (index, (actor, action)) in runs.enumerated() {
            h.append(.charge(workspace: "acme", action: action, job: "j-\(index)"), as: actor)
        }
        #expect(h.balance() == 100 - 6 - 4 - 4)
        #expect(h.entries(kind: .charge).map(\.actor) == [People.owner, People.member, "ana"])
        #expect(h.entries(kind: .charge).map(\.job) == ["j-0", "j-1", "j-2"])
    }

    @Test func R17_membersOfOneWorkspaceCannotBillAnother() {
        var h = Harness.acme()
        h.append(.createWorkspace(id: "beta", name: "Beta", owner: "bea", plan: "pro", trial: false), as: People.support)
        h.fund("beta", 100)
        guard case .notPermitted? = h.reject(.charge(workspace: "beta", action: "ai_graphic", job: "x"), as: People.member) else {
            Issue.record("a member of acme must not bill beta")
            return
        }
        #expect(h.state.visibleWorkspaces(to: People.member).map(\.id) == ["acme"])
        #expect(h.state.visibleWorkspaces(to: "bea").map(\.id) == ["beta"])
        #expect(h.state.visibleWorkspaces(to: People.support).map(\.id) == ["acme", "beta"])
        #expect(h.state.visibleWorkspaces(to: People.stranger).isEmpty)
    }

    @Test func R17_addingAMemberTwiceIsRefused() {
        var h = Harness.acme()
        #expect(h.reject(.addMember(workspace: "acme", member: People.member), as: People.owner)
            == .alreadyMember(workspace: "acme", person: People.member))
        #expect(h.reject(.addMember(workspace: "acme", member: People.owner), as: People.owner)
            == .alreadyMember(workspace: "acme", person: People.owner))
    }

    /// Who may issue each command, written out independently of `ActionKind.permits`.
    static let permissions: [(String, Command, Set<String>)] = [
        ("addOperator", .addOperator(name: "sam", role: .support), [People.support]),
        ("createWorkspace", .createWorkspace(id: "beta", name: "Beta", owner: "bea", plan: "pro", trial: false), [People.support]),
        ("addMember", .addMember(workspace: "acme", member: "nina"), [People.owner, People.support]),
        ("charge", .charge(workspace: "acme", action: "ai_graphic", job: "new-job"), [People.owner, People.member]),
        ("jobFailed", .jobFailed(workspace: "acme", job: "j-0"), [People.owner, People.member, People.support]),
        ("clone", .clone(workspace: "acme", itemKind: "design", item: "d-1"), [People.owner, People.member]),
        ("topUp", .topUp(workspace: "acme", pack: "topup_50"), [People.owner, People.support]),
        ("invoicePaid", .invoicePaid(workspace: "acme", invoice: "inv-9"), [People.support]),
        ("changePlan", .changePlan(workspace: "acme", plan: "enterprise"), [People.owner, People.support]),
        ("startTrial", .startTrial(workspace: "acme"), [People.owner, People.support]),
        ("endTrial", .endTrial(workspace: "acme"), [People.owner, People.support]),
        ("cancel", .cancel(workspace: "acme"), [People.owner, People.support]),
        ("copilot", .copilot(workspace: "acme", messages: 1), [People.owner, People.member]),
        ("adjust", .adjust(workspace: "acme", amount: 10, reason: "goodwill"), [People.support]),
        ("grant", .grant(workspace: "acme", amount: 10, source: .promo, reason: "launch", expires: nil), [People.support]),
    ]

    /// A support agent who is also a member of acme: holding both roles, she may issue every
    /// command above.
    static let supportMember = "sue"

    /// A fixture where every command above can succeed for an allowed actor.
    static func fixture() -> Harness {
        var h = Harness.acme()
        h.append(.addOperator(name: supportMember, role: .support), as: People.support)
        h.append(.addMember(workspace: "acme", member: supportMember), as: People.owner)
        h.append(.createWorkspace(id: "other", name: "Other", owner: "otto", plan: "pro", trial: false), as: People.support)
        h.fund("acme", 1_000)
        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "j-0"), as: People.member)
        return h
    }

    @Test(arguments: permissions.map(\.0))
    func R18_rolesRefuseEveryoneElseAndWriteNothing(name: String) throws {
        let (_, command, allowed) = try #require(Self.permissions.first { $0.0 == name })
        // `otto` owns another workspace: he is nobody here.
        for actor in [People.support, People.owner, People.member, People.stranger, "otto", Self.supportMember] {
            var h = Self.fixture()
            if allowed.contains(actor) || actor == Self.supportMember {
                let result = h.run(command, as: actor)
                guard case .success = result else {
                    Issue.record("\(actor) may \(name), got \(result)")
                    continue
                }
            } else {
                let rejection = h.reject(command, as: actor)
                guard case let .notPermitted(who, verb, roles)? = rejection else {
                    Issue.record("\(actor) must not \(name), got \(String(describing: rejection))")
                    continue
                }
                #expect(who == actor)
                #expect(verb == command.verb)
                #expect(!roles.isEmpty)
                #expect(rejection?.message.contains("not permitted") == true)
            }
        }
    }

    @Test func R18_aSupportAgentWhoIsAlsoAMemberMayRunActions() {
        var h = Harness.acme()
        h.append(.addMember(workspace: "acme", member: People.support), as: People.owner)
        h.fund("acme", 10)
        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "s"), as: People.support)
        #expect(h.balance() == 4)
        h.append(.copilot(workspace: "acme", messages: 1), as: People.support)
        h.fund("acme", 100)
        h.append(.clone(workspace: "acme", itemKind: "design", item: "d-1"), as: People.support)
        #expect(h.entries(kind: .charge).map(\.actor) == [People.support, People.support])
    }

    @Test func R18_addedOperatorsBecomeSupportAgents() {
        var h = Harness.acme()
        h.append(.addOperator(name: "sam", role: .support), as: People.support)
        #expect(h.state.operators["sam"] == .support)
        h.append(.adjust(workspace: "acme", amount: 5, reason: "sam can adjust"), as: "sam")
        #expect(h.reject(.addOperator(name: "sam", role: .support), as: People.support) == .alreadyOperator("sam"))
    }

    @Test func R19_adjustmentRecordsWhoWhyAndWhen() throws {
        var h = Harness.acme()
        h.advance(seconds: 3_600)
        let add = try #require(h.append(.adjust(workspace: "acme", amount: 120, reason: "goodwill after outage #12"), as: People.support).first)
        #expect(add.kind == .adjustment)
        #expect(add.actor == People.support)
        #expect(add.reason == "goodwill after outage #12")
        #expect(add.time == h.clock)
        #expect(add.credits == 120)
        #expect(add.balance == 120)
        h.advance(seconds: 60)
        let remove = try #require(h.append(.adjust(workspace: "acme", amount: -20, reason: "double grant"), as: People.support).first)
        #expect(remove.credits == -20)
        #expect(remove.balance == 100)
        #expect(remove.time == h.clock)
        #expect(h.ws().earned == 120)
        #expect(h.ws().spent == 20)
    }

    @Test(arguments: ["", "   ", "two\nlines", "tab\there", String(repeating: "x", count: FreeText.reasonLengthMax + 1)])
    func R19_reasonIsRequired(reason: String) {
        var h = Harness.acme()
        #expect(h.reject(.adjust(workspace: "acme", amount: 10, reason: reason), as: People.support)
            == .invalidText(field: "reason", steering: FreeText.firstSteering(reason)))
    }

    @Test("R19: a reason refused for a character that steers the display names it and where it is",
          arguments: [("two\nlines", "U+000A LINE FEED at position 4"), ("ab\u{202E}c", "U+202E RIGHT-TO-LEFT OVERRIDE at position 3"),
                      ("\u{1B}[2J", "U+001B ESCAPE at position 1"), ("x\u{2066}", "U+2066 LEFT-TO-RIGHT ISOLATE at position 2")])
    func R19_refusalNamesTheSteeringCharacter(reason: String, named: String) {
        var h = Harness.acme()
        let refusal = h.reject(.adjust(workspace: "acme", amount: 10, reason: reason), as: People.support)
        #expect(refusal?.message.contains(named) == true, "\(String(describing: refusal?.message))")
        #expect(FreeText.firstSteering("plain reason") == nil)
    }

    @Test(arguments: [Credits(0), Engine.adjustmentMax + 1, -(Engine.adjustmentMax + 1), .min])
    func R19_amountMustBeNonZeroAndBounded(amount: Credits) {
        var h = Harness.acme()
        guard case .invalidAmount? = h.reject(.adjust(workspace: "acme", amount: amount, reason: "r"), as: People.support) else {
            Issue.record("expected invalidAmount for \(amount)")
            return
        }
    }

    @Test func R19_removingMoreThanTheBalanceIsRefused() {
        var h = Harness.acme()
        h.fund("acme", 30)
        guard case .insufficientCredits(_, 31, 30, 1, _)? = h.reject(.adjust(workspace: "acme", amount: -31, reason: "too much"), as: People.support) else {
            Issue.record("expected insufficientCredits")
            return
        }
        h.append(.adjust(workspace: "acme", amount: -30, reason: "all of it"), as: People.support)
        #expect(h.balance() == 0)
    }
}
