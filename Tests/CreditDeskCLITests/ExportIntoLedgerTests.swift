import Foundation
import Testing

/// A file someone names for writing (`export --out`, `migrate --to`) is never inside the ledger's
/// own folder nor one of its files, however it is spelled: `..`, a symbolic link, a hard link.
/// Each is refused with one line (exit 64), and the ledger is as it was.
@Suite struct ExportIntoLedgerTests {
    /// A ledger with workspace acme (owner sam) and one adjustment.
    private func seeded() throws -> CLI {
        let cli = try CLI()
        try cli.ok("init", as: "sup")
        try cli.ok("workspace", "create", "acme", "--name", "Acme", "--owner", "sam", "--plan", "pro", as: "sup")
        try cli.ok("adjust", "acme", "+50", "--reason", "seed", as: "sup")
        return cli
    }

    /// The ledger's files, byte for byte, to compare before and after.
    private func snapshot(_ cli: CLI) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in ["journal.jsonl", "catalog.json"] {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: cli.ledger + "/" + name))
        }
        return files
    }

    /// The names of the ledger's own files as a user might spell them: each one must be refused.
    private func spellings(_ cli: CLI) throws -> [String] {
        let base = URL(fileURLWithPath: cli.ledger).lastPathComponent
        let link = cli.scratch + "/journal-link.csv"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: cli.journalPath)
        let hard = cli.scratch + "/journal-hard.csv"
        try FileManager.default.linkItem(atPath: cli.journalPath, toPath: hard)
        let folderLink = cli.scratch + "/ledger-link"
        try FileManager.default.createSymbolicLink(atPath: folderLink, withDestinationPath: cli.ledger)
        return [
            cli.journalPath, cli.ledger + "/catalog.json", cli.ledger + "/../" + base + "/journal.jsonl",
            cli.ledger + "/./journal.jsonl", link, hard, folderLink + "/journal.jsonl", folderLink + "/new.csv",
            cli.ledger + "/export.csv", cli.ledger + "/outbox/new/export.csv", cli.ledger + "/lock",
        ]
    }

    @Test("export --out into the ledger's folder or onto one of its files, however spelled: 64, one line, the ledger unchanged")
    func exportOutIntoTheLedgerIsRefused() throws {
        let cli = try seeded()
        defer { cli.remove() }
        let before = try snapshot(cli)
        for path in try spellings(cli) {
            for (actor, workspace) in [("sup", [String]()), ("sam", ["acme"])] {
                let result = try cli.run(["export"] + workspace + ["--format", "csv", "--out", path], as: actor)
                #expect(result.status == 64, "\(path): \(result)")
                #expect(result.stderrLines.count == 1 && result.stderr.contains("inside the ledger"), "\(path): \(result)")
                #expect(result.stdout.isEmpty, "\(result)")
            }
        }
        #expect(try snapshot(cli) == before, "the ledger's files changed")
        #expect(!FileManager.default.fileExists(atPath: cli.ledger + "/export.csv"))
        #expect(cli.files(in: cli.ledger + "/outbox/new").isEmpty)
        try cli.ok("verify")
        // Beside the ledger, not in it: written as before.
        let beside = cli.scratch + "/acme.csv"
        try cli.ok("export", "acme", "--format", "csv", "--out", beside, as: "sam")
        #expect(try String(contentsOfFile: beside, encoding: .utf8).contains("seed"))
    }

    @Test("migrate --to a folder inside the ledger it copies from (its outbox, a new subfolder, through a link): 64, says so")
    func migrateIntoTheLedgerIsRefused() throws {
        let cli = try seeded()
        defer { cli.remove() }
        let before = try snapshot(cli)
        let folderLink = cli.scratch + "/ledger-link"
        try FileManager.default.createSymbolicLink(atPath: folderLink, withDestinationPath: cli.ledger)
        for target in [cli.ledger + "/outbox", cli.ledger + "/outbox/new", cli.ledger + "/copy", folderLink + "/copy"] {
            let result = try cli.run("migrate", "--to", target, as: "sup")
            #expect(result.status == 64, "\(target): \(result)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains("is inside the ledger it copies from"), "\(target): \(result)")
            #expect(!result.stderr.contains("already exists"), "\(result)")
        }
        #expect(try snapshot(cli) == before)
        #expect(!FileManager.default.fileExists(atPath: cli.ledger + "/copy"))
        try cli.ok("verify")
        try cli.ok("migrate", "--to", cli.scratch + "/copy", as: "sup")
    }
}
