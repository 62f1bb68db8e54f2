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
        out.append(contentsOf: Array("{\"v\":\(version),\"seq\":\(entry.seq),\"time\":\"\(entry.time.iso8601)\",\"kind\":\"\(entry.kind.rawValue)\"".utf8))
        func string(_ key: String, _ value: String?) {
            guard let value else { return }
            out.append(contentsOf: Array(",\"\(key)\":".utf8))
            JSONText.appendString(value, to: &out)
        }
        func integer(_ key: String, _ value: Int64?) {
            guard let value else { return }
            out.append(contentsOf: Array(",\"\(key)\":\(value)".utf8))
        }
        string("actor", entry.actor)
        string("ws", entry.workspace)
        if entry.kind.movesCredits || entry.credits != 0 { integer("credits", entry.credits) }
        integer("balance", entry.balance)
        string("action", entry.action)
        string("job", entry.job)
        string("item", entry.item)
        string("pack", entry.pack)
        integer("price_cents", entry.priceCents)
        string("invoice", entry.invoice)
        string("plan", entry.plan)
        string("source", entry.source?.rawValue)
        string("expires", entry.expires?.iso8601)
        integer("ref", entry.ref)
        string("name", entry.name)
        string("owner", entry.owner)
        string("member", entry.member)
        string("role", entry.role)
        string("status", entry.status?.rawValue)
        integer("messages", entry.messages)
        string("alert", entry.alert?.rawValue)
        string("on_behalf_of", entry.onBehalfOf)
        string("catalog", entry.catalog)
        string("catalog_sha256", entry.catalogHash)
        string("reason", entry.reason)
        if more { out.append(contentsOf: Array(",\"more\":true".utf8)) }
        string("prev", prev)
        let hash = SHA256Hex.digest(out)
        out.append(contentsOf: Array(",\"hash\":\"\(hash)\"}".utf8))
        return (out, hash)
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
            try parser.parse { key, value in try fields.take(key, value) }
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

    mutating func take(_ key: String, _ value: FlatValue) throws(JournalFormat.LineProblem) {
        switch key {
        case "v": try mark(0, key); version = try integer(key, value)
        case "seq": try mark(1, key); entry.seq = try integer(key, value); hasSeq = true
        case "time":
            try mark(2, key)
            guard let parsed = Timestamp(iso8601: try string(key, value)) else { throw .badValue(key) }
            entry.time = parsed; hasTime = true
        case "kind":
            try mark(3, key)
            guard let parsed = EntryKind(rawValue: try string(key, value)) else { throw .badValue(key) }
            entry.kind = parsed; hasKind = true
        case "actor": try mark(4, key); entry.actor = try string(key, value); hasActor = true
        case "prev": try mark(5, key); prev = try string(key, value)
        case "hash": try mark(6, key); hash = try string(key, value)
        case "more":
            try mark(7, key)
            guard case .bool(let flag) = value else { throw .badValue(key) }
            more = flag
        case "ws": try mark(8, key); entry.workspace = try string(key, value)
        case "credits": try mark(9, key); entry.credits = try integer(key, value)
        case "balance": try mark(10, key); entry.balance = try integer(key, value)
        case "action": try mark(11, key); entry.action = try string(key, value)
        case "job": try mark(12, key); entry.job = try string(key, value)
        case "item": try mark(13, key); entry.item = try string(key, value)
        case "pack": try mark(14, key); entry.pack = try string(key, value)
        case "price_cents": try mark(15, key); entry.priceCents = try integer(key, value)
        case "invoice": try mark(16, key); entry.invoice = try string(key, value)
        case "plan": try mark(17, key); entry.plan = try string(key, value)
        case "source":
            try mark(18, key)
            guard let source = GrantSource(rawValue: try string(key, value)) else { throw .badValue(key) }
            entry.source = source
        case "expires":
            try mark(19, key)
            guard let expires = Timestamp(iso8601: try string(key, value)) else { throw .badValue(key) }
            entry.expires = expires
        case "ref": try mark(20, key); entry.ref = try integer(key, value)
        case "name": try mark(21, key); entry.name = try string(key, value)
        case "owner": try mark(22, key); entry.owner = try string(key, value)
        case "member": try mark(23, key); entry.member = try string(key, value)
        case "role": try mark(24, key); entry.role = try string(key, value)
        case "status":
            try mark(25, key)
            guard let status = WorkspaceStatus(rawValue: try string(key, value)) else { throw .badValue(key) }
            entry.status = status
        case "messages": try mark(26, key); entry.messages = try integer(key, value)
        case "alert":
            try mark(27, key)
            guard let alert = AlertKind(rawValue: try string(key, value)) else { throw .badValue(key) }
            entry.alert = alert
        case "on_behalf_of": try mark(28, key); entry.onBehalfOf = try string(key, value)
        case "catalog": try mark(29, key); entry.catalog = try string(key, value)
        case "catalog_sha256": try mark(30, key); entry.catalogHash = try string(key, value)
        case "reason": try mark(31, key); entry.reason = try string(key, value)
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
