import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// From the command line: a bad lock timeout, two `generate`s racing into
/// one new directory, a link planted at the delivery log, a record whose newline was changed.
@Suite("The file ledger's own edges", .serialized)
struct LedgerEdgeFaultTests {
    @Test("CREDITDESK_LOCK_TIMEOUT that is not a number of seconds from 0 to 3600 is refused with exit 64 and one line; nothing is written",
          arguments: ["abc", "inf", "1e20", "-1", "nan", "3601", " 5"])
    func badLockTimeoutIsRefused(value: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 50)
        let before = cli.journalBytes()
        // A write says nothing was written; a read, which had nothing to write, does not.
        for (arguments, actor, written) in [(["charge", "acme", "ai_graphic", "--job", "t"], People.member, "; nothing was written"),
                                            (["balance", "acme"], People.support, "")] {
            let result = try cli.run(arguments, as: actor, environment: ["CREDITDESK_LOCK_TIMEOUT": value])
            #expect(result.status == 64, "\(value): \(result)")
            #expect(result.stderr == "creditdesk: CREDITDESK_LOCK_TIMEOUT=\"\(value)\" is not a number of seconds from 0 to 3600\(written)\n", "\(result)")
        }
        #expect(cli.journalBytes() == before)
        let fine = try cli.run(["charge", "acme", "ai_graphic", "--job", "t"], as: People.member, environment: ["CREDITDESK_LOCK_TIMEOUT": "2.5"])
        #expect(fine.status == 0, "\(fine)")
    }

    @Test("CREDITDESK_SENDMAIL_TIMEOUT that is not a number of seconds from 1 to 3600 is refused with exit 64 before anything is written",
          arguments: ["abc", "0", "-1", "inf", "3601"])
    func badMailerTimeoutIsRefused(value: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 50)
        let before = cli.journalBytes()
        let result = try cli.run(["charge", "acme", "ai_graphic", "--job", "t"], as: People.member,
                                 environment: ["CREDITDESK_SENDMAIL_TIMEOUT": value])
        #expect(result.status == 64, "\(value): \(result)")
        #expect(result.stderr == "creditdesk: CREDITDESK_SENDMAIL_TIMEOUT=\"\(value)\" is not a number of seconds from 1 to 3600; nothing was written\n", "\(result)")
        #expect(cli.journalBytes() == before)
    }

    @Test("two generate runs into one new directory: one generates, the other is refused and says nothing of its history was written")
    func twoGeneratesIntoOneDirectory() throws {
        let cli = try CLI()
        defer { cli.remove() }
        rmdir(cli.ledger)
        let arguments = ["generate", "--workspaces", "4", "--entries", "6000", "--batch", "6000", "--days", "30"]
        let first = try cli.spawn(arguments, as: People.support)
        // Start the second once the first has made the ledger, while it writes its history.
        let deadline = RawProcess.monotonic() + 30
        while !cli.journalBytes().contains(10) && RawProcess.monotonic() < deadline { usleep(2_000) }
        let second = try cli.spawn(arguments, as: People.support)
        let results = [first.wait(timeout: 120), second.wait(timeout: 120)]
        let generated = results.filter { $0.ending == .exited(0) }
        #expect(generated.count == 1, "\(results)")
        for result in results where result.ending != .exited(0) {
            #expect(result.status == 1 || result.status == 2, "\(result)")
            #expect(!result.stdout.contains("generated"), "\(result)")
        }
        if let refused = results.first(where: { $0.stderr.contains("another process wrote to") }) {
            #expect(refused.stderr.contains("nothing of this history was written"), "\(refused)")
        }
        try cli.expectCleanVerify()
        let records = try cli.wholeRecords()
        #expect(records.filter { $0.string("kind") == "init" }.count == 1)
        #expect(records.filter { $0.string("kind") == "workspace" }.count == 4, "one history, not two")
    }

    @Test("R24: a symlink planted at outbox/delivery.log is not followed: the target is untouched, the charge exits 0 with a warning")
    func R24_deliveryLogSymlinkIsNotFollowed() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 14, owner: AlertDeliveryTests.owner)
        let victim = cli.scratch + "/victim.txt"
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: victim))
        #expect(symlink(victim, cli.ledger + "/outbox/delivery.log") == 0)
        let charge = try cli.run(["charge", "acme", "ai_graphic", "--job", "j-1"], as: People.member,
                                 environment: ["CREDITDESK_SENDMAIL": "cat > /dev/null"])
        #expect(charge.status == 0, "\(charge)")
        #expect(charge.stderr.contains("warning: cannot open \(cli.ledger)/outbox/delivery.log"), "\(charge)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me\n")
        #expect(cli.files(in: cli.outboxNew).count == 1)
    }

    @Test("a journal whose final newline was changed to another byte: verify and every writer exit 2 naming the record; nothing is cut")
    func changedFinalNewlineIsDamage() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 50)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "acknowledged", as: People.member)
        var bytes = cli.journalBytes()
        let lines = bytes.filter { $0 == 10 }.count
        bytes[bytes.count - 1] = UInt8(ascii: "X")
        try Data(bytes).write(to: URL(fileURLWithPath: cli.journalPath))
        for (arguments, actor) in [(["verify"], People.support), (["charge", "acme", "ai_graphic", "--job", "next"], People.member),
                                   (["balance", "acme"], People.support)] {
            let result = try cli.run(arguments, as: actor)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.stderr.contains("line \(lines)"), "\(arguments): \(result)")
            #expect(result.stderr.contains("where its newline should be"), "\(arguments): \(result)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result)")
        }
        #expect(cli.journalBytes() == bytes)
    }

    @Test("many inits racing into one new directory, readers among them: one creates the ledger, every other init says it already exists (exit 1), no reader says damaged")
    func concurrentInitsOfOneDirectory() throws {
        let cli = try CLI()
        defer { cli.remove() }
        for round in 0..<6 {
            try? FileManager.default.removeItem(atPath: cli.ledger)
            var inits: [RawProcess] = []
            var readers: [RawProcess] = []
            for _ in 0..<6 {
                inits.append(try cli.spawn(["init", "--catalog", "konfiwear"], as: People.support))
                readers.append(try cli.spawn(["verify"], as: People.support))
            }
            let created = inits.map { $0.wait(timeout: 60) }
            #expect(created.filter { $0.ending == .exited(0) }.count == 1, "round \(round): \(created)")
            for result in created where result.ending != .exited(0) {
                #expect(result.ending == .exited(1), "round \(round): \(result)")
                #expect(result.stderr == "creditdesk: a ledger already exists in \(cli.ledger); nothing was changed\n", "round \(round): \(result)")
            }
            for result in readers.map({ $0.wait(timeout: 60) }) {
                // Before the ledger is there, "no ledger"; once it is, the ledger: never "damaged".
                let noLedger = result.ending == .exited(2) && result.stderr.hasPrefix("creditdesk: no ledger in")
                #expect(result.ending == .exited(0) || noLedger, "round \(round): \(result)")
            }
            try cli.expectCleanVerify()
            #expect(try cli.wholeRecords().count == 1)
        }
    }

    @Test("a symlink at outbox/ or one of its folders is refused with one line, exit 2: nothing in the journal, nothing in the link's target",
          arguments: ["outbox", "outbox/tmp", "outbox/new", "outbox/cur"])
    func symlinkedOutboxFolderIsRefused(folder: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 14, owner: AlertDeliveryTests.owner)
        let target = cli.scratch + "/elsewhere"
        for sub in ["", "/tmp", "/new", "/cur"] {
            try FileManager.default.createDirectory(atPath: target + sub, withIntermediateDirectories: true)
        }
        // A staged message a writer would otherwise move or remove through the link.
        try Data("staged".utf8).write(to: URL(fileURLWithPath: target + "/tmp/1.S99_low.creditdesk"))
        let path = cli.ledger + "/" + folder
        try FileManager.default.removeItem(atPath: path)
        #expect(symlink(folder == "outbox" ? target : target + "/" + (folder as NSString).lastPathComponent, path) == 0)
        let before = cli.journalBytes()
        for (arguments, actor) in [(["charge", "acme", "ai_graphic", "--job", "crossing"], People.member),
                                   (["adjust", "acme", "+5", "--reason", "no alert"], People.support)] {
            let result = try cli.run(arguments, as: actor, environment: ["CREDITDESK_SENDMAIL": "cat > /dev/null"])
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.stderr == "creditdesk: \(path) is a symbolic link, and the ledger never writes through one: replace it with a directory; nothing was written\n", "\(result)")
        }
        #expect(cli.journalBytes() == before)
        #expect(cli.files(in: target + "/new").isEmpty)
        #expect(cli.files(in: target + "/tmp") == ["1.S99_low.creditdesk"])
        #expect(!FileManager.default.fileExists(atPath: target + "/delivery.log"))
        // Reads still work, and with the folder back the charge goes through.
        #expect(try cli.balance().int("balance") == 14)
        try FileManager.default.removeItem(atPath: path)
        try cli.ok(["charge", "acme", "ai_graphic", "--job", "crossing"], as: People.member)
        #expect(cli.files(in: cli.outboxNew).count == 1)
    }

    @Test("a directory where the checkpoint goes: the note says so, not that the checkpoint is cut short; reads and writes go on")
    func directoryAtTheCheckpointIsNamed() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 50)
        try FileManager.default.createDirectory(atPath: cli.ledger + "/checkpoint/in-the-way", withIntermediateDirectories: true)
        let note = "creditdesk: the checkpoint is a directory, not a file; it is ignored, and cannot be rebuilt until that is removed (the checkpoint is a cache: removing it loses nothing)\n"
        let read = try cli.run("balance", "acme", as: People.support)
        #expect(read.status == 0, "\(read)")
        #expect(read.stderr == note, "\(read)")
        let charge = try cli.run("charge", "acme", "ai_graphic", "--job", "j", as: People.member)
        #expect(charge.status == 0 && charge.stderr == note, "\(charge)")
        try cli.expectCleanVerify()
    }

    @Test("a journal cut back below what the checkpoint stands for: every command exits 2 naming both sizes, and nothing is written")
    func journalShorterThanTheCheckpointIsRefused() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.ok("init", "--catalog", "konfiwear", "--now", "2025-01-01T00:00:00Z", as: People.support)
        try cli.ok("generate", "--workspaces", "3", "--entries", "400", "--days", "30", as: People.support)
        let full = cli.journalBytes()
        let workspace = try #require(try cli.wholeRecords().compactMap { $0.string("ws") }.first)
        let lineEnds = full.indices.filter { full[$0] == 10 }
        let kept = lineEnds[lineEnds.count / 2] + 1
        #expect(truncate(cli.journalPath, off_t(kept)) == 0)
        let cut = cli.journalBytes()
        // A write says nothing was written; a read, which had nothing to write, does not.
        let note = { (written: String) in
            "creditdesk: ledger damaged: the journal has \(kept) bytes but the checkpoint stands for \(full.count): records were removed\(written). "
                + "Restore journal.jsonl from a copy, or, if the loss is accepted, delete \(cli.ledger)/checkpoint "
                + "(it is a cache, rebuilt from the journal)\n"
        }
        let commands: [([String], String, String)] = [
            (["verify"], People.support, ""), (["balance", workspace], People.support, ""), (["history", workspace], People.support, ""),
            (["workspace", "list"], People.support, ""), (["adjust", workspace, "+1", "--reason", "t"], People.support, "; nothing was written"),
        ]
        for (arguments, actor, written) in commands {
            let refused = try cli.run(arguments, as: actor)
            #expect(refused.status == 2 && refused.stdout.isEmpty, "\(arguments): \(refused)")
            #expect(refused.stderr == note(written), "\(arguments): \(refused)")
        }
        #expect(cli.journalBytes() == cut, "a refused command wrote to the journal")
        // The loss accepted: without the checkpoint (a cache) the journal decides, and verifies.
        try FileManager.default.removeItem(atPath: cli.ledger + "/checkpoint")
        try cli.expectCleanVerify()
    }
}
