import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

extension CLI {
    /// Rewrites this ledger as an older build could have left it, with text the current rules
    /// refuse at input: each record goes through `edit`, the catalog through `catalog`, the hash
    /// chain is recomputed (so `verify` passes) and the caches are dropped.
    func rewriteAsOlderLedger(catalog editCatalog: (inout [String: Any]) -> Void = { _ in },
                              _ edit: (inout Entry) -> Void) throws {
        let catalogPath = ledger + "/catalog.json"
        var catalog = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: catalogPath))) as? [String: Any])
        editCatalog(&catalog)
        let catalogBytes = Array(try JSONSerialization.data(withJSONObject: catalog, options: [.sortedKeys]))
        try Data(catalogBytes).write(to: URL(fileURLWithPath: catalogPath))
        var out: [UInt8] = []
        var prev = JournalFormat.genesisHash
        for line in String(decoding: try journal(), as: UTF8.self).split(separator: "\n") {
            let bytes = Array(line.utf8)
            let decoded = try bytes.withUnsafeBufferPointer { buffer in try JournalFormat.decode(buffer) }
            var entry = decoded.entry
            if entry.kind == .initialize { entry.catalogHash = SHA256Hex.digest(catalogBytes) }
            edit(&entry)
            let (encoded, hash) = JournalFormat.encode(entry, prev: prev, more: decoded.more)
            out += encoded + [10]
            prev = hash
        }
        try Data(out).write(to: URL(fileURLWithPath: journalPath))
        for name in files(in: ledger) where !["journal.jsonl", "catalog.json", "outbox"].contains(name) {
            try FileManager.default.removeItem(atPath: ledger + "/" + name)
        }
    }
}

/// The characters of `text` that would steer a terminal, other than its own line breaks.
func steeringCharacters(in text: String) -> [Unicode.Scalar] {
    text.unicodeScalars.filter { FreeText.isSteering($0) && $0 != "\n" }
}
