import Testing
@testable import CreditKit

/// R18 as one table: every kind of request against every standing a person can have in the
/// workspace `acme` (owned by olga, with member mo). Written out here from docs/RULES.md,
/// independently of `ActionKind.permits`.
@Suite struct PermissionsTests {
    /// Where a person stands with the ledger and with `acme`.
    enum Standing: String, CaseIterable, CustomTestStringConvertible {
        case support, owner, member, supportAndOwner, supportAndMember, stranger, ownerOfAnother

        var person: Person {
            switch self {
            case .support: return Person(name: "maria", isSupport: true)
            case .owner: return Person(name: "olga", isSupport: false)
            case .member: return Person(name: "mo", isSupport: false)
            case .supportAndOwner: return Person(name: "olga", isSupport: true)
            case .supportAndMember: return Person(name: "mo", isSupport: true)
            case .stranger: return Person(name: "zed", isSupport: false)
            case .ownerOfAnother: return Person(name: "otto", isSupport: false)
            }
        }

        var testDescription: String { rawValue }
    }

    static let acme = WorkspacePeople(id: "acme", owner: "olga", members: ["mo", "ana"])

    /// Who may, per kind: the rows of the R18 table in docs/RULES.md.
    static let expected: [ActionKind: Set<Standing>] = {
        let supportOnly: Set<Standing> = [.support, .supportAndOwner, .supportAndMember]
        let ownerOrSupport: Set<Standing> = [.support, .owner, .supportAndOwner, .supportAndMember]
        let ownerOrMember: Set<Standing> = [.owner, .member, .supportAndOwner, .supportAndMember]
        let anyoneOfTheWorkspace: Set<Standing> = [.support, .owner, .member, .supportAndOwner, .supportAndMember]
        return [
            .addOperator: supportOnly, .createWorkspace: supportOnly, .invoicePaid: supportOnly, .adjust: supportOnly,
            .grant: supportOnly, .importEvents: supportOnly, .exportAll: supportOnly, .resetClock: supportOnly, .reverse: supportOnly, .void: supportOnly,
            .declineTopUp: supportOnly, .autoTopUp: ownerOrSupport,
            .addMember: ownerOrSupport, .topUp: ownerOrSupport, .changePlan: ownerOrSupport, .trial: ownerOrSupport,
            .cancel: ownerOrSupport, .memberLimit: ownerOrSupport,
            .removeMember: ownerOrSupport, .removeOperator: supportOnly,
            .charge: ownerOrMember, .clone: ownerOrMember, .copilot: ownerOrMember,
            .jobFailed: anyoneOfTheWorkspace, .seeWorkspace: anyoneOfTheWorkspace, .exportWorkspace: anyoneOfTheWorkspace,
        ]
    }()

    @Test func R18_theTableCoversEveryKind() {
        #expect(Set(Self.expected.keys) == Set(ActionKind.allCases))
    }

    @Test(arguments: ActionKind.allCases, Standing.allCases)
    func R18_whoMayDoWhat(kind: ActionKind, standing: Standing) throws {
        let allowed = try #require(Self.expected[kind]).contains(standing)
        let person = standing.person
        #expect(Permissions.allows(kind, by: person, in: Self.acme) == allowed)
        let refusal = Permissions.refusal(kind, by: person, in: Self.acme)
        if allowed {
            #expect(refusal == nil)
            #expect(throws: Never.self) { try Permissions.check(kind, by: person, in: Self.acme) }
        } else {
            let roles = kind.allowedRoles.sorted { $0.rawValue < $1.rawValue }
            #expect(refusal == .notPermitted(actor: person.name, verb: kind.verb(workspace: "acme"), allowed: roles))
            #expect(refusal?.message.hasPrefix("not permitted: \(person.name) cannot ") == true)
            #expect(throws: refusal!) { try Permissions.check(kind, by: person, in: Self.acme) }
        }
    }

    /// A ledger-wide request asked without a workspace: only the support role counts.
    @Test(arguments: Standing.allCases)
    func R18_withoutAWorkspaceOnlySupportCounts(standing: Standing) {
        let isSupport = standing.person.isSupport
        for kind in [ActionKind.addOperator, .createWorkspace, .importEvents, .exportAll, .resetClock] {
            #expect(Permissions.allows(kind, by: standing.person, in: nil) == isSupport, "\(kind)")
        }
        #expect(!Permissions.allows(.charge, by: standing.person, in: nil))
    }

    @Test func R18_aSupportAgentWhoIsAlsoAMemberHoldsBothRoles() {
        #expect(Permissions.roles(of: Standing.supportAndMember.person, in: Self.acme) == [.support, .member])
        #expect(Permissions.roles(of: Standing.supportAndOwner.person, in: Self.acme) == [.support, .owner])
        #expect(Permissions.roles(of: Standing.ownerOfAnother.person, in: Self.acme).isEmpty)
    }

    /// Every command maps to the kind whose refusal names it, so the engine and the console read
    /// the same row of the table.
    @Test func R18_everyCommandHasItsKind() {
        let commands: [(Command, ActionKind)] = PeopleRulesTests.permissions.map { ($0.1, $0.1.actionKind) }
        #expect(Set(commands.map(\.1)) == [.addOperator, .createWorkspace, .addMember, .charge, .jobFailed, .clone, .topUp,
                                           .invoicePaid, .changePlan, .trial, .cancel, .copilot, .adjust, .grant])
        #expect(Command.startTrial(workspace: "acme").actionKind == .trial)
        #expect(Command.endTrial(workspace: "acme").actionKind == .trial)
        #expect(Command.charge(workspace: "acme", action: "ai_graphic", job: "j").verb == "run a charged action")
    }

    /// The engine's own path agrees with the table for a support agent who is also a member:
    /// the plain-charge fast path answers (it does not fall back for want of a role), and
    /// answers what the general path does.
    @Test func R18_aSupportAgentWhoIsAlsoAMemberIsChargedByTheFastPath() {
        var h = Harness.acme()
        h.append(.addMember(workspace: "acme", member: People.support), as: People.owner)
        h.fund("acme", 10)
        let command = Command.charge(workspace: "acme", action: "ai_graphic", job: "sup-1")
        let context = CommandContext(actor: People.support, time: h.clock)
        var state = h.state
        let fast = Engine.decideCharge(command, in: &state, context: context)
        #expect(fast != nil)
        #expect(fast == Engine.decideGeneral(command, in: h.state, context: context))
        guard case .success(.append(let entries))? = fast else { Issue.record("no charge: \(String(describing: fast))"); return }
        #expect(entries.first?.actor == People.support)
        #expect(entries.first?.credits == -6)
    }
}
