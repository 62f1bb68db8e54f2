import Foundation
import Testing

/// `migrate --to DIR` between two folders, with the real binary (no server needed): the copy
/// is the same lines, and a damaged source is refused with nothing made.
@Suite("migrate between folders")
struct MigrateFolderTests {
    @Test("migrate --to a new folder: the same journal bytes and catalog, the same head, the source untouched")
    func copyToANewFolderKeepsEveryByte() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j1", as: People.member)
        let before = try cli.journal()
        let target = cli.scratch + "/copy"
        let result = try cli.run("migrate", "--to", target, as: People.support)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdoutLines.count == 1 && result.stdout.hasPrefix("migrated "), "\(result)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: target + "/journal.jsonl")) == before)
        #expect(try cli.journal() == before)
        #expect(!cli.files(in: cli.ledger).contains("checkpoint.tmp"))
        let heads = try [cli.ledger, target].map { ledger in
            try cli.run(["verify", "--json", "--ledger", ledger], as: People.support).jsonObject().string("head")
        }
        #expect(heads[0] != nil && heads[0] == heads[1], "\(heads)")
    }

    @Test("a source with an edited record is refused (exit 2, one line naming the record), and no folder is made")
    func damagedSourceMakesNothing() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        var text = String(decoding: try cli.journal(), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"credits\":100", with: "\"credits\":900")
        try Data(text.utf8).write(to: URL(fileURLWithPath: cli.journalPath))
        let target = cli.scratch + "/copy"
        let result = try cli.run("migrate", "--to", target, as: People.support)
        #expect(result.status == 2, "\(result)")
        #expect(result.stderrLines.count == 1 && result.stderr.contains("seq"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(!cli.files(in: cli.scratch).contains { $0.contains("migrating") }, "\(cli.files(in: cli.scratch))")
    }

    @Test("a half-written last line (a torn tail) is left out, as a writer would cut it; what is copied verifies")
    func tornTailIsLeftOut() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: cli.journalPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"v\":1,\"seq\":99,\"ti".utf8))
        try handle.close()
        let target = cli.scratch + "/copy"
        let result = try cli.run("migrate", "--to", target, "--json", as: People.support)
        #expect(result.status == 0, "\(result)")
        let verify = try cli.run(["verify", "--ledger", target], as: People.support)
        #expect(verify.status == 0, "\(verify)")
    }
}
