/// The idempotency keys of one workspace (R5, R6): each job id and what its charge was. Kept in
/// a few flat arrays (key bytes, 24-byte rows, an open-addressing index) rather than a
/// dictionary of strings, so a ledger with millions of jobs stays small in memory. Iterates in
/// the order jobs were first recorded.
public struct JobTable: Hashable, Sendable, Sequence, ExpressibleByDictionaryLiteral {
    /// One job: where its id starts in `keyBytes` (it ends where the next row's starts), its
    /// charge and refund, and its action and credits as one interned pair: 24 bytes a job.
    private struct Row: Hashable, Sendable {
        var chargeSeq: Int64
        /// `noRefund` when the job has not been refunded.
        var refundSeq: Int64
        var keyStart: UInt32
        var charged: UInt32
    }

    private static let noRefund = Int64.min
    /// Empty slot marker in `slots`.
    private static let empty: UInt64 = 0

    private var keyBytes: [UInt8] = []
    private var rows: [Row] = []
    /// The distinct (action, credits) pairs the rows name; a workspace has a handful.
    private var charges: [Charge] = []
    private struct Charge: Hashable, Sendable {
        var action: String
        var credits: Int64
    }
    /// Per slot, `empty` or the high half of the key's hash over its row index + 1, so a probe
    /// passes other keys without reading their rows; the count is zero or a power of two, at
    /// most 80 % full.
    private var slots: [UInt64] = []

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

    /// Whether `job` was ever charged, without building its record.
    public func contains(_ job: String) -> Bool {
        Self.withBytes(job) { key in find(key).row != nil }
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

    /// The fewest slots that keep `count` jobs at most 80 % full (probes past other keys are
    /// cheap: their fingerprints sit in the slots).
    private static func slotCount(for count: Int) -> Int {
        var slots = 8
        while slots * 8 < count * 10 { slots *= 2 }
        return slots
    }

    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(key))
        return hasher.finalize()
    }

    /// Whether two job ids are the same bytes.
    private static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var index = 0
        while index < a.count {
            if a[index] != b[index] { return false }
            index += 1
        }
        return true
    }

    /// The high half of a hash, where a slot keeps it.
    private static func fingerprint(_ hash: Int) -> UInt64 { UInt64(UInt(bitPattern: hash)) & 0xFFFF_FFFF_0000_0000 }

    /// What a slot holds for the key with `hash` at `row`.
    private static func slotEntry(hash: Int, row: Int) -> UInt64 {
        precondition(row < Int(UInt32.max), "more than 4 billion jobs in one workspace")
        return fingerprint(hash) | UInt64(row + 1)
    }

    /// The slot holding `key` (its row), or the free slot where it would go.
    private func find(_ key: UnsafeBufferPointer<UInt8>) -> (slot: Int, row: Int?) {
        find(key, hash: Self.hash(key))
    }

    /// `find`, given the key's `hash` (so a store hashes its key once).
    private func find(_ key: UnsafeBufferPointer<UInt8>, hash: Int) -> (slot: Int, row: Int?) {
        guard !slots.isEmpty else { return (0, nil) }
        let mask = slots.count - 1
        let fingerprint = Self.fingerprint(hash)
        var slot = hash & mask
        return keyBytes.withUnsafeBufferPointer { stored in
            while true {
                let entry = slots[slot]
                if entry == Self.empty { return (slot, nil) }
                if entry & 0xFFFF_FFFF_0000_0000 == fingerprint {
                    let row = Int(entry & 0xFFFF_FFFF) - 1
                    let range = keyRange(row)
                    if Self.same(UnsafeBufferPointer(rebasing: stored[range]), key) { return (slot, row) }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private mutating func store(_ record: JobRecord, key: UnsafeBufferPointer<UInt8>) {
        let hash = Self.hash(key)
        var found = find(key, hash: hash)
        if let row = found.row {
            rows[row] = makeRow(record, keyStart: rows[row].keyStart)
            return
        }
        if Self.slotCount(for: rows.count + 1) > slots.count {
            rehash(slotCount: Self.slotCount(for: rows.count + 1))
            found = find(key, hash: hash)
        }
        precondition(keyBytes.count + key.count <= Int(UInt32.max), "job ids of one workspace exceed 4 GB")
        let start = UInt32(keyBytes.count)
        Self.grow(&keyBytes, by: key.count)
        keyBytes.append(contentsOf: key)
        Self.grow(&rows, by: 1)
        rows.append(makeRow(record, keyStart: start))
        slots[found.slot] = Self.slotEntry(hash: hash, row: rows.count - 1)
    }

    /// Forgets one job by rebuilding the table without it (rare: the rules never forget a job).
    private mutating func remove(_ key: UnsafeBufferPointer<UInt8>) {
        guard let removed = find(key).row else { return }
        var kept = JobTable()
        for index in rows.indices where index != removed { kept[self.key(at: index)] = record(at: index) }
        self = kept
    }

    private mutating func rehash(slotCount: Int) {
        slots = [UInt64](repeating: Self.empty, count: slotCount)
        let mask = slotCount - 1
        keyBytes.withUnsafeBufferPointer { stored in
            for index in rows.indices {
                let hash = Self.hash(UnsafeBufferPointer(rebasing: stored[keyRange(index)]))
                var slot = hash & mask
                while slots[slot] != Self.empty { slot = (slot + 1) & mask }
                slots[slot] = Self.slotEntry(hash: hash, row: index)
            }
        }
    }

    /// Grows `array` by half its size when `extra` more elements would not fit, rather than
    /// doubling it: a ledger holds thousands of these arrays, so their slack adds up.
    private static func grow<Element>(_ array: inout [Element], by extra: Int) {
        let needed = array.count + extra
        guard needed > array.capacity else { return }
        array.reserveCapacity(Swift.max(needed, 8, array.count + array.count / 2))
    }

    /// The bytes of row `index`'s job id in `keyBytes`.
    private func keyRange(_ index: Int) -> Range<Int> {
        let end = index + 1 < rows.count ? Int(rows[index + 1].keyStart) : keyBytes.count
        return Int(rows[index].keyStart)..<end
    }

    private mutating func makeRow(_ record: JobRecord, keyStart: UInt32) -> Row {
        Row(chargeSeq: record.chargeSeq, refundSeq: record.refundSeq ?? Self.noRefund, keyStart: keyStart,
            charged: intern(Charge(action: record.action, credits: record.credits)))
    }

    /// The index of `charge` among the few (action, credits) pairs this workspace's jobs name.
    private mutating func intern(_ charge: Charge) -> UInt32 {
        if let index = charges.firstIndex(of: charge) { return UInt32(index) }
        precondition(charges.count < Int(UInt32.max), "too many distinct charges in one workspace")
        charges.append(charge)
        return UInt32(charges.count - 1)
    }

    private func key(at index: Int) -> String {
        String(decoding: keyBytes[keyRange(index)], as: UTF8.self)
    }

    private func record(at index: Int) -> JobRecord {
        let row = rows[index]
        let charge = charges[Int(row.charged)]
        return JobRecord(chargeSeq: row.chargeSeq, action: charge.action, credits: charge.credits,
                         refundSeq: row.refundSeq == Self.noRefund ? nil : row.refundSeq)
    }
}
