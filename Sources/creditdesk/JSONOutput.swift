import CreditKit
import LedgerCore
import LedgerStore

/// A JSON value with keys kept in the order they were added, so output reads like the contract.
/// It has no null: an absent key is left out, never written as null (CONTRACT.md).
enum JSONValue {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case object([(String, JSONValue)])
    case array([JSONValue])

    /// Compact JSON text.
    var text: String {
        var out: [UInt8] = []
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the compact JSON text to `out`: one buffer for a whole list, no string per value.
    func write(to out: inout [UInt8]) {
        switch self {
        case .string(let value): JSONString.append(value, escapingSteering: true, to: &out)
        case .int(let value): out.append(contentsOf: String(value).utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .object(let pairs):
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in pairs.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONString.append(key, escapingSteering: true, to: &out)
                out.append(UInt8(ascii: ":"))
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }
}

/// Builds a JSON object key by key, skipping absent optionals.
struct JSONObjectBuilder {
    private(set) var pairs: [(String, JSONValue)] = []

    mutating func add(_ key: String, _ value: String?) { if let value { pairs.append((key, .string(value))) } }
    mutating func add(_ key: String, _ value: Int64?) { if let value { pairs.append((key, .int(value))) } }
    mutating func add(_ key: String, _ value: Int) { pairs.append((key, .int(Int64(value)))) }
    mutating func add(_ key: String, _ value: Bool) { pairs.append((key, .bool(value))) }
    mutating func add(_ key: String, _ value: JSONValue) { pairs.append((key, value)) }
    mutating func add(_ key: String, _ value: JournalValue?) {
        switch value {
        case .text(let text)?: add(key, text)
        case .integer(let number)?: add(key, number)
        case nil: break
        }
    }

    var value: JSONValue { .object(pairs) }
}

/// The JSON shapes of the contract (CONTRACT.md, "Output").
enum ContractJSON {
    /// A history line: `seq`, `time`, `kind`, `credits`, `balance`, `actor`, and its reference;
    /// `pending` for an expiry that is due but not yet written (S3): the next write records it.
    static func entry(_ entry: Entry) -> JSONValue { self.entry(entry, pending: false) }

    static func entry(_ entry: Entry, pending: Bool) -> JSONValue {
        var object = JSONObjectBuilder()
        for key in historyKeys { object.add(name(of: key), key == .reason ? reason(of: entry) : key.value(in: entry)) }
        if pending { object.add("pending", true) }
        return object.value
    }

    /// The journal keys a history line shows, in the contract's order.
    private static let historyKeys: [JournalKey] = [
        .seq, .time, .kind, .ws, .credits, .balance, .actor, .by, .action, .job, .item, .pack, .priceCents, .invoice, .plan,
        .source, .expires, .ref, .reverses, .onBehalfOf, .payment, .request, .alert, .messages, .member, .name, .role, .status,
        .rollover, .reason, .hash,
    ]

    /// A journal key as the contract names it: `ws` is `workspace`; every other key as the journal spells it.
    private static func name(of key: JournalKey) -> String { key == .ws ? "workspace" : key.rawValue }

    /// CONTRACT.md: every history entry names what caused it (job, item, pack, invoice or reason);
    /// an expiry records only the grant it expires (`ref`), so say it in words as well.
    private static func reason(of entry: Entry) -> JournalValue? {
        (entry.reason ?? (entry.kind == .expiry ? expiryReason(entry) : nil)).map(JournalValue.text)
    }

    /// `credits of entry #12 expired on 2026-02-01`, as the history table says it (`Entry.expiryText`).
    private static func expiryReason(_ entry: Entry) -> String { entry.expiryText }

    /// `balance --json`.
    static func balance(_ ws: WorkspaceState, state: LedgerState, now: Timestamp) -> JSONValue {
        let catalog = state.catalog
        var object = JSONObjectBuilder()
        object.add("workspace", ws.id)
        object.add("name", ws.name)
        object.add("plan", ws.plan)
        object.add("status", ws.status.rawValue)
        object.add("balance", ws.balance)
        object.add("earned", ws.earned)
        object.add("spent", ws.spent)
        object.add("badge", state.badge(for: ws.available).rawValue)
        object.add("held", ws.held)
        object.add("available", ws.available)
        object.add("owner", ws.owner)
        object.add("members", .array(ws.members.map { .string($0) }))
        object.add("next_grant", ws.status == .active ? catalog.plan(ws.plan)?.monthlyGrant : 0)
        object.add("alert_low", ws.alerts.lowArmed ? "armed" : (ws.alerts.lastLowSent == nil ? "disarmed" : "sent"))
        object.add("alert_empty", ws.alerts.emptyArmed ? "armed" : (ws.alerts.lastEmptySent == nil ? "disarmed" : "sent"))
        object.add("copilot_used", ws.copilotUsed)
        object.add("copilot_allowance", catalog.plan(ws.plan)?.copilotMessages)
        if let warnDays = catalog.expiry?.warnDays, let soon = ws.expiringSoon(after: now, withinDays: warnDays) {
            object.add("expiring_credits", soon.credits)
            object.add("expiring_at", soon.first.iso8601)
        }
        object.add("last_activity", ws.lastActivity.iso8601)
        object.add("last_charge", ws.lastCharge?.iso8601)
        return object.value
    }

    /// One row of `workspace list --json`, written straight into `json`.
    static func writeWorkspaceRow(_ ws: WorkspaceSummary, state: LedgerState, to object: inout JSONTextWriter) {
        writeWorkspaceRow(figures: ws, state: state, to: &object) { object in
            object.add("workspace", ws.id)
            object.add("name", ws.name)
            object.add("owner", ws.owner)
            object.add("plan", ws.plan)
        }
    }

    /// `writeWorkspaceRow` for a row read in place from `rows` (`FileLedger.summaryRows`): the
    /// same keys and text, its texts copied from their checked bytes.
    static func writeWorkspaceRow(_ row: SummaryRow, of rows: SummaryRows, state: LedgerState, to object: inout JSONTextWriter) {
        let buffer = rows.buffer(of: row)
        writeWorkspaceRow(figures: row, state: state, to: &object) { object in
            object.add("workspace", text: row.id, of: buffer)
            object.add("name", text: row.name, of: buffer)
            object.add("owner", text: row.owner, of: buffer)
            object.add("plan", text: row.plan, of: buffer)
        }
    }

    /// A row of `workspace list --json` in the contract's key order: `texts` writes the
    /// workspace, name, owner and plan, then the status and figures follow. Inlined: it is the
    /// list's inner loop, and as a call it cost the list about 0.7 ms of 18 at 10,000 rows.
    @inline(__always)
    private static func writeWorkspaceRow(figures: some WorkspaceRowFigures, state: LedgerState, to object: inout JSONTextWriter,
                                          texts: (inout JSONTextWriter) -> Void) {
        object.beginObject()
        texts(&object)
        object.add("status", figures.status.rawValue)
        object.add("balance", figures.balance)
        object.add("badge", state.badge(for: figures.available).rawValue)
        object.add("earned", figures.earned)
        object.add("spent", figures.spent)
        object.add("held", figures.held)
        object.add("available", figures.available)
        object.add("members", figures.memberCount)
        object.add("last_activity", figures.lastActivity)
        object.add("last_charge", figures.lastCharge)
        object.endObject()
    }
}

/// What a row of `workspace list --json` prints after its texts, from a summary or from a row
/// read in place: credits (R21, R35), the member count and the times of last use.
protocol WorkspaceRowFigures {
    var status: WorkspaceStatus { get }
    var balance: Credits { get }
    var earned: Credits { get }
    var spent: Credits { get }
    var held: Credits { get }
    var available: Credits { get }
    var memberCount: Int { get }
    var lastActivity: Timestamp { get }
    var lastCharge: Timestamp? { get }
}

extension SummaryRow: WorkspaceRowFigures {}

extension WorkspaceSummary: WorkspaceRowFigures {
    var memberCount: Int { members.count }
}

/// Writes JSON text straight into bytes: arrays of flat objects, key by key, absent optionals
/// left out. The text is `JSONValue`'s for the same keys and values, without a value per key:
/// how a list of a hundred thousand rows is written.
struct JSONTextWriter {
    /// The text written so far, UTF-8.
    private(set) var bytes: [UInt8] = []
    /// Whether the next key or element needs a comma before it.
    private var needsComma = false

    /// Room reserved per row of `workspace list --json`: a little more than a usual row (about 290 bytes).
    static let workspaceRowBytes = 320

    /// A writer with room for `capacity` bytes, so a long list is not copied as it grows.
    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// `[`: an array's elements follow.
    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// `]`.
    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// `{`: an object's keys follow.
    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// `}`.
    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func add(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        self.key(key)
        JSONString.append(value, escapingSteering: true, to: &bytes)
    }

    /// The text at `range` of `buffer`, checked UTF-8 (`SummaryRow`): copied as it is when it is
    /// plain ASCII, else written as `JSONString.append` writes the same text.
    mutating func add(_ key: StaticString, text range: Range<Int>, of buffer: [UInt8]) {
        self.key(key)
        buffer.withUnsafeBufferPointer { whole in
            let text = UnsafeBufferPointer(rebasing: whole[range])
            if Self.isPlain(text) {
                bytes.append(UInt8(ascii: "\""))
                bytes.append(contentsOf: text)
                bytes.append(UInt8(ascii: "\""))
            } else {
                JSONString.append(String(decoding: text, as: UTF8.self), escapingSteering: true, to: &bytes)
            }
        }
    }

    /// A number in decimal, digit by digit (no String made for it).
    mutating func add(_ key: StaticString, _ value: Int64?) {
        guard let value else { return }
        self.key(key)
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    mutating func add(_ key: StaticString, _ value: Int) { add(key, Int64(value)) }

    /// A time as its ISO 8601 text in UTC, the contract's form for times.
    mutating func add(_ key: StaticString, _ value: Timestamp?) {
        guard let value else { return }
        self.key(key)
        bytes.append(UInt8(ascii: "\""))
        value.appendISO8601(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A key: its bytes as they are when plain ASCII (every key the contract names), else escaped.
    private mutating func key(_ name: StaticString) {
        separate()
        if name.hasPointerRepresentation, case let text = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount),
           Self.isPlain(text) {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: text)
            bytes.append(UInt8(ascii: "\""))
        } else {
            JSONString.append(name.description, escapingSteering: true, to: &bytes)
        }
        bytes.append(UInt8(ascii: ":"))
        needsComma = true
    }

    /// Whether `text` is printable ASCII with no quote or backslash: its JSON string is itself, quoted.
    private static func isPlain(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        text.allSatisfy { $0 >= 32 && $0 < 127 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }
}
