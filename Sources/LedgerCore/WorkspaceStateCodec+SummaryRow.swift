import CreditKit

/// One encoded summary (`WorkspaceStateCodec.encodeSummary`) read in place: its texts as byte
/// ranges of the buffer it was read from, checked UTF-8, and the numbers a list prints, so a list
/// of every workspace makes no String, array or summary per row.
public struct SummaryRow: Sendable {
    /// Byte ranges of the id, name, owner and plan in the buffer the row was read from.
    public var id: Range<Int>
    public var name: Range<Int>
    public var owner: Range<Int>
    public var plan: Range<Int>
    public var status: WorkspaceStatus
    public var memberCount: Int
    /// Credits: the balance, lifetime earned and spent (R21), and held by open holds (R35).
    public var balance: Credits
    public var earned: Credits
    public var spent: Credits
    public var held: Credits
    public var lastActivity: Timestamp
    public var lastCharge: Timestamp?
    /// Whether the summary has expiring parcels or open holds (S3, R35): bringing it up to a
    /// time may change it, so it is decoded whole (`WorkspaceSummary.broughtUp(to:)`).
    public var changesWithTime: Bool
    /// Whether the row was read from the second buffer (`SummaryRows.extra`), not the first.
    public var inExtra = false

    /// R35: the balance less the credits held.
    public var available: Credits { balance - held }
}

extension WorkspaceStateCodec {
    /// The summary `encodeSummary` wrote at `reader`'s position, read in place; `id` is the
    /// range of its workspace id in the same buffer. Throws `BinaryReadError` when it is cut
    /// short, names an unknown status or holds text that is not UTF-8.
    public static func summaryRow(id: Range<Int>, _ reader: inout BinaryReader) throws(BinaryReadError) -> SummaryRow {
        let name = try checkedText(&reader), owner = try checkedText(&reader)
        let memberCount = try reader.count()
        for _ in 0..<memberCount { try reader.skipString() }
        let plan = try checkedText(&reader)
        let statusBytes = try reader.stringBytes()
        guard let status = WorkspaceStatus.allCases.first(where: { $0.rawValue.utf8.elementsEqual(statusBytes) }) else {
            throw BinaryReadError(problem: "names an unknown status")
        }
        let balance = try reader.int(), earned = try reader.int(), spent = try reader.int()
        let lastActivity = Timestamp(secondsSinceEpoch: try reader.int())
        let expiring = try reader.count()
        try reader.skip(3 * 8 * expiring)
        let lastCharge = optionalTime(try reader.int())
        let holds = try reader.count()
        var held: Credits = 0
        for _ in 0..<holds {
            try reader.skip(8)
            held += try reader.int()
            try reader.skip(8)
        }
        return SummaryRow(id: id, name: name, owner: owner, plan: plan, status: status, memberCount: memberCount,
                          balance: balance, earned: earned, spent: spent, held: held, lastActivity: lastActivity,
                          lastCharge: lastCharge, changesWithTime: expiring > 0 || holds > 0)
    }

    /// A length-prefixed text's byte range, once checked to be UTF-8 (ASCII is checked without
    /// decoding), as `BinaryReader.string()` checks it.
    public static func checkedText(_ reader: inout BinaryReader) throws(BinaryReadError) -> Range<Int> {
        let bytes = try reader.stringBytes()
        if !bytes.allSatisfy({ $0 < 0x80 }) && String(validating: bytes, as: UTF8.self) == nil {
            throw BinaryReadError(problem: "has text that is not UTF-8 at byte \(reader.index)")
        }
        return bytes.startIndex..<bytes.endIndex
    }
}
