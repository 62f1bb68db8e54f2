import Foundation
import Testing

/// On a file ledger `--as` is a claim (CONTRACT, "Where things are"): there is no authenticated
/// role behind it, so no entry records a `by`, and there are no database roles to grant.
@Suite struct ActingForFileLedgerTests {
    @Test("R18 on a file ledger: --as lee records lee as the actor and no `by`, in history JSON and the journal")
    func R18_fileLedgerRecordsNoBy() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 60)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)
        let charge = try #require(try cli.history("acme", ["--kind", "charge"]).first)
        #expect(charge.string("actor") == People.member)
        #expect(charge["by"] == nil, "\(charge)")
        let records = try cli.journalRecords()
        #expect(records.count > 4)
        #expect(records.allSatisfy { $0["by"] == nil }, "a file ledger wrote a `by`")
        let text = try cli.ok("history", "acme", as: People.support)
        #expect(!text.stdout.contains("(by "), "\(text)")
    }

    @Test("grant-access on a file ledger is refused with one line, exit 1, nothing changed")
    func grantAccessIsForPostgreSQL() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme()
        let before = try cli.journal()
        let refused = try cli.run("grant-access", People.owner, as: People.support)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderrLines.count == 1, "\(refused)")
        #expect(refused.stderr.contains("for PostgreSQL ledgers"), "\(refused)")
        #expect(try cli.journal() == before)
    }
}
