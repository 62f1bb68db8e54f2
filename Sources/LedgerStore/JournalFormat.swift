#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CreditKit

/// The journal's line format: one flat JSON object per record, keys in a fixed order, ending
/// in the previous record's hash and this record's own SHA-256:
///
///     {"v":1,"seq":7,"time":"…","kind":"charge",…,"prev":"<64 hex>","hash":"<64 hex>"}
///
/// `hash` is the SHA-256 of every byte of the line before `,"hash":`, so it is both the record's
/// checksum and, through the next record's `prev`, a link in the chain.
public enum JournalFormat {
    /// The record format this build writes and reads; a journal with a higher one is refused.
    public static let version: Int64 = 1
    /// The `prev` of the first record.
    public static let genesisHash = String(repeating: "0", count: 64)
    /// The longest record line accepted.
    public static let lineLengthMax = 16_384
    /// `,"hash":"` + 64 hex digits + `"}`: the fixed tail of every line.
    static let hashSuffixLength = 9 + 64 + 2

    /// The line for `entry` (without newline), chained after `prev`, and its hash.
    /// `more` marks a record that is not the last of its commit.
    static func encode(_ entry: Entry, prev: String, more: Bool) -> (line: [UInt8], hash: String) {
        var out: [UInt8] = []
        out.reserveCapacity(320)
        let hash = append(entry, prev: prev, more: more, to: &out)
        return (out, hash)
    }

    /// Appends the line for `entry` (without newline) to `out` and returns its hash: a batch
    /// encodes straight into its write buffer, with no array per record.
    static func append(_ entry: Entry, prev: String, more: Bool, to out: inout [UInt8]) -> String {
        let start = out.count
        out.append(contentsOf: "{\"v\":".utf8)
        appendInteger(version, to: &out)
        out.append(contentsOf: ",\"seq\":".utf8)
        appendInteger(entry.seq, to: &out)
        out.append(contentsOf: ",\"time\":\"".utf8)
        appendTime(entry.time, to: &out)
        out.append(contentsOf: "\",\"kind\":\"".utf8)
        out.append(contentsOf: entry.kind.rawValue.utf8)
        out.append(34)
        appendFields(entry, to: &out)
        if more { out.append(contentsOf: ",\"more\":true".utf8) }
        appendString("prev", prev, to: &out)
        let hash = out.withUnsafeBufferPointer { SHA256Hex.digest(UnsafeBufferPointer(rebasing: $0[start...])) }
        out.append(contentsOf: ",\"hash\":\"".utf8)
        out.append(contentsOf: hash.utf8)
        out.append(contentsOf: "\"}".utf8)
        return hash
    }

    /// The optional fields of a record, in the journal's fixed key order.
    private static func appendFields(_ entry: Entry, to out: inout [UInt8]) {
        appendString("actor", entry.actor, to: &out)
        appendString("ws", entry.workspace, to: &out)
        if entry.kind.movesCredits || entry.credits != 0 { appendInteger("credits", entry.credits, to: &out) }
        appendInteger("balance", entry.balance, to: &out)
        appendString("action", entry.action, to: &out)
        appendString("job", entry.job, to: &out)
        appendString("item", entry.item, to: &out)
        appendString("pack", entry.pack, to: &out)
        appendInteger("price_cents", entry.priceCents, to: &out)
        appendString("invoice", entry.invoice, to: &out)
        appendString("plan", entry.plan, to: &out)
        appendString("source", entry.source?.rawValue, to: &out)
        appendString("expires", entry.expires?.iso8601, to: &out)
        appendInteger("ref", entry.ref, to: &out)
        appendInteger("reverses", entry.reverses, to: &out)
        appendString("name", entry.name, to: &out)
        appendString("owner", entry.owner, to: &out)
        appendString("member", entry.member, to: &out)
        appendString("role", entry.role, to: &out)
        appendString("status", entry.status?.rawValue, to: &out)
        appendInteger("messages", entry.messages, to: &out)
        appendString("alert", entry.alert?.rawValue, to: &out)
        appendString("on_behalf_of", entry.onBehalfOf, to: &out)
        appendString("catalog", entry.catalog, to: &out)
        appendString("catalog_sha256", entry.catalogHash, to: &out)
        appendString("clock", entry.clock?.rawValue, to: &out)
        appendString("reason", entry.reason, to: &out)
        appendString("payment", entry.payment, to: &out)
        appendString("request", entry.request, to: &out)
    }

    /// `,"key":` then `value` as a JSON string; nothing for nil.
    private static func appendString(_ key: StaticString, _ value: String?, to out: inout [UInt8]) {
        guard let value else { return }
        appendKey(key, to: &out)
        JSONText.appendString(value, to: &out)
    }

    /// `,"key":` then `value` in decimal; nothing for nil.
    private static func appendInteger(_ key: StaticString, _ value: Int64?, to out: inout [UInt8]) {
        guard let value else { return }
        appendKey(key, to: &out)
        appendInteger(value, to: &out)
    }

    private static func appendKey(_ key: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: ",\"".utf8)
        key.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: "\":".utf8)
    }

    /// `value` in decimal, as `"\(value)"` writes it.
    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(45) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        repeat {
            withUnsafeMutableBytes(of: &digits) { $0[count] = UInt8(48 + magnitude % 10) }
            magnitude /= 10
            count += 1
        } while magnitude > 0
        withUnsafeBytes(of: &digits) { raw in
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(raw[index]) }
        }
    }

    /// `time` as `Timestamp.iso8601` writes it, without building a string for a usual year.
    static func appendTime(_ time: Timestamp, to out: inout [UInt8]) {
        let parts = time.civil
        guard (1000...9999).contains(parts.year) else { out.append(contentsOf: time.iso8601.utf8); return }
        func two(_ value: Int64) { out.append(UInt8(48 + value / 10)); out.append(UInt8(48 + value % 10)) }
        two(parts.year / 100); two(parts.year % 100); out.append(45)
        two(parts.month); out.append(45); two(parts.day); out.append(84)
        two(parts.hour); out.append(58); two(parts.minute); out.append(58); two(parts.second); out.append(90)
    }

    /// A record read back: the entry, the hash it names before it, and whether its commit goes on.
    struct DecodedRecord: Sendable {
        var entry: Entry
        var prev: String
        var more: Bool
    }

    /// Why a line is not a good record.
    enum LineProblem: Error, Equatable, CustomStringConvertible {
        case tooLong(Int)
        case syntax(String)
        case newerFormat(Int64)
        case missing(String)
        case badValue(String)
        case unknownKey(String)
        case duplicateKey(String)
        case checksumMismatch

        var description: String {
            switch self {
            case .tooLong(let length): return "the line is \(length) bytes, longer than \(JournalFormat.lineLengthMax)"
            case .syntax(let why): return "it is not a journal record (\(why))"
            case .newerFormat(let version): return "it is written in record format \(version), newer than this build reads (\(JournalFormat.version)); upgrade creditdesk"
            case .missing(let key): return "it lacks \"\(key)\""
            case .badValue(let key): return "its \"\(key)\" has a value of the wrong kind"
            case .unknownKey(let key): return "it has a key this format does not define: \"\(key)\""
            case .duplicateKey(let key): return "it gives \"\(key)\" twice"
            case .checksumMismatch: return "its contents do not match its checksum (edited or damaged)"
            }
        }
    }

    /// Decodes one line (without newline) and checks it against its own hash.
    static func decode(_ line: UnsafeBufferPointer<UInt8>, checkHash: Bool = true) throws(LineProblem) -> DecodedRecord {
        guard line.count <= lineLengthMax else { throw .tooLong(line.count) }
        var fields = RecordFields()
        var parser = FlatJSONParser(line)
        do {
            try parser.parseKeyBytes { key, value in try fields.take(key, value) }
        } catch let problem as LineProblem {
            throw problem
        } catch {
            throw .syntax("\(error)")
        }
        guard let version = fields.version else { throw .missing("v") }
        guard version <= JournalFormat.version else { throw .newerFormat(version) }
        guard let hash = fields.hash, let prev = fields.prev else { throw .missing(fields.hash == nil ? "hash" : "prev") }
        if checkHash {
            let suffixStart = line.count - hashSuffixLength
            guard suffixStart > 0 else { throw .checksumMismatch }
            let hashed = UnsafeBufferPointer(rebasing: line[0..<suffixStart])
            guard SHA256Hex.digest(hashed) == hash else { throw .checksumMismatch }
        }
        var entry = try fields.finished()
        entry.hash = hash
        return DecodedRecord(entry: entry, prev: prev, more: fields.more)
    }
}

/// Collects the keys of one record while it is parsed, straight into the entry they describe.
private struct RecordFields {
    var version: Int64?
    var prev: String?
    var hash: String?
    var more = false
    var entry = Entry(seq: 0, time: Timestamp(secondsSinceEpoch: 0), kind: .charge, actor: "")
    var hasSeq = false, hasTime = false, hasKind = false, hasActor = false
    /// One bit per key already read: a key given twice is refused, never silently overwritten.
    var seen: UInt64 = 0

    mutating func mark(_ bit: Int, _ key: String) throws(JournalFormat.LineProblem) {
        guard seen & (1 << UInt64(bit)) == 0 else { throw .duplicateKey(key) }
        seen |= 1 << UInt64(bit)
    }

    /// Every key a record may hold; a key's index is its bit in `seen`.
    static let keys = ["v", "seq", "time", "kind", "actor", "prev", "hash", "more", "ws", "credits", "balance", "action",
                       "job", "item", "pack", "price_cents", "invoice", "plan", "source", "expires", "ref", "name", "owner",
                       "member", "role", "status", "messages", "alert", "on_behalf_of", "catalog", "catalog_sha256", "reason",
                       "clock", "payment", "request", "reverses"]
    private static let keyBytes = keys.map { Array($0.utf8) }

    /// The index of the key spelled by `bytes`, compared without building a string.
    static func keyIndex(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress, let first = bytes.first else { return nil }
        for (index, key) in keyBytes.enumerated() where key.count == bytes.count && key[0] == first {
            if key.withUnsafeBufferPointer({ memcmp($0.baseAddress!, base, bytes.count) == 0 }) { return index }
        }
        return nil
    }

    mutating func take(_ keyBytes: UnsafeBufferPointer<UInt8>, _ value: FlatValue) throws(JournalFormat.LineProblem) {
        guard let index = Self.keyIndex(keyBytes) else { throw .unknownKey(String(decoding: keyBytes, as: UTF8.self)) }
        let key = Self.keys[index]
        switch index {
        case 0: try mark(0, key); version = try integer(key, value)
        case 1: try mark(1, key); entry.seq = try integer(key, value); hasSeq = true
        case 2:
            try mark(2, key)
            guard let parsed = Timestamp(iso8601: try string(key, value)) else { throw .badValue(key) }
            entry.time = parsed; hasTime = true
        case 3:
            try mark(3, key)
            guard let parsed = EntryKind(rawValue: try string(key, value)) else { throw .badValue(key) }
            entry.kind = parsed; hasKind = true
        case 4: try mark(4, key); entry.actor = try string(key, value); hasActor = true
        case 5: try mark(5, key); prev = try string(key, value)
        case 6: try mark(6, key); hash = try string(key, value)
        case 7:
            try mark(7, key)
            guard case .bool(let flag) = value else { throw .badValue(key) }
            more = flag
        case 8: try mark(8, key); entry.workspace = try string(key, value)
        case 9: try mark(9, key); entry.credits = try integer(key, value)
        case 10: try mark(10, key); entry.balance = try integer(key, value)
        case 11: try mark(11, key); entry.action = try string(key, value)
        case 12: try mark(12, key); entry.job = try string(key, value)
        case 13: try mark(13, key); entry.item = try string(key, value)
        case 14: try mark(14, key); entry.pack = try string(key, value)
        case 15: try mark(15, key); entry.priceCents = try integer(key, value)
        case 16: try mark(16, key); entry.invoice = try string(key, value)
        case 17: try mark(17, key); entry.plan = try string(key, value)
        case 18:
            try mark(18, key)
            guard let source = GrantSource(rawValue: try string(key, value)) else { throw .badValue(key) }
            entry.source = source
        case 19:
            try mark(19, key)
            guard let expires = Timestamp(iso8601: try string(key, value)) else { throw .badValue(key) }
            entry.expires = expires
        case 20: try mark(20, key); entry.ref = try integer(key, value)
        case 21: try mark(21, key); entry.name = try string(key, value)
        case 22: try mark(22, key); entry.owner = try string(key, value)
        case 23: try mark(23, key); entry.member = try string(key, value)
        case 24: try mark(24, key); entry.role = try string(key, value)
        case 25:
            try mark(25, key)
            guard let status = WorkspaceStatus(rawValue: try string(key, value)) else { throw .badValue(key) }
            entry.status = status
        case 26: try mark(26, key); entry.messages = try integer(key, value)
        case 27:
            try mark(27, key)
            guard let alert = AlertKind(rawValue: try string(key, value)) else { throw .badValue(key) }
            entry.alert = alert
        case 28: try mark(28, key); entry.onBehalfOf = try string(key, value)
        case 29: try mark(29, key); entry.catalog = try string(key, value)
        case 30: try mark(30, key); entry.catalogHash = try string(key, value)
        case 31: try mark(31, key); entry.reason = try string(key, value)
        case 32:
            try mark(32, key)
            guard let clock = LedgerClock(rawValue: try string(key, value)) else { throw .badValue(key) }
            entry.clock = clock
        case 33: try mark(33, key); entry.payment = try string(key, value)
        case 34: try mark(34, key); entry.request = try string(key, value)
        case 35: try mark(35, key); entry.reverses = try integer(key, value)
        default: throw .unknownKey(key)
        }
    }

    func finished() throws(JournalFormat.LineProblem) -> Entry {
        guard hasSeq else { throw .missing("seq") }
        guard hasTime else { throw .missing("time") }
        guard hasKind else { throw .missing("kind") }
        guard hasActor else { throw .missing("actor") }
        return entry
    }

    private func integer(_ key: String, _ value: FlatValue) throws(JournalFormat.LineProblem) -> Int64 {
        guard case .integer(let number) = value else { throw .badValue(key) }
        return number
    }

    private func string(_ key: String, _ value: FlatValue) throws(JournalFormat.LineProblem) -> String {
        guard case .string(let text) = value else { throw .badValue(key) }
        return text
    }
}
