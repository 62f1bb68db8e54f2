import Foundation
import Testing

/// `migrate --to` the ledger it copies from, however the path is spelled (a trailing slash,
/// `./`, `..`, a symbolic link), is a usage error (exit 64), and nothing changes.
@Suite struct MigrateSameLedgerTests {
    @Test("migrate --to the source with a trailing slash, ./, .. or a link exits 64 like the plain path")
    func migrateOntoItselfIsAUsageErrorHoweverSpelled() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let before = try cli.journal()
        let name = URL(fileURLWithPath: cli.ledger).lastPathComponent
        let link = cli.scratch + "/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: cli.ledger)
        for spelled in [cli.ledger, cli.ledger + "/", cli.ledger + "//", cli.ledger + "/.", cli.ledger + "/../" + name, link, link + "/"] {
            let result = try cli.run("migrate", "--to", spelled, as: People.support)
            #expect(result.status == 64 && result.stderrLines.count == 1 && result.stderr.contains("names the ledger it copies from"),
                    "\(spelled): \(result)")
        }
        #expect(try cli.journal() == before)
    }
}
