/// The idempotency keys of one workspace (R5, R6): each job id and what its charge was. Kept in
/// a few flat arrays (key bytes, fixed-size rows, an open-addressing index) rather than a
/// dictionary of strings, so a ledger with millions of jobs stays small in memory. Iterates in
/// the order jobs were first recorded.
public struct JobTable: Hashable, Sendable, Sequence, ExpressibleByDictionaryLiteral {
    /// One job: where its id sits in `keyBytes`, and its record with the action interned.
    private struct Row: Hashable, Sendable {
        var keyStart: UInt32
        var keyLength: UInt32
        var chargeSeq: Int64
        var credits: Int64
        /// `noRefund` when the job has not been refunded.
        var refundSeq: Int64
        var action: Int32
    }

    private static let noRefund = Int64.min
    /// Empty slot marker in `slots`.
    private static let empty: Int32 = -1

    private var keyBytes: [UInt8] = []
    private var rows: [Row] = []
    private var actions: [String] = []
    /// Row index per slot (`empty` if free); the count is zero or a power of two, at most 70 % full.
    private var slots: [Int32] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, JobRecord)...) {
        for (job, record) in elements { self[job] = record }
    }

    public var count: Int { rows.count }
    public var isEmpty: Bool { rows.isEmpty }

    /// Makes room for `capacity` jobs at once (loading a checkpoint).
    public mutating func reserveCapacity(_ capacity: Int) {
        rows.reserveCapacity(capacity)
        keyBytes.reserveCapacity(capacity * 16)
        if Self.slotCount(for: capacity) > slots.count { rehash(slotCount: Self.slotCount(for: capacity)) }
    }

    /// The record of `job`, nil if it was never charged; setting nil forgets the job.
    public subscript(job: String) -> JobRecord? {
        get { Self.withBytes(job) { key in find(key).row.map(record(at:)) } }
        set {
            Self.withBytes(job) { key in
                if let newValue { store(newValue, key: key) } else { remove(key) }
            }
        }
    }

    /// The record of the job whose id is `key` (UTF-8 bytes), without building a string.
    public func record(forJobBytes key: UnsafeBufferPointer<UInt8>) -> JobRecord? {
        find(key).row.map(record(at:))
    }

    public func makeIterator() -> AnyIterator<(key: String, value: JobRecord)> {
        var index = 0
        return AnyIterator {
            guard index < rows.count else { return nil }
            defer { index += 1 }
            return (key(at: index), record(at: index))
        }
    }

    public static func == (lhs: JobTable, rhs: JobTable) -> Bool {
        lhs.count == rhs.count && lhs.allSatisfy { rhs[$0.key] == $0.value }
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(count) }

    // MARK: storage

    /// Calls `body` with the UTF-8 bytes of `text`, copying only when the string is not contiguous.
    private static func withBytes<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    /// The fewest slots that keep `count` jobs at most 70 % full.
    private static func slotCount(for count: Int) -> Int {
        var slots = 8
        while slots * 7 < count * 10 { slots *= 2 }
        return slots
    }

    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(key))
        return hasher.finalize()
    }

    /// The slot holding `key` (its row), or the free slot where it would go.
    private func find(_ key: UnsafeBufferPointer<UInt8>) -> (slot: Int, row: Int?) {
        guard !slots.isEmpty else { return (0, nil) }
        let mask = slots.count - 1
        var slot = Self.hash(key) & mask
        return keyBytes.withUnsafeBufferPointer { stored in
            while true {
                let row = slots[slot]
                if row == Self.empty { return (slot, nil) }
                let found = rows[Int(row)]
                if Int(found.keyLength) == key.count,
                   UnsafeBufferPointer(rebasing: stored[Int(found.keyStart)..<Int(found.keyStart) + key.count]).elementsEqual(key) {
                    return (slot, Int(row))
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private mutating func store(_ record: JobRecord, key: UnsafeBufferPointer<UInt8>) {
        var found = find(key)
        if let row = found.row {
            rows[row] = makeRow(record, keyStart: rows[row].keyStart, keyLength: rows[row].keyLength)
            return
        }
        if Self.slotCount(for: rows.count + 1) > slots.count {
            rehash(slotCount: Self.slotCount(for: rows.count + 1))
            found = find(key)
        }
        precondition(keyBytes.count + key.count <= Int(UInt32.max), "job ids of one workspace exceed 4 GB")
        let start = UInt32(keyBytes.count)
        keyBytes.append(contentsOf: key)
        rows.append(makeRow(record, keyStart: start, keyLength: UInt32(key.count)))
        slots[found.slot] = Int32(rows.count - 1)
    }

    /// Forgets one job by rebuilding the table without it (rare: the rules never forget a job).
    private mutating func remove(_ key: UnsafeBufferPointer<UInt8>) {
        guard let removed = find(key).row else { return }
        var kept = JobTable()
        for index in rows.indices where index != removed { kept[self.key(at: index)] = record(at: index) }
        self = kept
    }

    private mutating func rehash(slotCount: Int) {
        slots = [Int32](repeating: Self.empty, count: slotCount)
        let mask = slotCount - 1
        keyBytes.withUnsafeBufferPointer { stored in
            for (index, row) in rows.enumerated() {
                let key = UnsafeBufferPointer(rebasing: stored[Int(row.keyStart)..<Int(row.keyStart) + Int(row.keyLength)])
                var slot = Self.hash(key) & mask
                while slots[slot] != Self.empty { slot = (slot + 1) & mask }
                slots[slot] = Int32(index)
            }
        }
    }

    private mutating func makeRow(_ record: JobRecord, keyStart: UInt32, keyLength: UInt32) -> Row {
        Row(keyStart: keyStart, keyLength: keyLength, chargeSeq: record.chargeSeq, credits: record.credits,
            refundSeq: record.refundSeq ?? Self.noRefund, action: intern(record.action))
    }

    /// The index of `action` among the few action ids this workspace's jobs use.
    private mutating func intern(_ action: String) -> Int32 {
        if let index = actions.firstIndex(of: action) { return Int32(index) }
        actions.append(action)
        return Int32(actions.count - 1)
    }

    private func key(at index: Int) -> String {
        let row = rows[index]
        return String(decoding: keyBytes[Int(row.keyStart)..<Int(row.keyStart) + Int(row.keyLength)], as: UTF8.self)
    }

    private func record(at index: Int) -> JobRecord {
        let row = rows[index]
        return JobRecord(chargeSeq: row.chargeSeq, action: actions[Int(row.action)], credits: row.credits,
                         refundSeq: row.refundSeq == Self.noRefund ? nil : row.refundSeq)
    }
}
