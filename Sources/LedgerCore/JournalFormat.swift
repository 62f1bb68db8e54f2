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
    package static let hashSuffixLength = 9 + 64 + 2

    /// The line for `entry` (without newline), chained after `prev`, and its hash.
    /// `more` marks a record that is not the last of its commit.
    package static func encode(_ entry: Entry, prev: String, more: Bool) -> (line: [UInt8], hash: String) {
        var out: [UInt8] = []
        out.reserveCapacity(320)
        let hash = append(entry, prev: prev, more: more, to: &out)
        return (out, hash)
    }

    /// Appends the line for `entry` (without newline) to `out` and returns its hash: a batch
    /// encodes straight into its write buffer, with no array per record.
    package static func append(_ entry: Entry, prev: String, more: Bool, to out: inout [UInt8]) -> String {
        let start = out.count
        out.append(123)
        appendKey(.v, first: true, to: &out)
        appendInteger(version, to: &out)
        appendKey(.seq, to: &out)
        appendInteger(entry.seq, to: &out)
        appendKey(.time, to: &out)
        out.append(34)
        appendTime(entry.time, to: &out)
        out.append(34)
        appendKey(.kind, to: &out)
        JSONString.append(entry.kind.rawValue, to: &out)
        appendFields(entry, to: &out)
        if more { appendKey(.more, to: &out); out.append(contentsOf: "true".utf8) }
        appendKey(.prev, to: &out)
        JSONString.append(prev, to: &out)
        let hash = out.withUnsafeBufferPointer { SHA256Hex.digest(UnsafeBufferPointer(rebasing: $0[start...])) }
        appendKey(.hash, to: &out)
        JSONString.append(hash, to: &out)
        out.append(125)
        return hash
    }

    /// The keys written after the head (`v`, `seq`, `time`, `kind`), in journal order.
    private static let fieldKeys = JournalKey.entryKeys.filter { $0 != .seq && $0 != .time && $0 != .kind }

    /// The fields of a record after its head, in the journal's fixed key order; an absent one is
    /// left out, and `credits` is written for a record that moves credits or has some.
    private static func appendFields(_ entry: Entry, to out: inout [UInt8]) {
        for key in fieldKeys {
            if key == .credits && !entry.kind.movesCredits && entry.credits == 0 { continue }
            guard let value = key.value(in: entry) else { continue }
            appendKey(key, to: &out)
            switch value {
            case .text(let text): JSONString.append(text, to: &out)
            case .integer(let number): appendInteger(number, to: &out)
            }
        }
    }

    /// `,"key":` (no comma for the `first`).
    private static func appendKey(_ key: JournalKey, first: Bool = false, to out: inout [UInt8]) {
        if !first { out.append(44) }
        out.append(34)
        out.append(contentsOf: key.rawValue.utf8)
        out.append(contentsOf: "\":".utf8)
    }

    /// `value` in decimal, as `"\(value)"` writes it.
    package static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
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
    package static func appendTime(_ time: Timestamp, to out: inout [UInt8]) {
        let parts = time.civil
        guard (1000...9999).contains(parts.year) else { out.append(contentsOf: time.iso8601.utf8); return }
        func two(_ value: Int64) { out.append(UInt8(48 + value / 10)); out.append(UInt8(48 + value % 10)) }
        two(parts.year / 100); two(parts.year % 100); out.append(45)
        two(parts.month); out.append(45); two(parts.day); out.append(84)
        two(parts.hour); out.append(58); two(parts.minute); out.append(58); two(parts.second); out.append(90)
    }

    /// A record read back: the entry, the hash it names before it, and whether its commit goes on.
    package struct DecodedRecord: Sendable {
        package var entry: Entry
        package var prev: String
        package var more: Bool
    }

    /// Why a line is not a good record.
    package enum LineProblem: Error, Equatable, CustomStringConvertible {
        case tooLong(Int)
        case syntax(String)
        case newerFormat(Int64)
        case missing(String)
        case badValue(String)
        case unknownKey(String)
        case duplicateKey(String)
        case checksumMismatch

        package var description: String {
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
    package static func decode(_ line: UnsafeBufferPointer<UInt8>, checkHash: Bool = true) throws(LineProblem) -> DecodedRecord {
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
            guard SHA256Hex.digest(hashed, equalsHex: hash) else { throw .checksumMismatch }
        }
        let more = fields.more
        // The fields are consumed, so the entry is moved out of them, not copied.
        var entry = try fields.finished()
        entry.hash = hash
        return DecodedRecord(entry: entry, prev: prev, more: more)
    }
}

/// Collects the keys of one record while it is parsed, straight into the entry they describe.
private struct RecordFields {
    var version: Int64?
    var prev: String?
    var hash: String?
    var more = false
    var entry = Entry(seq: 0, time: Timestamp(secondsSinceEpoch: 0), kind: .charge, actor: "")
    /// One bit per key already read: a key given twice is refused, never silently overwritten.
    var seen: UInt64 = 0

    mutating func mark(_ bit: Int, _ key: String) throws(JournalFormat.LineProblem) {
        guard seen & (1 << UInt64(bit)) == 0 else { throw .duplicateKey(key) }
        seen |= 1 << UInt64(bit)
    }

    /// Every key a record may hold; a key's index is its bit in `seen`.
    static let keys = JournalKey.allCases
    private static let keyBytes = keys.map { Array($0.rawValue.utf8) }
    /// The entry's keys every record must hold, with their bits in `seen`.
    private static let required = [JournalKey.seq, .time, .kind, .actor].map { key in
        (key.rawValue, UInt64(1) << UInt64(keys.firstIndex(of: key) ?? 0))
    }

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
        try mark(index, key.rawValue)
        switch key {
        case .v: version = try integer(key.rawValue, value)
        case .prev: prev = try string(key.rawValue, value)
        case .hash: hash = try string(key.rawValue, value)
        case .more:
            guard case .bool(let flag) = value else { throw .badValue(key.rawValue) }
            more = flag
        default:
            let field: JournalValue
            switch value {
            case .string(let text): field = .text(text)
            case .integer(let number): field = .integer(number)
            case .bool, .null: throw .badValue(key.rawValue)
            }
            guard key.set(field, in: &entry) else { throw .badValue(key.rawValue) }
        }
    }

    consuming func finished() throws(JournalFormat.LineProblem) -> Entry {
        for (key, bit) in Self.required where seen & bit == 0 { throw .missing(key) }
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
