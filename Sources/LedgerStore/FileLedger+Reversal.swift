import CreditKit
import LedgerCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a reversal (R34) or a void (R36) needs from the journal: the entry named, found through
/// the workspace's credit-history index, and, reading that workspace's entries after it (a
/// reversal or rollover is always newer than its original), the adjustment that already reverses
/// it and the rollover that carried its credits on (R41); for a rollover, the reversal of its grant.
extension FileLedger {
    /// The original entry, any reversal of it and its rollover links, for `Engine.decide`.
    public func reversalFacts(workspace: String, seq: Int64) throws(LedgerError) -> ReversalFacts {
        let refs = creditRefs(of: workspace)
        guard let index = Self.index(of: seq, in: refs) else { return ReversalFacts(original: nil, reversedBy: nil) }
        let descriptor = try POSIXFile.open(paths.journal, flags: O_RDONLY)
        defer { close(descriptor) }
        let original = try readEntry(descriptor, at: refs[index].offset)
        var facts = ReversalFacts(original: original, reversedBy: nil)
        for ref in refs[(index + 1)...] {
            guard let entry = try readEntry(descriptor, at: ref.offset, ifLine: Self.mayLinkBack) else { continue }
            if entry.kind == .adjustment && entry.reverses == seq && facts.reversedBy == nil { facts.reversedBy = entry.seq }
            if entry.kind == .grant && entry.rollover != nil && entry.ref == seq && facts.rolledOverBy == nil { facts.rolledOverBy = entry.seq }
        }
        if original.rollover != nil, let grant = original.ref, grant < seq {
            facts.sourceReversedBy = try reversalFacts(workspace: workspace, seq: grant).reversedBy
        }
        return facts
    }

    /// Whether a journal line may hold a `reverses` or `rollover` key: it names one, or it holds an
    /// escape (a key could be spelled with one). Every other line is passed over undecoded.
    static func mayLinkBack(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        line.contains(92) || contains(line, reversesKey) || contains(line, rolloverKey)
    }

    private static let reversesKey = Array("\"\(JournalKey.reverses.rawValue)\"".utf8)
    private static let rolloverKey = Array("\"\(JournalKey.rollover.rawValue)\"".utf8)

    /// The `seq` of the adjustment that reverses entry `seq` of `workspace`, if there is one.
    public func reversal(of seq: Int64, in workspace: String) throws(LedgerError) -> Int64? {
        try reversalFacts(workspace: workspace, seq: seq).reversedBy
    }

    /// Where `seq` sits in a workspace's credit index (oldest first), by binary search.
    static func index(of seq: Int64, in refs: [RecordRef]) -> Int? {
        var low = 0, high = refs.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if refs[middle].seq == seq { return middle }
            if refs[middle].seq < seq { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }
}
