import Foundation
import Testing

/// R37, R39 on PostgreSQL: an auto top-up request id is written once and answered once, and the
/// database holds both keys (`topup_request`, `topup_answer`) as it holds a job's, so a second
/// request or answer with the same id is refused by the database too.
@Suite("PostgreSQL idempotency keys", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresIdempotencyKeyTests {
    @Test("R37, R39 on PostgreSQL: a top-up request and its decline each leave their key in creditdesk.idempotency_keys")
    func R37_R39_requestAndAnswerKeysAreTheDatabases() throws {
        let (cli, drop) = try PostgresForCLI.cli()
        defer { drop() }
        let url = try #require(cli.environment["CREDITDESK_LEDGER"])
        try cli.ok("init", "--catalog", "konfiwear")
        try cli.ok("workspace", "create", "acme", "--name", "Acme Tees", "--owner", "acme-owner", "--plan", "pro")
        try cli.ok("adjust", "acme", "26", "--reason", "opening credits")
        try cli.ok("auto-topup", "set", "acme", "--below", "20", "--pack", "topup_50", "--monthly-cap", "100", "--as", "acme-owner")
        let crossing = try cli.run("charge", "acme", "ai_graphic", "--job", "j-1", "--json", "--as", "acme-owner")
        #expect(crossing.status == 0, "\(crossing)")
        let entries = try #require(try crossing.jsonObject()["entries"] as? [[String: Any]])
        let request = try #require(entries.first { $0.string("alert") == "topup_request" }?.string("request"))
        try cli.ok("topup-declined", "acme", "--request", request, "--reason", "card declined")

        let keys = try PostgresForCLI.psql(url, """
            SELECT kind || ':' || key FROM creditdesk.idempotency_keys WHERE kind IN ('topup_request', 'topup_answer') ORDER BY kind
            """)
        #expect(keys.stdoutLines == ["topup_answer:\(request)", "topup_request:\(request)"], "\(keys)")
        let second = try PostgresForCLI.psql(url, """
            INSERT INTO creditdesk.idempotency_keys (workspace, kind, key, seq)
            SELECT 'acme', 'topup_request', '\(request)', max(seq) FROM creditdesk.journal
            """)
        #expect(second.status != 0 && second.stderr.contains("duplicate key"), "\(second)")
    }
}
