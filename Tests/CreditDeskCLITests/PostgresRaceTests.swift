import Foundation
import Testing

/// The real binary on a PostgreSQL ledger (CREDITDESK_TEST_POSTGRES_URL): each test gets a
/// database of its own, dropped afterwards. Unset, these are skipped and say so; set but
/// unreachable, they fail.
enum PostgresForCLI {
    static var serverURL: String? {
        ProcessInfo.processInfo.environment["CREDITDESK_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
    static var isConfigured: Bool { serverURL != nil }
    static let skipNote: Comment = "CREDITDESK_TEST_POSTGRES_URL is unset: PostgreSQL tests skipped (scripts/postgres-cluster start prints one)"

    /// The role the tests connect as: the URL's user (the server's own superuser).
    static var role: String {
        guard let url = serverURL, let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else {
            return ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        }
        return String(url[scheme.upperBound..<at])
    }

    /// `server` with its database replaced by `database`.
    static func url(_ server: String, database: String) -> String {
        guard let scheme = server.range(of: "://") else { return server }
        let rest = server[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return server }
        let query = rest.firstIndex(of: "?").map { String(rest[$0...]) } ?? ""
        return String(server[..<slash]) + "/" + database + query
    }

    /// Runs SQL on the server's maintenance database with psql.
    static func psql(_ url: String, _ sql: String) throws -> CLIResult {
        let cli = try CLI()
        defer { cli.remove() }
        let psql = CLI.which("psql") ?? "/usr/bin/psql"
        return try cli.runTool(psql, ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
    }

    /// The fixtures' people, as roles on the server.
    static let fixtureRoles = [People.support, People.support2, People.owner, People.member, People.stranger]

    /// SQL creating each of `roles` (NOLOGIN) unless the server has it: `workspace add-member`
    /// and `operator add` on PostgreSQL take only roles that exist. Roles are the cluster's, so
    /// tests racing to create the same one are fine.
    static func ensureRoles(_ roles: [String]) -> String {
        roles.map { role in
            "DO $$BEGIN CREATE ROLE \"\(role)\"; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END$$;"
        }.joined(separator: "\n")
    }

    /// A CLI whose ledger is a new, empty database; `drop()` removes it.
    static func cli() throws -> (CLI, drop: () -> Void) {
        let server = try #require(serverURL)
        let name = "creditdesk_cli_\(UInt64.random(in: 0..<UInt64.max) % 1_000_000_000_000)"
        let created = try psql(server, "CREATE DATABASE \(name)")
        try #require(created.status == 0, "the PostgreSQL server at \(server) did not answer: \(created)")
        let roles = try psql(server, ensureRoles(fixtureRoles))
        try #require(roles.status == 0, "\(roles)")
        let cli = try CLI()
        cli.environment["CREDITDESK_LEDGER"] = url(server, database: name)
        return (cli, {
            cli.remove()
            _ = try? psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        })
    }
}

@Suite("Concurrent writers on PostgreSQL", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresRaceTests {
    @Test("R8 on PostgreSQL: 16 processes race for 63 credits: exactly 10 charges of 6, nothing below zero")
    func R8_racingChargesNeverOverspendOnPostgres() throws {
        let (cli, drop) = try PostgresForCLI.cli()
        defer { drop() }
        try cli.makeAcmeOnPostgres(credits: 10 * 6 + 3)
        let jobs = (1...16).map { "job-\($0)" }
        let running = try jobs.map { try cli.start(["charge", "acme", "ai_graphic", "--job", $0], as: People.member) }
        let results = running.map { $0.wait() }

        #expect(results.filter { $0.status == 0 }.count == 10, "\(results.map(\.description))")
        for result in results where result.status != 0 {
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("short by"), "\(result)")
        }
        #expect(try cli.balance().int("balance") == 3)
        let charges = try cli.history("acme", ["--kind", "charge"])
        let succeededJobs = Set(zip(jobs, results).filter { $0.1.status == 0 }.map(\.0))
        #expect(Set(charges.compactMap { $0.string("job") }) == succeededJobs)
        #expect(try cli.history().allSatisfy { ($0.int("balance") ?? -1) >= 0 })
        let verify = try cli.run("verify")
        #expect(verify.status == 0, "\(verify)")
        // The readable tables agree with the journal.
        let url = try #require(cli.environment["CREDITDESK_LEDGER"])
        let balance = try PostgresForCLI.psql(url, "SELECT balance FROM creditdesk.balances WHERE workspace = 'acme'")
        #expect(balance.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "3", "\(balance)")
        let charged = try PostgresForCLI.psql(url, "SELECT count(*) FROM creditdesk.entries WHERE workspace = 'acme' AND kind = 'charge'")
        #expect(charged.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "10", "\(charged)")
    }

    @Test("R6 on PostgreSQL: 8 processes send the same job at once: charged exactly once, all exit 0")
    func R6_sameJobAtOnceIsChargedOnceOnPostgres() throws {
        let (cli, drop) = try PostgresForCLI.cli()
        defer { drop() }
        try cli.makeAcmeOnPostgres(credits: 63)
        let running = try (1...8).map { _ in try cli.start(["charge", "acme", "ai_graphic", "--job", "same-job"], as: People.member) }
        let results = running.map { $0.wait() }
        for result in results { #expect(result.status == 0, "\(result)") }
        #expect(results.filter { $0.output.lowercased().contains("already") }.count == 7, "\(results.map(\.output))")
        let charges = try cli.history("acme", ["--kind", "charge"])
        #expect(charges.count == 1)
        #expect(try cli.balance().int("balance") == 57)
        #expect(try cli.run("verify").status == 0)
    }
}

extension CLI {
    /// `makeAcme` on a PostgreSQL ledger: the connecting role makes the ledger (becoming its
    /// first support agent) and adds maria as support; everyone else acts through `--as`, which
    /// that support role may use.
    func makeAcmeOnPostgres(credits: Int64? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try ok("init", "--catalog", "konfiwear", sourceLocation: sourceLocation)
        try ok("operator", "add", People.support, "--role", "support", sourceLocation: sourceLocation)
        try ok("workspace", "create", "acme", "--name", "Acme Tees", "--owner", People.owner, "--plan", "pro",
               as: People.support, sourceLocation: sourceLocation)
        try ok("workspace", "add-member", "acme", People.member, as: People.owner, sourceLocation: sourceLocation)
        if let credits, credits > 0 {
            try ok("adjust", "acme", "+\(credits)", "--reason", "test seed", as: People.support, sourceLocation: sourceLocation)
        }
    }
}
