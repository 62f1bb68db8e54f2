import CreditKit

/// A JSON value with keys kept in the order they were added, so output reads like the contract.
enum JSONValue {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case null
    case object([(String, JSONValue)])
    case array([JSONValue])

    /// Compact JSON text.
    var text: String {
        switch self {
        case .string(let value): return jsonQuoted(value)
        case .int(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .object(let pairs):
            return "{" + pairs.map { jsonQuoted($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
        case .array(let items):
            return "[" + items.map(\.text).joined(separator: ",") + "]"
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

    var value: JSONValue { .object(pairs) }
}

/// `text` as a JSON string: every character that steers a terminal (`FreeText.isSteering`: C0,
/// C1, line separators, bidi controls) is a `\u` escape, so `jq` output never carries one raw.
func jsonQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if FreeText.isSteering(scalar) {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// The JSON shapes of the contract (CONTRACT.md, "Output").
enum ContractJSON {
    /// A history line: `seq`, `time`, `kind`, `credits`, `balance`, `actor`, and its reference;
    /// `pending` for an expiry that is due but not yet written (S3): the next write records it.
    static func entry(_ entry: Entry) -> JSONValue { self.entry(entry, pending: false) }

    static func entry(_ entry: Entry, pending: Bool) -> JSONValue {
        var object = JSONObjectBuilder()
        object.add("seq", entry.seq)
        object.add("time", entry.time.iso8601)
        object.add("kind", entry.kind.rawValue)
        object.add("workspace", entry.workspace)
        object.add("credits", entry.credits)
        object.add("balance", entry.balance)
        object.add("actor", entry.actor)
        object.add("action", entry.action)
        object.add("job", entry.job)
        object.add("item", entry.item)
        object.add("pack", entry.pack)
        object.add("price_cents", entry.priceCents)
        object.add("invoice", entry.invoice)
        object.add("plan", entry.plan)
        object.add("source", entry.source?.rawValue)
        object.add("expires", entry.expires?.iso8601)
        object.add("ref", entry.ref)
        object.add("reverses", entry.reverses)
        object.add("on_behalf_of", entry.onBehalfOf)
        object.add("payment", entry.payment)
        object.add("request", entry.request)
        object.add("alert", entry.alert?.rawValue)
        object.add("messages", entry.messages)
        object.add("member", entry.member)
        object.add("status", entry.status?.rawValue)
        // CONTRACT.md: every history entry names what caused it (job, item, pack, invoice or reason);
        // an expiry records only the grant it expires (`ref`), so say it in words as well.
        object.add("reason", entry.reason ?? (entry.kind == .expiry ? expiryReason(entry) : nil))
        object.add("hash", entry.hash.isEmpty ? nil : entry.hash)
        if pending { object.add("pending", true) }
        return object.value
    }

    /// `credits of entry #12 expired on 2026-02-01`, as the history table says it.
    private static func expiryReason(_ entry: Entry) -> String {
        "credits of entry #\(entry.ref ?? 0) expired" + (entry.expires.map { " on \($0.isoDate)" } ?? "")
    }

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
        object.add("badge", state.badge(for: ws.balance).rawValue)
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

    /// One row of `workspace list --json`.
    static func workspaceRow(_ ws: WorkspaceSummary, state: LedgerState) -> JSONValue {
        var object = JSONObjectBuilder()
        object.add("workspace", ws.id)
        object.add("name", ws.name)
        object.add("owner", ws.owner)
        object.add("plan", ws.plan)
        object.add("status", ws.status.rawValue)
        object.add("balance", ws.balance)
        object.add("badge", state.badge(for: ws.balance).rawValue)
        object.add("earned", ws.earned)
        object.add("spent", ws.spent)
        object.add("members", ws.members.count)
        object.add("last_activity", ws.lastActivity.iso8601)
        object.add("last_charge", ws.lastCharge?.iso8601)
        return object.value
    }
}
