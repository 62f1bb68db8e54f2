import Foundation
import Testing

/// CONTRACT.md "Where things are": `--ledger DIR|URL`. A PostgreSQL URL holding a password is a
/// wrong command line (64) in one line, never echoed, never a directory made or read; a server
/// that cannot be reached is exit 2 in one line.
@Suite("Ledger location")
struct LedgerLocationTests {
    @Test("a postgresql:// ledger is refused with one line and exit 64, and nothing is created",
          arguments: [["init"], ["balance", "acme"], ["verify"], ["workspace", "list"]])
    func postgresURLWithAPasswordIsRefused(_ arguments: [String]) throws {
        let cli = try CLI()
        defer { cli.remove() }
        let url = "postgresql://maria:secret@db.example/credits"
        let result = try cli.run(arguments + ["--ledger", url], as: People.support)
        #expect(result.status == 64, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains("PostgreSQL"), "\(result)")
        #expect(!result.stderr.contains("secret"), "the password is never echoed: \(result)")
    }

    @Test("CREDITDESK_LEDGER naming a PostgreSQL server nobody runs: one line, exit 2, nothing created")
    func unreachablePostgresServerIsExit2() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let socketFolder = cli.scratch + "/no-server-here"
        let result = try cli.run(["workspace", "list"], as: People.support,
                                 environment: ["CREDITDESK_LEDGER": "postgresql:///credits?host=\(socketFolder)"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains("cannot reach PostgreSQL"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: socketFolder))
    }
}
