import Foundation
import Testing

/// `import` on PostgreSQL opens with no workspace loaded and loads, batch by batch, the workspaces
/// the events name: a stream of usage for a few workspaces never reads the whole journal.
@Suite("PostgreSQL import", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresImportTests {
    /// The probe: another workspace's record is damaged (as a superuser with the triggers off
    /// could), so a desk that read the whole journal would stop at it, exit 2; `verify` still does.
    @Test("R4–R6 on PostgreSQL: import reads only the workspaces its events name, one durable commit per batch")
    func importLoadsOnlyTheWorkspacesItsEventsName() throws {
        let (cli, drop) = try PostgresForCLI.cli()
        defer { drop() }
        let url = try #require(cli.environment["CREDITDESK_LEDGER"])
        try cli.ok("init", "--catalog", "konfiwear")
        for (id, name) in [("acme", "Acme Tees"), ("globex", "Globex Prints")] {
            try cli.ok("workspace", "create", id, "--name", name, "--owner", "\(id)-owner", "--plan", "pro")
            try cli.ok("adjust", id, "100", "--reason", "opening credits")
        }
        let damaged = try PostgresForCLI.psql(url, """
            SET session_replication_role = replica;
            UPDATE creditdesk.journal SET line = replace(line, 'Globex Prints', 'Globex Printz')
            WHERE seq = (SELECT min(seq) FROM creditdesk.journal WHERE workspace = 'globex')
            """)
        try #require(damaged.status == 0, "\(damaged)")

        let events = cli.scratch + "/usage.jsonl"
        let lines = (1...3).map { #"{"workspace":"acme","action":"print_file","job":"stream-\#($0)","outcome":"succeeded"}"# }
        try (lines.joined(separator: "\n") + "\n").write(toFile: events, atomically: true, encoding: .utf8)
        let imported = try cli.run("import", events, "--batch", "1", "--json")
        #expect(imported.status == 0, "\(imported)")
        #expect(try imported.jsonObject().int("charged") == 3, "\(imported)")
        #expect(try imported.jsonObject().int("batches") == 3, "\(imported)")
        let balance = try cli.ok("balance", "acme", "--json")
        #expect(try balance.jsonObject().int("balance") == 100 - 3 * 4, "\(balance)")

        let again = try cli.run("import", events, "--json")
        #expect(again.status == 0, "\(again)")
        #expect(try again.jsonObject().int("charged") == 0, "\(again)")
        #expect(try cli.run("verify").status == 2, "verify still reads every record and finds the damage")
    }
}
