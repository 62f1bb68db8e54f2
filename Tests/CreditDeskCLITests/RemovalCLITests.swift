import CreditKit
import Foundation
import LedgerCore
import Testing

/// R42: `workspace remove-member` and `operator remove` through the real binary, on a file ledger.
@Suite("Removal")
struct RemovalCLITests {
    @Test("R42: a removed member's charges are refused with one line; a repeat says already removed; verify replays; added back they charge again")
    func R42_removedMemberIsRefusedAndMayBeAddedAgain() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        try cli.ok("member-limit", "set", "acme", People.member, "10", as: People.owner)
        let removed = try cli.run("workspace", "remove-member", "acme", People.member, "--reason", "left Acme", "--json", as: People.owner)
        #expect(removed.status == 0, "\(removed)")
        let object = try removed.jsonObject()
        let entry = try #require((object["entries"] as? [[String: Any]])?.first)
        #expect(entry.string("kind") == "member_removed" && entry.string("member") == People.member, "\(removed)")
        #expect(entry.string("reason") == "left Acme" && entry.string("actor") == People.owner, "\(removed)")
        let record = try #require(try cli.journalRecords().last)
        #expect(record.string("kind") == "member_removed" && record.string("reason") == "left Acme")

        let before = cli.journalBytes().count
        let refused = try cli.run("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)
        #expect(refused.status == 1 && refused.stderrLines.count == 1, "\(refused)")
        #expect(refused.stderr.contains("not permitted: lee cannot run a charged action"), "\(refused)")
        let balance = try cli.run("balance", "acme", as: People.member)
        #expect(balance.status == 1 && balance.stderrLines.count == 1, "\(balance)")
        let limits = try cli.run("member-limit", "show", "acme", as: People.owner)
        #expect(!limits.stdout.contains("lee"), "the limit ended with the membership: \(limits)")

        let again = try cli.run("workspace", "remove-member", "acme", People.member, "--reason", "left Acme", as: People.owner)
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.hasPrefix("already removed: lee was removed from workspace acme by entry #"), "\(again)")
        let againJSON = try cli.run("workspace", "remove-member", "acme", People.member, "--reason", "left Acme", "--json", as: People.support)
        #expect(try againJSON.jsonObject().string("result") == "already_recorded", "\(againJSON)")
        #expect(cli.journalBytes().count == before, "refusals and repeats write nothing")
        #expect(try cli.run("verify").status == 0)

        try cli.ok("workspace", "add-member", "acme", People.member, as: People.owner)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)
        let shown = try cli.run("member-limit", "show", "acme", as: People.owner)
        #expect(!shown.stdout.contains("of 10"), "a fresh add starts without the old limit: \(shown)")
        #expect(try cli.run("verify").status == 0)
    }

    @Test("R42: the owner, a non-member, a member or stranger removing, a missing reason: refused with one line, nothing written")
    func R42_removeMemberRefusalsWriteNothing() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme()
        let before = cli.journalBytes().count
        let cases: [([String], String, Int32, String)] = [
            (["workspace", "remove-member", "acme", People.owner, "--reason", "x"], People.support, 1, "the owner cannot be removed as a member (R42)"),
            (["workspace", "remove-member", "acme", People.stranger, "--reason", "x"], People.owner, 1, "eve is not a member of workspace acme"),
            (["workspace", "remove-member", "acme", People.member, "--reason", "x"], People.member, 1, "not permitted: lee cannot remove a member"),
            (["workspace", "remove-member", "acme", People.member, "--reason", "x"], People.stranger, 1, "not permitted: eve cannot remove a member"),
            (["workspace", "remove-member", "nowhere", People.member, "--reason", "x"], People.support, 1, "nowhere"),
            (["workspace", "remove-member", "acme", People.member], People.owner, 64, "--reason"),
            (["workspace", "remove-member", "acme", People.member, "--reason", ""], People.owner, 1, "reason"),
        ]
        for (arguments, actor, status, text) in cases {
            let result = try cli.run(arguments, as: actor)
            #expect(result.status == status, "\(arguments) as \(actor): \(result)")
            #expect(result.stderr.contains(text), "\(arguments) as \(actor): \(result)")
            if status == 1 { #expect(result.stderrLines.count == 1, "\(arguments): \(result)") }
        }
        #expect(cli.journalBytes().count == before)
    }

    @Test("R42: operator remove takes a support agent off (support only); the last one stays; self-removal while another remains; a repeat is already removed")
    func R42_operatorRemoveKeepsTheLastSupportAgent() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 20)
        let last = try cli.run("operator", "remove", People.support, "--reason", "leaving", as: People.support)
        #expect(last.status == 1 && last.stderrLines.count == 1 && last.stderr.contains("last support agent"), "\(last)")
        try cli.ok("operator", "add", People.support2, "--role", "support", as: People.support)
        let byOwner = try cli.run("operator", "remove", People.support2, "--reason", "x", as: People.owner)
        #expect(byOwner.status == 1 && byOwner.stderr.contains("not permitted"), "\(byOwner)")
        let notOne = try cli.run("operator", "remove", People.member, "--reason", "x", as: People.support)
        #expect(notOne.status == 1 && notOne.stderr.contains("lee is not a support agent"), "\(notOne)")
        let removed = try cli.run("operator", "remove", People.support, "--reason", "moved to sales", "--json", as: People.support)
        #expect(removed.status == 0, "\(removed)")
        let entry = try #require((try removed.jsonObject()["entries"] as? [[String: Any]])?.first)
        #expect(entry.string("kind") == "operator_removed" && entry.string("reason") == "moved to sales", "\(removed)")
        let adjust = try cli.run("adjust", "acme", "+5", "--reason", "x", as: People.support)
        #expect(adjust.status == 1 && adjust.stderrLines.count == 1 && adjust.stderr.contains("not permitted"), "\(adjust)")
        let again = try cli.run("operator", "remove", People.support, "--reason", "moved to sales", as: People.support2)
        #expect(again.status == 0 && again.stdout.hasPrefix("already removed: maria was removed as a support agent"), "\(again)")
        let lastNow = try cli.run("operator", "remove", People.support2, "--reason", "x", as: People.support2)
        #expect(lastNow.status == 1 && lastNow.stderr.contains("last support agent"), "\(lastNow)")
        #expect(try cli.run("verify").status == 0)
        try cli.ok("operator", "add", People.support, "--role", "support", as: People.support2)
        try cli.ok("adjust", "acme", "+5", "--reason", "back", as: People.support)
        #expect(try cli.run("verify").status == 0)
    }

    @Test("R42: verify names a removal forged into the journal by someone who may not remove (exit 2)")
    func R42_verifyNamesAForgedRemoval() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme()
        // The member removing themselves, appended with a sound hash chain.
        let lines = String(decoding: try cli.journal(), as: UTF8.self).split(separator: "\n")
        let last = try Array(try #require(lines.last).utf8).withUnsafeBufferPointer { try JournalFormat.decode($0).entry }
        var forged = Entry(seq: last.seq + 1, time: last.time, kind: .memberRemoved, actor: People.member, workspace: "acme")
        forged.member = People.member; forged.reason = "left"
        let (line, _) = JournalFormat.encode(forged, prev: last.hash, more: false)
        let handle = try #require(FileHandle(forWritingAtPath: cli.journalPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(line + [10]))
        try handle.close()
        let verify = try cli.run("verify")
        #expect(verify.status == 2, "\(verify)")
        #expect(verify.stderr.contains("not permitted: lee cannot remove a member"), "\(verify)")
    }
}
