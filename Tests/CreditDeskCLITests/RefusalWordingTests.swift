import Foundation
import Testing

/// The words of a refusal fit the command that met it: `verify` names damage without pointing to
/// itself, a read never says "nothing was written", and `--expect-head` says what it found.
@Suite("Refusal wording")
struct RefusalWordingTests {
    /// acme with four charges and one byte flipped in the middle of its journal.
    static func damagedLedger(_ cli: CLI) throws -> Data {
        try cli.makeAcme(credits: 100)
        for job in ["j-1", "j-2", "j-3", "j-4"] { try cli.ok("charge", "acme", "ai_graphic", "--job", job, as: People.member) }
        var bytes = try cli.journal()
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: cli.journalPath))
        return bytes
    }

    @Test("on a damaged ledger verify names the record and no further hint; reads point to verify, writes say nothing was written")
    func damageHintFitsTheCommand() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let damaged = try Self.damagedLedger(cli)
        let verify = try cli.run("verify", as: People.support)
        #expect(verify.status == 2 && verify.stdout.isEmpty, "\(verify)")
        #expect(verify.stderrLines.count == 1 && verify.stderr.hasPrefix("creditdesk: ledger damaged: record seq "), "\(verify)")
        #expect(!verify.stderr.contains("creditdesk verify") && !verify.stderr.contains("nothing was written"), "\(verify)")

        let reads: [([String], String)] = [
            (["balance", "acme"], People.owner), (["history", "acme"], People.owner), (["export", "--format", "csv"], People.support),
            (["workspace", "list"], People.support), (["balance", "acme", "--json"], People.owner),
        ]
        for (arguments, actor) in reads {
            let read = try cli.run(arguments, as: actor)
            #expect(read.status == 2 && read.stderrLines.count == 1, "\(read)")
            #expect(read.stderr.hasPrefix("creditdesk: ledger damaged: "), "\(read)")
            #expect(read.stderr.hasSuffix("); `creditdesk verify` audits the whole journal, the rules included\n"), "\(read)")
            #expect(!read.stderr.contains("nothing was written") && !read.stderr.contains("for details"), "\(read)")
        }
        let charge = try cli.run(["charge", "acme", "ai_graphic", "--job", "j-5"], as: People.member)
        #expect(charge.status == 2, "\(charge)")
        #expect(charge.stderr.hasSuffix("; nothing was written; `creditdesk verify` audits the whole journal, the rules included\n"), "\(charge)")
        #expect(try cli.journal() == damaged)
    }

    @Test("--expect-head past the journal's end says where the journal ends, never that it no longer reaches a seq")
    func expectHeadPastTheEnd() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let report = try cli.ok("verify", "--json", as: People.support).jsonObject()
        let head = try #require(report["head_seq"] as? Int)
        let hash = try #require(report["head_hash"] as? String)
        let beyond = try cli.run("verify", "--expect-head", "\(head + 90):\(hash)", as: People.support)
        #expect(beyond.status == 2 && beyond.stdout.isEmpty, "\(beyond)")
        #expect(beyond.stderr == "creditdesk: the expected head \(head + 90):\(hash) is not in the chain: the journal ends at seq \(head) "
            + "and holds no record seq \(head + 90) (if an earlier verify of this ledger printed that head, the journal was cut back)\n", "\(beyond)")

        let wrong = String(repeating: "0", count: 64)
        let rewritten = try cli.run("verify", "--expect-head", "\(head):\(wrong)", as: People.support)
        #expect(rewritten.status == 2, "\(rewritten)")
        #expect(rewritten.stderr == "creditdesk: the expected head \(head):\(wrong) is no longer in the chain: record seq \(head) now has hash \(hash) "
            + "(the history up to it was rewritten)\n", "\(rewritten)")
    }

    @Test("a refused read never ends with \"nothing was written\"; the same refusal of a write does")
    func refusedReadsSayNothingOfWriting() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let badTimeout = ["CREDITDESK_LOCK_TIMEOUT": "abc"]
        for arguments in [["balance", "acme"], ["balance", "acme", "--json"], ["history", "acme", "--kind", "charge"], ["member-limit", "show", "acme"]] {
            let read = try cli.run(arguments, as: People.support, environment: badTimeout)
            #expect(read.status == 64, "\(read)")
            #expect(read.stderr == "creditdesk: CREDITDESK_LOCK_TIMEOUT=\"abc\" is not a number of seconds from 0 to 3600\n", "\(read)")
        }
        let write = try cli.run(["adjust", "acme", "+5", "--reason", "x"], as: People.support, environment: badTimeout)
        #expect(write.stderr == "creditdesk: CREDITDESK_LOCK_TIMEOUT=\"abc\" is not a number of seconds from 0 to 3600; nothing was written\n", "\(write)")
    }
}
