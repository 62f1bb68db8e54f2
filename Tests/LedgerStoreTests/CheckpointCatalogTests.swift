import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// Format 9 keeps the catalog in the checkpoint's header with the SHA-256 of the `catalog.json`
/// it came from, so opening from the checkpoint decodes no JSON. It is a cache: used only for
/// those very bytes, never by a read that skips the checkpoint, and a format 8 checkpoint (no
/// catalog) is still read, the catalog then coming from the file.
@Suite struct CheckpointCatalogTests {
    static func decoded(_ name: String) throws -> Catalog {
        try CatalogLoader.decode(try Fixture.catalogBytes(name), source: name)
    }

    @Test("the binary catalog reads back equal to the JSON one: both shipped catalogs, and every optional field set and unset",
          arguments: ["konfiwear", "sofia", "every option"])
    func binaryCatalogRoundTrips(name: String) throws {
        var catalog = try Self.decoded(name == "every option" ? "sofia" : name)
        if name == "every option" {
            catalog.actions.append(Catalog.Action(id: "clone_design", name: "Clone a design", credits: 100, kind: .clone, clones: "design"))
            catalog.plans[1].rollover = Catalog.Rollover(capCredits: 40, validDays: 60)
            catalog.expiry?.packValidDays = nil
        }
        var writer = BinaryWriter()
        CatalogBinary.encode(catalog, into: &writer)
        var reader = BinaryReader(writer.bytes)
        #expect(try CatalogBinary.decode(&reader) == catalog)
        #expect(reader.atEnd)
    }

    /// A ledger with a saved checkpoint whose cached catalog prices an AI graphic at 99 credits
    /// instead of the file's 6, stamped with `sha` as the file's SHA-256.
    static func ledgerWithCachedCatalog(_ directory: String, stampedWith sha: (_ fileBytes: [UInt8]) throws -> [UInt8]) throws {
        let script = try CheckpointFormatTests.script(directory)
        try script.ledger.saveCheckpoint()
        let ledger = script.ledger
        var state = ledger.state
        let graphic = try #require(state.catalog.actions.firstIndex { $0.id == "ai_graphic" })
        state.catalog.actions[graphic].credits = 99
        let fileBytes = try Fixture.catalogBytes("konfiwear")
        try Checkpoint.write(path: ledger.checkpointPath, state: state, index: ledger.checkpointIndex,
                             journalEnd: ledger.scanner.end, lineCount: ledger.scanner.lineCount, catalogSHA: try sha(fileBytes))
    }

    @Test("the checkpoint's catalog is what an open from it prices with, when it names the catalog file's SHA-256")
    func theCachedCatalogIsUsedForTheSameFile() throws {
        try withTemporaryDirectory { directory in
            try Self.ledgerWithCachedCatalog(directory) { SHA256Hex.raw($0) }
            for scope in [nil, Set(["acme"])] {
                let opened = try FileLedger.open(directory: directory, workspaces: scope)
                #expect(opened.checkpointProblem == nil && opened.checkpoint?.format == Checkpoint.currentFormat)
                #expect(opened.state.catalog.action("ai_graphic")?.credits == 99, "no JSON decoded when the cache is there")
            }
            let journal = try FileLedger.open(directory: directory, useCheckpoint: false)
            #expect(journal.state.catalog == (try Self.decoded("konfiwear")), "a read of the journal alone never takes the cache")
        }
    }

    @Test("a checkpoint whose catalog came from other bytes is not trusted for the catalog: the file decides")
    func aCachedCatalogOfOtherBytesIsNotUsed() throws {
        try withTemporaryDirectory { directory in
            try Self.ledgerWithCachedCatalog(directory) { _ in SHA256Hex.raw(try Fixture.catalogBytes("sofia")) }
            let opened = try FileLedger.open(directory: directory, workspaces: ["acme"])
            #expect(opened.state.catalog == (try Self.decoded("konfiwear")))
            #expect(opened.checkpoint != nil, "the rest of the checkpoint still serves")
        }
    }

    @Test("R5, S3: a checkpoint of format 8 or 9 (an older build's, folded before refunds went back to their parcels) is a cache miss: the journal's state, no note, rebuilt by the next write")
    func R5_anOutgrownCheckpointIsACacheMiss() throws {
        for older in [8, 9] {
            try withTemporaryDirectory { directory in
                let script = try CheckpointFormatTests.script(directory)
                try script.ledger.saveCheckpoint()
                let current = try JournalBytes.read(script.ledger.checkpointPath)
                let bytes = older == 8 ? try Self.format8(current)
                    : Checkpoint.magic(format: 9) + current[Checkpoint.magic.count...]
                try JournalBytes.overwrite(bytes, to: script.ledger.checkpointPath)
                let journal = try FileLedger.open(directory: directory, useCheckpoint: false)
                let opened = try FileLedger.open(directory: directory)
                #expect(opened.checkpointProblem == nil && opened.checkpoint == nil, "format \(older): \(opened.checkpointProblem ?? "")")
                expectSameState(opened.state, journal.state)
                let writer = try LedgerScript(reopening: directory, minute: script.minute)
                _ = try writer.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-9"), as: Fixture.owner)
                try writer.ledger.saveCheckpoint()
                #expect(try FileLedger.open(directory: directory).checkpoint?.format == Checkpoint.currentFormat)
            }
        }
    }

    /// A format 9 checkpoint as format 8 wrote it: the header without its catalog SHA-256 and
    /// catalog (the directory and blobs are placed relative to the header's end, so they stand).
    static func format8(_ bytes: [UInt8]) throws -> [UInt8] {
        let magic = Checkpoint.magic
        try #require(Array(bytes.prefix(magic.count)) == magic)
        var lengthReader = BinaryReader(bytes, at: magic.count)
        let headerLength = try lengthReader.count()
        let header = Array(bytes[(magic.count + 8)..<(magic.count + 8 + headerLength)])
        var catalog = BinaryWriter()
        CatalogBinary.encode(try decoded("konfiwear"), into: &catalog)
        let older = Array(header.prefix(headerLength - 32 - catalog.bytes.count))
        var front = BinaryWriter()
        front.raw(Checkpoint.magic(format: 8))
        front.count(older.count)
        front.raw(older)
        front.raw(SHA256Hex.raw(older))
        return front.bytes + bytes[(magic.count + 8 + headerLength + 32)...]
    }
}
