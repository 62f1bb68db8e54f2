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

/// `FileLedger.copy`: the ledger copies its own files (the demo's scratch copy, its rebuild):
/// journal, catalog and outbox messages, never its caches or its lock, never through a link.
@Suite struct LedgerCopyTests {
    private func names(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    /// acme with a low alert delivered to the outbox, and a checkpoint saved.
    private func ledgerWithMail(_ root: String) throws -> LedgerScript {
        let script = try LedgerScript(creating: root + "/ledger")
        try script.createAcme()
        try script.record(.adjust(workspace: "acme", amount: 14, reason: "seed"), as: Fixture.support)
        try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-1"), as: Fixture.owner)
        try script.ledger.saveCheckpoint()
        return script
    }

    @Test func theCopyHoldsTheJournalCatalogAndOutboxButNoCacheOrLock() throws {
        try withTemporaryDirectory { root in
            let script = try ledgerWithMail(root)
            let source = script.ledger.paths
            #expect(names(source.directory).contains("checkpoint"))
            #expect(names(source.directory).contains("lock"))
            try FileLedger.copy(directory: source.directory, to: root + "/copy")

            #expect(names(root + "/copy") == ["catalog.json", "journal.jsonl", "outbox"])
            #expect(names(root + "/copy/outbox") == ["cur", "new", "tmp"])
            #expect(names(root + "/copy/outbox/new") == names(source.outbox + "/new"))
            #expect(names(root + "/copy/outbox/new").count == 1)
            for file in ["journal.jsonl", "catalog.json"] {
                #expect(FileManager.default.contents(atPath: root + "/copy/" + file) == FileManager.default.contents(atPath: source.directory + "/" + file))
                #expect(permissions(root + "/copy/" + file) == 0o600)
            }
            #expect(permissions(root + "/copy") == 0o700)
            let copy = try FileLedger.open(directory: root + "/copy")
            #expect(copy.state.lastHash == script.ledger.state.lastHash)
            #expect(copy.state.workspaces == script.ledger.state.workspaces)
        }
    }

    @Test func aCopyNeverLandsOnALedgerNorStartsFromNothing() throws {
        try withTemporaryDirectory { root in
            let script = try ledgerWithMail(root)
            let other = try LedgerScript(creating: root + "/other")
            let before = FileManager.default.contents(atPath: other.journalPath)
            #expect(throws: LedgerError.alreadyExists(directory: root + "/other")) {
                try FileLedger.copy(directory: script.directory, to: root + "/other")
            }
            #expect(FileManager.default.contents(atPath: other.journalPath) == before)
            #expect(throws: LedgerError.notFound(directory: root + "/nothing")) {
                try FileLedger.copy(directory: root + "/nothing", to: root + "/copy")
            }
        }
    }

    @Test func aLinkInsideTheLedgerIsNeverFollowed() throws {
        try withTemporaryDirectory { root in
            let script = try ledgerWithMail(root)
            let outbox = script.ledger.paths.outbox
            try FileManager.default.removeItem(atPath: outbox)
            try FileManager.default.createDirectory(atPath: root + "/elsewhere", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: outbox, withDestinationPath: root + "/elsewhere")
            #expect(throws: LedgerError.linkInLedger(path: outbox)) {
                try FileLedger.copy(directory: script.directory, to: root + "/copy")
            }
        }
    }
}
