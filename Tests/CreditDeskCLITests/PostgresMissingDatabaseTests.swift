import Foundation
import Testing

/// A PostgreSQL URL naming a database the server does not have: one line that says the database
/// is missing and who makes it, exit 2, for `init` and every other command alike.
@Suite("A missing PostgreSQL database", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresMissingDatabaseTests {
    @Test("A database that does not exist: one line naming it, CREATE DATABASE first, then init; exit 2", arguments: [
        ["init", "--catalog", "konfiwear"], ["balance", "acme"], ["charge", "acme", "ai_graphic", "--job", "j-1"], ["verify"],
    ])
    func missingDatabaseSaysCreateItFirst(arguments: [String]) throws {
        let server = try #require(PostgresForCLI.serverURL)
        let name = "creditdesk_nodb_\(UInt64.random(in: 0..<UInt64.max) % 1_000_000_000_000)"
        let cli = try CLI()
        defer { cli.remove() }
        cli.environment["CREDITDESK_LEDGER"] = PostgresForCLI.url(server, database: name)
        let result = try cli.run(arguments)
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty && result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.hasPrefix("creditdesk: database \"\(name)\" does not exist: a database administrator creates it first (`createdb \(name)` or CREATE DATABASE), then `creditdesk init"), "\(result)")
        #expect(!result.stderr.contains("no ledger in"), "\(result)")
    }
}
