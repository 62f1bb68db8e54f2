import Foundation
import Testing

/// A checkpoint whose workspace directory was damaged where a binary search for one workspace
/// reads it (its pages' checksums left as they were): each reader of one workspace still answers
/// from that workspace's own records, the checkpoint ignored; none answers for another workspace
/// and none crashes.
@Suite("Checkpoint directory damage")
struct CheckpointDirectoryFaultTests {
    /// Where each directory entry's blob reference (offset, length, SHA-256: 48 bytes) starts in
    /// the checkpoint file, by workspace id (format 12's layout, LEDGER-FORMAT.md).
    static func blobReferences(_ bytes: [UInt8]) throws -> [String: Int] {
        func int(_ at: Int) -> Int { (0..<8).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        let magic = Array("CREDITDESK-CHECKPOINT-12\n".utf8)
        try #require(Array(bytes.prefix(magic.count)) == magic)
        let headerLength = int(magic.count)
        var at = magic.count + 8 + 8 * 3
        at += bytes[at] == 1 ? 9 : 1                      // the last time, optional
        at += 8 + int(at)                                 // the head hash
        let operators = int(at); at += 8
        for _ in 0..<(2 * operators) { at += 8 + int(at) }
        let removed = int(at); at += 8                    // R42: removed operators, name and seq
        for _ in 0..<removed { at += 8 + int(at) + 8 }
        let count = int(at), directoryLength = int(at + 8)
        let directoryBase = magic.count + 8 + headerLength + 32
        let table = directoryBase + directoryLength - 8 * count
        var references: [String: Int] = [:]
        for index in 0..<count {
            let entry = directoryBase + int(table + 8 * index)
            let idLength = int(entry)
            let id = String(decoding: bytes[(entry + 8)..<(entry + 8 + idLength)], as: UTF8.self)
            references[id] = entry + 8 + idLength
        }
        return references
    }

    /// A generated ledger with its closing checkpoint: each workspace's balance and owner.
    static func generated(_ cli: CLI) throws -> [String: (balance: Int, owner: String)] {
        try cli.ok("init", "--catalog", "konfiwear", "--now", "2025-01-01T00:00:00Z", as: People.support)
        try cli.ok("generate", "--workspaces", "3", "--entries", "300", "--days", "30", as: People.support)
        let list = try cli.run("workspace", "list", "--json", as: People.support).jsonArray()
        return Dictionary(uniqueKeysWithValues: list.map { ($0["workspace"] as! String, ($0["balance"] as! Int, $0["owner"] as! String)) })
    }

    static func damage(_ cli: CLI, _ change: (inout [UInt8], [String: Int]) -> Void) throws {
        let path = cli.ledger + "/checkpoint"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        change(&bytes, try blobReferences(bytes))
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test("two workspaces' directory entries swapped: balance answers each workspace's own, a charge neither crashes nor bills the other")
    func swappedDirectoryEntriesAreNotTheOtherWorkspace() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let balances = try Self.generated(cli)
        let ids = balances.keys.sorted()
        let (first, second) = (ids[0], ids[1])
        try Self.damage(cli) { bytes, references in
            let (a, b) = (references[first]!, references[second]!)
            let saved = Array(bytes[a..<(a + 48)])
            bytes.replaceSubrange(a..<(a + 48), with: bytes[b..<(b + 48)])
            bytes.replaceSubrange(b..<(b + 48), with: saved)
        }
        for id in [first, second] {
            let result = try cli.run("balance", id, "--json", as: People.support)
            #expect(result.status == 0, "\(result)")
            let shown = try result.jsonObject()
            #expect(shown["workspace"] as? String == id && shown["balance"] as? Int == balances[id]?.balance, "\(result)")
        }
        let charge = try cli.run("charge", first, "ai_graphic", "--job", "swapped-1", as: balances[second]!.owner)
        #expect(charge.status == 1 && !charge.stderr.contains("Fatal error"), "\(charge)")
        try cli.expectCleanVerify()
    }

    @Test("a directory entry's blob length damaged (negative, enormous): balance answers from the journal, never crashes",
          arguments: [(15, UInt8(0x80)), (14, UInt8(0x01))])
    func damagedBlobLengthIsIgnored(byte: Int, flip: UInt8) throws {
        let cli = try CLI()
        defer { cli.remove() }
        let balances = try Self.generated(cli)
        let id = balances.keys.sorted()[0]
        try Self.damage(cli) { bytes, references in bytes[references[id]! + byte] ^= flip }
        let result = try cli.run("balance", id, "--json", as: People.support)
        #expect(result.status == 0, "\(result)")
        #expect(try result.jsonObject()["balance"] as? Int == balances[id]?.balance, "\(result)")
    }
}
