import Foundation
import Testing

/// A PostgreSQL ledger for the tests of who sees and writes what: acme and beta (60 credits
/// each, owner sam) made by the server's role, `member` a new LOGIN role added to acme (and to
/// beta with `memberInBoth`), `agent` a new LOGIN role added as a support agent.
struct PostgresTwoWorkspaces {
    let cli: CLI
    let url: String
    let member: String
    let agent: String
    let drop: () -> Void

    /// `prefix` names the roles (`<prefix>_member_N`, `<prefix>_agent_N`), so suites running at
    /// once on one server never share one.
    init(prefix: String, memberInBoth: Bool = false) throws {
        let (cli, drop) = try PostgresForCLI.cli()
        self.cli = cli
        url = try #require(cli.environment["CREDITDESK_LEDGER"])
        member = "\(prefix)_member_\(UInt32.random(in: 0..<UInt32.max))"
        agent = "\(prefix)_agent_\(UInt32.random(in: 0..<UInt32.max))"
        let server = try #require(PostgresForCLI.serverURL)
        let roles = [member, agent]
        self.drop = {
            drop()
            for role in roles { _ = try? PostgresForCLI.psql(server, "DROP ROLE IF EXISTS \(role)") }
        }
        try cli.ok("init", "--catalog", "konfiwear")
        for ws in ["acme", "beta"] {
            try cli.ok("workspace", "create", ws, "--name", "Tees \(ws)", "--owner", People.owner, "--plan", "pro")
            try cli.ok("adjust", ws, "+60", "--reason", "seed")
        }
        let created = try PostgresForCLI.psql(url, "CREATE ROLE \(member) LOGIN; CREATE ROLE \(agent) LOGIN")
        try #require(created.status == 0, "\(created)")
        try cli.ok("workspace", "add-member", "acme", member)
        if memberInBoth { try cli.ok("workspace", "add-member", "beta", member) }
        try cli.ok("operator", "add", agent, "--role", "support")
    }

    /// The ledger's URL connecting as `role`.
    func url(as role: String) -> String {
        url.replacingOccurrences(of: "://\(PostgresForCLI.role)@", with: "://\(role)@")
    }

    /// `sql` run by `role` with psql.
    func psql(_ sql: String, as role: String) throws -> CLIResult { try PostgresForCLI.psql(url(as: role), sql) }

    /// The distinct workspaces of `table` that `role` sees with psql (`-` for rows of none), sorted.
    func workspaces(in table: String, as role: String) throws -> [String] {
        let read = try psql("SELECT DISTINCT coalesce(workspace, '-') FROM creditdesk.\(table) ORDER BY 1", as: role)
        try #require(read.status == 0, "\(read)")
        return read.stdout.split(separator: "\n").map(String.init)
    }

    /// The distinct workspaces of the entries `role` sees with psql, sorted; nil when psql is refused.
    func workspaces(as role: String) throws -> [String]? {
        let read = try psql("SELECT DISTINCT workspace FROM creditdesk.entries ORDER BY 1", as: role)
        return read.status == 0 ? read.stdout.split(separator: "\n").map(String.init) : nil
    }

    /// Whether `role` is a member of the ledger's desk role.
    func hasDesk(_ role: String) throws -> Bool {
        let read = try PostgresForCLI.psql(url, "SELECT pg_has_role('\(role)', (SELECT role FROM creditdesk.desk_role), 'MEMBER')")
        try #require(read.status == 0, "\(read)")
        return read.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "t"
    }
}
