import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files the ledger creates are created, never reached through a symlink
/// planted at their path (`O_EXCL | O_NOFOLLOW`), and a journal reached from two directories is
/// written by one writer at a time.
@Suite struct PlantedLinkTests {
    /// A file outside the ledger that a planted symlink points at; it must never change.
    private func victim(_ root: String) throws -> String {
        let path = root + "/victim.txt"
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func expectUntouched(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect((try? String(contentsOfFile: path, encoding: .utf8)) == "keep me\n", "the link's target was written", sourceLocation: sourceLocation)
    }

    private func isSymlink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    @Test func aSymlinkAtCheckpointTmpIsReplacedNotFollowed() throws {
        try withTemporaryDirectory { root in
            let script = try LedgerScript(creating: root + "/ledger")
            try script.createAcme()
            let target = try victim(root)
            #expect(symlink(target, script.ledger.checkpointPath + ".tmp") == 0)
            try script.ledger.saveCheckpoint()
            expectUntouched(target)
            #expect(!isSymlink(script.ledger.checkpointPath))
            #expect(FileLedger.checkpointStatus(directory: script.directory).hasPrefix("matches"))
        }
    }

    @Test func aSymlinkAtCatalogTmpIsReplacedNotFollowed() throws {
        try withTemporaryDirectory { root in
            let target = try victim(root)
            let directory = root + "/ledger"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            #expect(symlink(target, directory + "/catalog.json.tmp") == 0)
            let script = try LedgerScript(creating: directory)
            expectUntouched(target)
            #expect(!isSymlink(script.ledger.paths.catalog))
            #expect(try FileLedger.verify(directory: directory).records == 1)
        }
    }

    @Test func R24_aSymlinkAtAStagedAlertIsReplacedNotFollowed() throws {
        try withTemporaryDirectory { root in
            let script = try LedgerScript(creating: root + "/ledger")
            try script.createAcme()
            let target = try victim(root)
            var alert = Entry(seq: 99, time: Fixture.time(minute: 99), kind: .alert, actor: Fixture.owner, workspace: "acme")
            alert.alert = .low
            alert.balance = 8
            let staged = script.ledger.paths.outbox + "/tmp/" + AlertMail.fileName(for: alert)
            #expect(symlink(target, staged) == 0)
            let messages = try script.ledger.stageAlerts([alert], folded: script.ledger.state)
            #expect(messages.count == 1)
            expectUntouched(target)
            #expect(!isSymlink(staged))
            #expect((try? String(contentsOfFile: staged, encoding: .utf8)) == messages.first?.message.message.text)
        }
    }

    @Test func aSymlinkAtTheLockIsRefusedNotFollowed() throws {
        try withTemporaryDirectory { root in
            let script = try LedgerScript(creating: root + "/ledger")
            try script.createAcme()
            unlink(script.ledger.paths.lock)
            let target = root + "/made-through-the-link"
            #expect(symlink(target, script.ledger.paths.lock) == 0)
            let before = try JournalBytes.read(script.journalPath)
            do throws(LedgerError) {
                let outcome = try script.submit(.adjust(workspace: "acme", amount: 5, reason: "x"), as: Fixture.support)
                Issue.record("written through a symlinked lock: \(outcome)")
            } catch {
                #expect(error == .io(operation: "open", path: script.ledger.paths.lock, errno: ELOOP))
            }
            #expect(!POSIXFile.exists(target), "the lock was created through the link")
            #expect(try JournalBytes.read(script.journalPath) == before)
        }
    }

    /// A second ledger directory whose journal is a link (symbolic or hard) to the first's.
    private func secondDirectory(sharing script: LedgerScript, root: String, hard: Bool) throws -> FileLedger {
        let second = root + "/second"
        try FileManager.default.createDirectory(atPath: second, withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: script.ledger.paths.catalog, toPath: second + "/catalog.json")
        let linked = hard ? link(script.journalPath, second + "/journal.jsonl") : symlink(script.journalPath, second + "/journal.jsonl")
        #expect(linked == 0)
        return try FileLedger.open(directory: second)
    }

    @Test(arguments: [false, true])
    func aJournalSharedByTwoDirectoriesHasOneWriterAtATime(hardLink: Bool) throws {
        try withTemporaryDirectory { root in
            let script = try LedgerScript(creating: root + "/ledger")
            try script.createAcme()
            try script.record(.adjust(workspace: "acme", amount: 100, reason: "seed"), as: Fixture.support)
            let other = try secondDirectory(sharing: script, root: root, hard: hardLink)
            other.lockTimeout = 0.2
            let context = CommandContext(actor: Fixture.owner, time: Fixture.time(minute: 30))
            var blocked: LedgerError?
            var written: SubmitOutcome?
            // While the first directory's writer holds its lock, a writer through the second waits and gives up.
            try script.ledger.withWriteLock { _ throws(LedgerError) in
                do throws(LedgerError) {
                    written = try other.submit(.charge(workspace: "acme", action: "ai_graphic", job: "other"), context: context)
                } catch {
                    blocked = error
                }
            }
            #expect(written == nil, "a second writer went through while the first held the journal")
            #expect(blocked == .lockTimeout(seconds: 0.2))
            // Both write in turn afterwards, and nothing is lost.
            try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "first"), as: Fixture.owner)
            _ = try other.submit(.charge(workspace: "acme", action: "ai_graphic", job: "other"), context: context)
            let report = try FileLedger.verify(directory: script.directory)
            let reopened = try FileLedger.open(directory: script.directory, useCheckpoint: false)
            #expect(report.records == Int(reopened.state.lastSeq))
            #expect(try reopened.history(of: "acme", kinds: [.charge]).count == 2)
        }
    }

    @Test(arguments: ["outbox", "outbox/tmp", "outbox/new", "outbox/cur"])
    func aSymlinkedOutboxFolderIsRefusedNotFollowed(folder: String) throws {
        try withTemporaryDirectory { root in
            let script = try LedgerScript(creating: root + "/ledger")
            try script.createAcme()
            try script.record(.adjust(workspace: "acme", amount: 14, reason: "seed"), as: Fixture.support)
            let target = root + "/elsewhere"
            for sub in ["", "/tmp", "/new", "/cur"] {
                try FileManager.default.createDirectory(atPath: target + sub, withIntermediateDirectories: true)
            }
            let path = script.directory + "/" + folder
            try FileManager.default.removeItem(atPath: path)
            #expect(symlink(folder == "outbox" ? target : target + "/" + (folder as NSString).lastPathComponent, path) == 0)
            let before = try JournalBytes.read(script.journalPath)
            do throws(LedgerError) {
                // Takes acme to 8: a low alert would be staged and delivered through the link.
                let outcome = try script.submit(.charge(workspace: "acme", action: "ai_graphic", job: "j"), as: Fixture.owner)
                Issue.record("written with a symlink at \(folder): \(outcome)")
            } catch {
                #expect(error == .linkInLedger(path: path))
            }
            #expect(try JournalBytes.read(script.journalPath) == before)
            for sub in ["/tmp", "/new", "/cur"] {
                #expect(((try? FileManager.default.contentsOfDirectory(atPath: target + sub)) ?? ["?"]).isEmpty, "written into \(sub)")
            }
        }
    }

    @Test func stagingAnAlertNeverGoesThroughASymlinkedOutbox() throws {
        try withTemporaryDirectory { root in
            let script = try LedgerScript(creating: root + "/ledger")
            try script.createAcme()
            let target = root + "/elsewhere"
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            let tmp = script.ledger.paths.outbox + "/tmp"
            try FileManager.default.removeItem(atPath: tmp)
            #expect(symlink(target, tmp) == 0)
            var alert = Entry(seq: 99, time: Fixture.time(minute: 99), kind: .alert, actor: Fixture.owner, workspace: "acme")
            alert.alert = .low
            alert.balance = 8
            #expect(throws: LedgerError.linkInLedger(path: tmp)) {
                _ = try script.ledger.stageAlerts([alert], folded: script.ledger.state)
            }
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: target)) ?? ["?"]).isEmpty)
        }
    }

    /// What a reader says of each thing that can sit where the checkpoint goes, and whether the
    /// next write puts a real checkpoint there.
    @Test(.timeLimit(.minutes(1)), arguments: ["directory", "pipe", "symlink"])
    func whatSitsAtTheCheckpointIsNamedAndNeverFollowed(thing: String) throws {
        try withTemporaryDirectory { root in
            let script = try LedgerScript(creating: root + "/ledger")
            try script.createAcme()
            try script.ledger.saveCheckpoint()
            let path = script.ledger.checkpointPath
            let elsewhere = root + "/checkpoint-elsewhere"
            try FileManager.default.moveItem(atPath: path, toPath: elsewhere)
            switch thing {
            case "directory": try FileManager.default.createDirectory(atPath: path + "/in-the-way", withIntermediateDirectories: true)
            case "pipe": #expect(mkfifo(path, 0o600) == 0)
            default: #expect(symlink(elsewhere, path) == 0)
            }
            let opened = try FileLedger.open(directory: script.directory)
            let expected: String
            switch thing {
            case "directory":
                expected = "the checkpoint is a directory, not a file; it is ignored, and cannot be rebuilt until that is removed (the checkpoint is a cache: removing it loses nothing)"
            case "pipe": expected = "the checkpoint is not a regular file (a pipe, socket or device); it is ignored and will be rebuilt"
            default: expected = "the checkpoint is a symbolic link, which the ledger does not follow; it is ignored and will be rebuilt"
            }
            #expect(opened.checkpointProblem == expected)
            #expect(FileLedger.checkpointStatus(directory: script.directory) == expected)
            #expect(opened.state.workspaces["acme"] != nil, "the journal is read instead")
            opened.checkpointRefreshRecords = 1
            _ = try opened.submit(.adjust(workspace: "acme", amount: 5, reason: "x"),
                                  context: CommandContext(actor: Fixture.support, time: Fixture.time(minute: 60)))
            if thing == "directory" {
                #expect(opened.takeWarnings().count == 1, "the way is still blocked: a warning, the commit stands")
            } else {
                #expect(opened.takeWarnings().isEmpty)
                #expect(POSIXFile.kind(at: path) == .file, "the next write puts a real checkpoint in its place")
                #expect(FileLedger.checkpointStatus(directory: script.directory).hasPrefix("matches"))
            }
        }
    }
}
