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

/// Writers take an exclusive flock on `DIR/lock`; one that cannot get it within its timeout
/// gives up with `lockTimeout` and writes nothing.
@Suite struct LockTests {
    /// Holds an exclusive flock on `path` through its own open file description.
    private final class HeldLock: Sendable {
        let descriptor: Int32
        init(_ path: String) throws {
            descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw FixtureError("open \(path): errno \(errno)") }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                close(descriptor)
                throw FixtureError("flock \(path): errno \(errno)")
            }
        }
        func release() { _ = flock(descriptor, LOCK_UN) }
        deinit { close(descriptor) }
    }

    @Test func aWriterGivesUpAfterItsTimeoutAndWritesNothing() throws {
        try withTemporaryDirectory { root in
            let script = try LedgerScript(creating: root + "/ledger")
            try script.createAcme()
            try script.record(.adjust(workspace: "acme", amount: 50, reason: "seed"), as: Fixture.support)
            let before = try JournalBytes.read(script.journalPath)
            let stateBefore = script.ledger.state

            let held = try HeldLock(script.ledger.paths.lock)
            script.ledger.lockTimeout = 0.2
            let started = Date()
            do throws(LedgerError) {
                let outcome = try script.submit(.charge(workspace: "acme", action: "ai_graphic", job: "job-1"), as: Fixture.owner)
                Issue.record("the write went through a held lock: \(outcome)")
            } catch {
                #expect(error == .lockTimeout(seconds: 0.2))
                #expect(error.description.contains("nothing was written"))
            }
            let waited = Date().timeIntervalSince(started)
            #expect(waited >= 0.2, "gave up after \(waited) s")
            #expect(waited < 5, "waited \(waited) s")
            #expect(try JournalBytes.read(script.journalPath) == before)
            expectSameState(script.ledger.state, stateBefore)
            #expect(try FileManager.default.contentsOfDirectory(atPath: script.ledger.paths.outbox + "/tmp").isEmpty)

            // Once the lock is free, the same write goes through.
            held.release()
            let entries = try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-1"), as: Fixture.owner)
            #expect(entries.map(\.kind) == [.charge])
            #expect(try JournalBytes.read(script.journalPath).count > before.count)
        }
    }

    @Test func aWriterWaitsForALockReleasedWithinItsTimeout() throws {
        try withTemporaryDirectory { root in
            let script = try LedgerScript(creating: root + "/ledger")
            try script.createAcme()
            let held = try HeldLock(script.ledger.paths.lock)
            script.ledger.lockTimeout = 10
            let releaser = Thread { usleep(200_000); held.release() }
            releaser.start()
            let started = Date()
            try script.record(.adjust(workspace: "acme", amount: 5, reason: "after the wait"), as: Fixture.support)
            let waited = Date().timeIntervalSince(started)
            #expect(waited >= 0.15, "did not wait for the lock: \(waited) s")
            #expect(script.ledger.state.workspaces["acme"]?.balance == 5)
        }
    }

    /// A ledger caught mid-creation (its journal there but still empty, its creator holding the
    /// lock) is waited for by an opener, not reported damaged; an empty journal nobody is
    /// writing is still damage, told at once.
    @Test func anOpenerWaitsForALedgerBeingCreatedNotCallingItDamaged() throws {
        try withTemporaryDirectory { root in
            let made = try LedgerScript(creating: root + "/made")
            let initRecord = try JournalBytes.read(made.journalPath)
            let directory = root + "/being-made"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            try FileManager.default.copyItem(atPath: made.ledger.paths.catalog, toPath: directory + "/catalog.json")
            let journal = directory + "/journal.jsonl"
            FileManager.default.createFile(atPath: journal, contents: Data())
            let creator = try HeldLock(directory + "/lock")
            let finished = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                usleep(300_000)
                try? Data(initRecord).write(to: URL(fileURLWithPath: journal))
                creator.release()
                finished.signal()
            }
            let opened = try FileLedger.open(directory: directory)
            finished.wait()
            #expect(opened.recordCount == 1)

            // Emptied, with nobody holding the lock: damaged, without waiting out the timeout.
            FileManager.default.createFile(atPath: journal, contents: Data())
            let started = POSIXFile.monotonicSeconds()
            guard case .damaged(line: 1, _, _)? = openFailure(directory) else {
                Issue.record("an empty journal nobody is writing was not reported damaged")
                return
            }
            #expect(POSIXFile.monotonicSeconds() - started < 1)
        }
    }
}
