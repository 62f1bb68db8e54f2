import CreditKit
import LedgerCore

/// Every workspace's summary, read in place (`SummaryRow`): most rows are ranges of the
/// checkpoint's checked directory, the others (loaded workspaces, and summaries a time changed)
/// ranges of `extra`, where they are encoded afresh.
public struct SummaryRows {
    /// The checkpoint's directory, every page checked against its SHA-256.
    public let directory: [UInt8]
    /// Summaries encoded for this list (`WorkspaceStateCodec.encodeSummary`, after their ids).
    public let extra: [UInt8]
    /// The rows, in the order and with the values of `workspaceSummaries(broughtUpTo:)`.
    public let rows: [SummaryRow]

    /// The buffer `row`'s ranges point into.
    public func buffer(of row: SummaryRow) -> [UInt8] { row.inExtra ? extra : directory }
}

extension FileLedger {
    /// The list `workspaceSummaries(broughtUpTo: time)` gives, row for row, read in place from
    /// the checkpoint's directory, which was checked page by page when the ledger was opened.
    /// Nil when it cannot be read so (no checkpoint, every workspace loaded, an id that is not
    /// ASCII, an entry that does not read): the caller then asks `workspaceSummaries(broughtUpTo:)`,
    /// so a list is never shorter or other than that one.
    public func summaryRows(broughtUpTo time: Timestamp) -> SummaryRows? {
        guard scanner.scope != nil, let checkpoint, let directory = try? checkpoint.directory() else { return nil }
        let loaded = state.workspaces.values.map { WorkspaceSummary($0).broughtUp(to: time) }.sorted { $0.id < $1.id }
        guard loaded.allSatisfy({ $0.id.utf8.allSatisfy { $0 < 0x80 } }) else { return nil }
        var extra = BinaryWriter()
        var rows: [SummaryRow] = []
        rows.reserveCapacity(checkpoint.workspaceCount + loaded.count)
        var next = 0
        do throws(BinaryReadError) {
            var reader = BinaryReader(directory)
            var previous: Range<Int>?
            for _ in 0..<checkpoint.workspaceCount {
                let id = try reader.stringBytes()
                // ASCII ids in byte order are in `String` order, the order of the other list.
                guard id.allSatisfy({ $0 < 0x80 }), previous.map({ directory[$0].lexicographicallyPrecedes(id) }) ?? true else { return nil }
                previous = id.startIndex..<id.endIndex
                try reader.skip(2 * 8 + 32)
                let start = reader.index
                var row = try WorkspaceStateCodec.summaryRow(id: id.startIndex..<id.endIndex, &reader)
                while next < loaded.count, loaded[next].id.utf8.lexicographicallyPrecedes(id) {
                    rows.append(try Self.appendRow(loaded[next], to: &extra))
                    next += 1
                }
                // A loaded workspace's own summary stands for it (the tail may have changed it).
                if next < loaded.count, loaded[next].id.utf8.elementsEqual(id) { continue }
                if row.changesWithTime {
                    var whole = BinaryReader(directory, at: start)
                    let summary = try WorkspaceStateCodec.decodeSummary(id: String(decoding: id, as: UTF8.self), &whole, format: checkpoint.format)
                    row = try Self.appendRow(summary.broughtUp(to: time), to: &extra)
                }
                rows.append(row)
            }
            while next < loaded.count {
                rows.append(try Self.appendRow(loaded[next], to: &extra))
                next += 1
            }
        } catch {
            return nil
        }
        return SummaryRows(directory: directory, extra: extra.bytes, rows: rows)
    }

    /// `summary` encoded at the end of `extra` (its id, then the summary) and read back as a row.
    private static func appendRow(_ summary: WorkspaceSummary, to extra: inout BinaryWriter) throws(BinaryReadError) -> SummaryRow {
        let start = extra.bytes.count
        extra.string(summary.id)
        WorkspaceStateCodec.encodeSummary(summary, into: &extra)
        var reader = BinaryReader(extra.bytes, at: start)
        let id = try reader.stringBytes()
        var row = try WorkspaceStateCodec.summaryRow(id: id.startIndex..<id.endIndex, &reader)
        row.inExtra = true
        return row
    }
}
