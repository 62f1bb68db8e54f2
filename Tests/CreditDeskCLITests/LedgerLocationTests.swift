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
        #expect(result.stderr.contains("No such file or directory (socket \(socketFolder)/.s.PGSQL.5432)"), "names the socket tried: \(result)")
        #expect(!result.stderr.contains("descriptor") && !result.stderr.contains("errno"), "no client internals: \(result)")
        #expect(!FileManager.default.fileExists(atPath: socketFolder))
    }

    @Test("a refused TCP port and an unknown host are said in words, naming what was tried: one line, exit 2")
    func refusedPortAndUnknownHostAreSaid() throws {
        let cli = try CLI()
        defer { cli.remove() }
        for (url, says) in [("postgresql://ann@127.0.0.1:1/credits", "Connection refused (127.0.0.1 port 1)"),
                            ("postgresql://ann@nohost.invalid/credits", "no such host (nohost.invalid port 5432)")] {
            let result = try cli.run(["workspace", "list"], as: People.support, environment: ["CREDITDESK_LEDGER": url])
            #expect(result.status == 2 && result.stderrLines.count == 1, "\(result)")
            // A read: nothing to write, so the line says nothing of writing.
            #expect(result.stderr.hasSuffix("cannot reach PostgreSQL at \(url): \(says)\n"), "\(result)")
        }
    }

    @Test("a file named as the ledger is said to be no folder, and init there is not suggested: one line, exit 2")
    func aFileNamedAsTheLedgerIsNoFolder() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let file = cli.scratch + "/notes.txt"
        try Data("notes\n".utf8).write(to: URL(fileURLWithPath: file))
        let result = try cli.run(["balance", "acme"], as: People.support, environment: ["CREDITDESK_LEDGER": file])
        #expect(result.status == 2 && result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains("cannot open \(file): Not a directory"), "\(result)")
        #expect(!result.stderr.contains("creditdesk init"), "\(result)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "notes\n")
    }
}

