import CreditKit
import Foundation
@testable import LedgerStore
import Testing

/// The checkpoint's directory is found by binary search for one workspace, and read and checked
/// as a whole only for a list: every workspace is found, an absent one is absent, and a damaged
/// directory is ignored (and rebuilt), never read as workspaces that are missing.
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
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            // A byte of the last workspace's summary, inside the directory, not in the header.
            let lastEntry = Int(checkpoint.directoryBase + checkpoint.offsetTableStart) - 9
            bytes[lastEntry] ^= 0x40
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let listed = try FileLedger.openForSummaries(directory: directory)
            #expect(listed.checkpointProblem?.contains("the checkpoint has a directory that does not match its checksum") == true, "\(listed.checkpointProblem ?? "no note")")
            #expect(listed.workspaceSummaries().map(\.id).sorted() == Self.ids.sorted())
            let absent = try FileLedger.open(directory: directory, workspaces: ["no-such"])
            #expect(absent.checkpointProblem?.contains("the checkpoint has a directory that does not match its checksum") == true)
        }
    }
}
