import CreditKit

/// One record of a ledger being copied (`migrate`): its journal line exactly as the source holds
/// it (no newline), the entry it decodes to, the hash before it, and whether its commit goes on.
public struct CopiedRecord: Sendable {
    public let line: [UInt8]
    public let entry: Entry
    public let prev: String
    public let more: Bool
}

/// Where a copied ledger's records go (`migrate --to`): a new folder or an empty database. The
/// copy is all-or-nothing: nothing is visible at the target until `finish` returns, and
/// `abandon` (or a killed process) leaves the target as it was.
public protocol ChainSink: AnyObject {
    /// Receives the source's catalog bytes before the first commit.
    func begin(catalogBytes: [UInt8], catalog: Catalog) throws(LedgerError)
    /// Takes one whole commit; `state` is the fold after it.
    func write(_ commit: [CopiedRecord], state: LedgerState) throws(LedgerError)
    /// Makes the copy durable and visible at the target, all at once.
    func finish(state: LedgerState) throws(LedgerError)
    /// Gives the copy up: the target is left as it was (best effort; a kill does the same).
    func abandon()
}

/// Checks a ledger's records as they are copied, one line at a time: each line's own hash,
/// its seq (one after the last), its link to the hash before it, the catalog it names, and the
/// fold of each whole commit. Hands each checked commit on; a trailing unfinished commit (a
/// torn tail) is left out and counted.
public struct ChainCopyCheck {
    /// The fold of every commit handed on so far.
    public private(set) var state: LedgerState
    /// Records of a commit not yet finished (its last line had `"more":true`).
    public private(set) var pending: [CopiedRecord] = []
    private let catalogHash: String

    public init(catalog: Catalog, catalogBytes: [UInt8]) {
        state = LedgerState(catalog: catalog)
        catalogHash = SHA256Hex.digest(catalogBytes)
    }

    /// Checks one line (no newline); returns its commit when this line ends one.
    public mutating func take(_ line: [UInt8]) throws(LedgerError) -> [CopiedRecord]? {
        let seq = state.lastSeq + Int64(pending.count) + 1
        let decoded: JournalFormat.DecodedRecord
        do {
            decoded = try line.withUnsafeBufferPointer { bytes throws(JournalFormat.LineProblem) in try JournalFormat.decode(bytes) }
        } catch {
            throw .damaged(line: Int(seq), seq: seq, problem: error.description)
        }
        let prev = pending.last?.entry.hash ?? (state.lastHash.isEmpty ? JournalFormat.genesisHash : state.lastHash)
        guard decoded.entry.seq == seq else {
            throw .damaged(line: Int(seq), seq: seq, problem: "the line says seq \(decoded.entry.seq), not \(seq) (a record is missing or repeated)")
        }
        guard decoded.prev == prev else {
            throw .damaged(line: Int(seq), seq: seq, problem: "its prev does not match the hash of the record before it (the chain is broken)")
        }
        if seq == 1 { try checkInit(decoded.entry) }
        pending.append(CopiedRecord(line: line, entry: decoded.entry, prev: decoded.prev, more: decoded.more))
        guard !decoded.more else { return nil }
        let commit = pending
        pending = []
        do throws(ReplayError) { try state.apply(commit.map(\.entry)) } catch {
            throw .damaged(line: Int(error.seq), seq: error.seq, problem: error.problem)
        }
        return commit
    }

    /// The first record must be the init record naming this catalog.
    private func checkInit(_ first: Entry) throws(LedgerError) {
        guard first.kind == .initialize else {
            throw .damaged(line: 1, seq: 1, problem: "the first record is not the ledger's init record")
        }
        if let named = first.catalogHash, named != catalogHash {
            throw .badCatalog(file: "catalog.json", problems: ["does not match the catalog this ledger was created with (its SHA-256 differs from the init record's)"])
        }
    }

    /// Copies every line `forEachLine` gives into `sink`, checked, then finishes the sink; on
    /// any failure the sink is abandoned. Returns the final fold and the records left out of an
    /// unfinished last commit.
    public static func copy(catalogBytes: [UInt8], catalog: Catalog, into sink: any ChainSink,
                            forEachLine: ((_ line: [UInt8]) throws(LedgerError) -> Void) throws(LedgerError) -> Void)
        throws(LedgerError) -> (state: LedgerState, leftOut: Int) {
        var check = ChainCopyCheck(catalog: catalog, catalogBytes: catalogBytes)
        do throws(LedgerError) {
            try sink.begin(catalogBytes: catalogBytes, catalog: catalog)
            try forEachLine { (line: [UInt8]) throws(LedgerError) in
                if let commit = try check.take(line) { try sink.write(commit, state: check.state) }
            }
            guard check.state.lastSeq > 0 else { throw LedgerError.damaged(line: 1, seq: nil, problem: "the ledger holds no records") }
            try sink.finish(state: check.state)
        } catch {
            sink.abandon()
            throw error
        }
        return (check.state, check.pending.count)
    }
}
