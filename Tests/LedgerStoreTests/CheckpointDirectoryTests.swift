import CreditKit
import Foundation
@testable import LedgerStore
import Testing

/// The checkpoint's directory is found by binary search for one workspace, checking the pages it
/// reads, and read and checked as a whole only for a list: every workspace is found, an absent
/// one is absent, and a damaged directory is ignored (and rebuilt), never read as workspaces that
/// are missing.
@Suite struct CheckpointDirectoryTests {
    /// Workspaces whose ids sort differently as text and as bytes would, and a long one.
    static let ids = ["a", "a-1", "a1", "b", "m-" + String(repeating: "x", count: 40), "z", "z9", "zz"]
        + (0..<13).map { "ws-\($0)" }

    static func script(_ directory: String) throws -> LedgerScript {
        let script = try LedgerScript(creating: directory)
        for id in ids {
            _ = try script.record(.createWorkspace(id: id, name: "W \(id)", owner: Fixture.owner, plan: "pro", trial: false), as: Fixture.support)
            _ = try script.record(.topUp(workspace: id, pack: "topup_50"), as: Fixture.owner)
        }
        try script.ledger.saveCheckpoint()
        return script
    }

    @Test func everyWorkspaceIsFoundByItselfAndAnAbsentOneIsNot() throws {
        try withTemporaryDirectory { directory in
            _ = try Self.script(directory)
            let full = try FileLedger.open(directory: directory, useCheckpoint: false)
            for id in Self.ids {
                let one = try FileLedger.open(directory: directory, workspaces: [id])
                #expect(one.checkpoint != nil && one.checkpointProblem == nil)
                #expect(one.state.workspaces[id] == full.state.workspaces[id], "\(id)")
                #expect(one.state.workspaces.count == 1)
            }
            for absent in ["", "0", "a0", "m", "ws-", "zzz"] {
                let none = try FileLedger.open(directory: directory, workspaces: [absent])
                #expect(none.state.workspaces.isEmpty && none.checkpointProblem == nil, "\(absent)")
            }
        }
    }

    @Test func aDamagedDirectoryIsIgnoredForAListAndForAWorkspaceItDoesNotFind() throws {
        try withTemporaryDirectory { directory in
            _ = try Self.script(directory)
            let path = directory + "/checkpoint"
            let checkpoint = try #require(try Checkpoint.load(path: path))
            // A byte of the middle entry's key, which every binary search reads first.
            let middle = try Self.entryOffset(checkpoint, index: checkpoint.workspaceCount / 2, path: path)
            try Self.flip(path, at: Int(checkpoint.directoryBase + middle) + 9)
            let listed = try FileLedger.openForSummaries(directory: directory)
            #expect(listed.checkpointProblem?.contains("the checkpoint has a directory that does not match its checksum") == true, "\(listed.checkpointProblem ?? "no note")")
            #expect(listed.workspaceSummaries().map(\.id).sorted() == Self.ids.sorted())
            let absent = try FileLedger.open(directory: directory, workspaces: ["no-such"])
            #expect(absent.checkpointProblem?.contains("the checkpoint has a directory that does not match its checksum") == true)
        }
    }

    @Test func aDamagedPageTableIsIgnoredForAnyWorkspace() throws {
        try withTemporaryDirectory { directory in
            _ = try Self.script(directory)
            let path = directory + "/checkpoint"
            let checkpoint = try #require(try Checkpoint.load(path: path))
            try Self.flip(path, at: Int(checkpoint.directoryBase + checkpoint.directoryLength) + 3)
            let one = try FileLedger.open(directory: directory, workspaces: ["a"])
            #expect(one.checkpointProblem?.contains("page table that does not match its checksum") == true, "\(one.checkpointProblem ?? "no note")")
            let journal = try FileLedger.open(directory: directory, useCheckpoint: false)
            #expect(one.state.workspaces["a"] == journal.state.workspaces["a"], "read from the journal instead")
        }
    }

    /// Enough workspaces for a directory of many pages: a search reads a few of them, so damage
    /// in a page it never reads does not stop it, while a list, which reads every page, sees it,
    /// and a search that reads the damaged page refuses it rather than answering "absent".
    @Test func aSearchChecksThePagesItReadsAndAListChecksThemAll() throws {
        try withTemporaryDirectory { directory in
            let script = try LedgerScript(creating: directory)
            let ids = (0..<300).map { String(format: "ws-%04d", $0) }
            for id in ids {
                _ = try script.record(.createWorkspace(id: id, name: "Workspace \(id)", owner: Fixture.owner, plan: "pro", trial: false), as: Fixture.support)
            }
            try script.ledger.saveCheckpoint()
            let path = directory + "/checkpoint"
            let checkpoint = try #require(try Checkpoint.load(path: path))
            #expect(DirectoryPages.pageCount(directoryLength: checkpoint.directoryLength) >= 8)
            // The first entry's key: its page holds the lowest entries only, which a search for
            // the highest ids never reads.
            let first = try Self.entryOffset(checkpoint, index: 0, path: path)
            try Self.flip(path, at: Int(checkpoint.directoryBase + first) + 9)
            let top = try FileLedger.open(directory: directory, workspaces: ["ws-0299"])
            #expect(top.checkpointProblem == nil && top.checkpoint != nil && top.state.workspaces.keys.sorted() == ["ws-0299"])
            let above = try FileLedger.open(directory: directory, workspaces: ["ws-9999"])
            #expect(above.checkpointProblem == nil && above.state.workspaces.isEmpty, "absent, by a search that read only good pages")
            let below = try FileLedger.open(directory: directory, workspaces: ["ws-0000"])
            #expect(below.checkpointProblem?.contains("does not match its checksum") == true, "\(below.checkpointProblem ?? "no note")")
            #expect(below.state.workspaces["ws-0000"] != nil, "read from the journal instead")
            let unknown = try FileLedger.open(directory: directory, workspaces: ["a"])
            #expect(unknown.checkpointProblem?.contains("does not match its checksum") == true, "never answered absent from a damaged page")
            let listed = try FileLedger.openForSummaries(directory: directory)
            #expect(listed.checkpointProblem?.contains("does not match its checksum") == true)
            #expect(listed.workspaceSummaries().count == ids.count)
        }
    }

    /// Where directory entry `index` starts, counted from the directory's start.
    static func entryOffset(_ checkpoint: Checkpoint, index: Int, path: String) throws -> Int64 {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let at = Int(checkpoint.directoryBase + checkpoint.offsetTableStart) + 8 * index
        return bytes[at..<at + 8].reversed().reduce(Int64(0)) { $0 << 8 | Int64($1) }
    }

    /// Flips one bit of the file at `offset`.
    static func flip(_ path: String, at offset: Int) throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[offset] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
