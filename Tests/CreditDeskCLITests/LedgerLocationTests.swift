import Foundation
import Testing

/// CONTRACT.md "Where things are": `--ledger DIR|URL`. A PostgreSQL URL names a backend this
/// build does not have yet: a wrong command line (64) in one line, never a directory made or read.
@Suite("Ledger location")
struct LedgerLocationTests {
    @Test("a postgresql:// ledger is refused with one line and exit 64, and nothing is created",
          arguments: [["init"], ["balance", "acme"], ["verify"], ["workspace", "list"]])
    func postgresURLIsRefusedUntilThatBackendExists(_ arguments: [String]) throws {
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

    @Test("CREDITDESK_LEDGER holding a postgresql:// URL is refused the same way")
    func postgresURLFromTheEnvironmentIsRefused() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let result = try cli.run(["workspace", "list"], as: People.support,
                                 environment: ["CREDITDESK_LEDGER": "postgresql:///credits?host=/run/postgresql"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
    }
}
