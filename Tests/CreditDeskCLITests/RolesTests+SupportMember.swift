import Foundation
import Testing

/// R18 through the real binary for the people who hold two roles, and the refusals of the reads
/// and the ledger-wide commands, word for word.
extension RolesTests {
    @Test("R18: a support agent who is also a member runs actions and still does support's part")
    func R18_aSupportAgentWhoIsAlsoAMemberMayRunActions() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 600)
        try cli.ok("workspace", "create", "beta", "--name", "Beta", "--owner", "bea", "--plan", "pro", as: People.support)
        try cli.ok("workspace", "add-member", "acme", People.support, as: People.owner)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "sup-1", as: People.support)
        try cli.ok("clone", "acme", "design", "d-1", as: People.support)
        try cli.ok("adjust", "acme", "+4", "--reason", "goodwill", as: People.support)
        #expect(try cli.balance().int("balance") == 600 - 6 - 100 + 4)
        let charges = try cli.history().filter { $0.string("kind") == "charge" }
        #expect(charges.map { $0.string("actor") } == [People.support, People.support])
        // Holding a member's role narrows nothing: support still lists every workspace.
        let listed = try cli.ok("workspace", "list", "--json", as: People.support).jsonArray().map { $0.string("workspace") }
        #expect(listed == ["acme", "beta"])
        // The member of acme who is not support may not charge beta.
        let refused = try cli.run("charge", "beta", "ai_graphic", "--job", "x", as: People.member)
        #expect(refused.status == 1)
        #expect(refused.stderrLines == ["creditdesk: not permitted: lee cannot run a charged action; that takes the workspace's member or the workspace's owner"])
    }

    /// The reads and ledger-wide commands the command line checks before opening a decision:
    /// each refusal is one line, exit 1, in the words of the R18 table.
    @Test("R18: refused reads and ledger-wide commands say who may", arguments: [
        (["balance", "acme"], People.stranger, "eve cannot see workspace acme; that takes the workspace's member or the workspace's owner or a support agent"),
        (["budget", "--workspace", "acme", "--action", "ai_graphic=1"], People.stranger, "eve cannot see workspace acme; that takes the workspace's member or the workspace's owner or a support agent"),
        (["export", "acme", "--format", "csv"], People.stranger, "eve cannot export workspace acme; that takes the workspace's member or the workspace's owner or a support agent"),
        (["export", "--format", "csv"], People.owner, "sam cannot export every workspace; that takes a support agent"),
        (["import", "/dev/null", "--format", "csv"], People.owner, "sam cannot import usage events; that takes a support agent"),
    ])
    func R18_refusedReadsSayWhoMay(arguments: [String], actor: String, message: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 10)
        let before = try cli.journal()
        let result = try cli.run(arguments, as: actor)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrLines == ["creditdesk: not permitted: \(message)"], "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(try cli.journal() == before)
    }
}
