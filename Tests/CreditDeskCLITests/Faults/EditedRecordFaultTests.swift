import Foundation
import Testing

/// A record edited inside what the checkpoint stands for: the commands that fold only the
/// journal's tail do not read it, but every command that reads it back (history, export, the
/// entry, Activity) checks it against its own checksum and names it, exit 2; none shows or
/// exports the edited text; `verify` names it too.
@Suite("An edited record before the checkpoint")
struct EditedRecordFaultTests {
    /// A generated ledger with its closing checkpoint, and the seq, workspace and line of a
    /// charge in its first half whose balance was then raised by one in the journal.
    static func editedLedger(_ cli: CLI) throws -> (seq: Int, workspace: String) {
        try cli.ok("init", "--catalog", "konfiwear", "--now", "2025-01-01T00:00:00Z", as: People.support)
        try cli.ok("generate", "--workspaces", "3", "--entries", "300", "--days", "30", as: People.support)
        let path = cli.ledger + "/journal.jsonl"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let index = try #require(lines.indices.dropFirst(100).first { lines[$0].contains("\"kind\":\"charge\"") })
        let record = try #require(try JSONSerialization.jsonObject(with: Data(lines[index].utf8)) as? [String: Any])
        let balance = try #require(record["balance"] as? Int)
        lines[index] = lines[index].replacingOccurrences(of: "\"balance\":\(balance),", with: "\"balance\":\(balance + 1),")
        try lines.joined(separator: "\n").write(toFile: path, atomically: false, encoding: .utf8)
        return (try #require(record["seq"] as? Int), try #require(record["ws"] as? String))
    }

    @Test("history, export and the entry name the edited record, exit 2, and show none of it; verify names it")
    func readsNameTheEditedRecord() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let (seq, workspace) = try Self.editedLedger(cli)
        let named = "ledger damaged: record seq \(seq) (byte "
        for arguments in [["history", workspace], ["history", workspace, "--json", "--limit", "1000"],
                          ["export", workspace, "--format", "csv"], ["export", "--format", "jsonl"], ["export", "--format", "csv"]] {
            let result = try cli.run(arguments, as: People.support)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.stderr.contains(named) && result.stderr.contains("its contents do not match its checksum"), "\(arguments): \(result)")
            #expect(result.stdout.isEmpty, "nothing of the history is shown: \(arguments): \(result.stdout.prefix(200))")
        }
        let verify = try cli.run("verify", as: People.support)
        #expect(verify.status == 2 && verify.stderr.contains("record seq \(seq)"), "\(verify)")
    }

    @Test("export --out on the damaged ledger leaves the file there as it was, and no half-written file beside it")
    func exportOutLeavesTheFileAsItWas() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let (_, workspace) = try Self.editedLedger(cli)
        let path = cli.scratch + "/kept.csv"
        try "keep\n".write(toFile: path, atomically: false, encoding: .utf8)
        for arguments in [["export", workspace, "--format", "csv", "--out", path], ["export", "--format", "jsonl", "--out", path]] {
            let result = try cli.run(arguments, as: People.support)
            #expect(result.status == 2 && result.stdout.isEmpty, "\(arguments): \(result)")
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep\n")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: cli.scratch).filter { $0.contains("kept.csv") }
        #expect(left == ["kept.csv"], "\(left)")
    }
}

/// A damaged checkpoint on a ledger whose tail is short: the note says it will be rebuilt, and
/// the next write does rebuild it, so the note is said once, not by every command after.
@Suite("A damaged checkpoint is rebuilt by the next write")
struct DamagedCheckpointRebuildTests {
    @Test("a flipped byte in the checkpoint: the next charge rebuilds it and later commands say nothing of it")
    func theNextWriteRebuildsIt() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init", "--catalog", "konfiwear", "--now", "2025-01-01T00:00:00Z", as: People.support)
        try cli.ok("generate", "--workspaces", "3", "--entries", "300", "--days", "30", as: People.support)
        let list = try cli.run("workspace", "list", "--json", as: People.support).jsonArray()
        let rich = try #require(list.first { ($0["balance"] as? Int ?? 0) >= 6 })
        let path = cli.ledger + "/checkpoint"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[5] ^= 0x08
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let charge = try cli.run("charge", rich["workspace"] as! String, "ai_graphic", "--job", "after-damage", as: rich["owner"] as? String)
        #expect(charge.status == 0 && charge.stderr.contains("the checkpoint is not a checkpoint of this format; it is ignored and will be rebuilt"), "\(charge)")
        let rebuilt = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(rebuilt != bytes, "rewritten by the write")
        for arguments in [["balance", rich["workspace"] as! String], ["workspace", "list"]] {
            let later = try cli.run(arguments, as: People.support)
            #expect(later.status == 0 && later.stderr.isEmpty, "\(arguments): \(later)")
        }
    }
}
