/// The keys of a journal record, in the order the journal writes them: the one list that the
/// writer, the reader, `verify`'s rule replay and the JSON history all read. A new field is a
/// case here and a line in `value(in:)` and in `set(_:in:)`, plus its uses.
public enum JournalKey: String, CaseIterable, Sendable {
    case v, seq, time, kind, actor, ws, credits, balance, held, action, job, item, pack
    case priceCents = "price_cents"
    case invoice, plan, source, expires, ref, reverses, name, owner, member, role, status, messages, alert
    case onBehalfOf = "on_behalf_of"
    case catalog
    case catalogHash = "catalog_sha256"
    case clock, reason, payment, request
    /// Written after every older key, so a line without it is byte for byte what older versions wrote.
    case by
    /// R37: an auto top-up rule's parts (absent from every other record, so older journals read
    /// and hash the same).
    case threshold, target
    case capCents = "cap_cents"
    /// R40: a member's monthly limit.
    case limit
    /// R41: the credits a plan grant carried over.
    case rollover
    /// The line's own keys, written last: the commit goes on, the chain, the record's hash.
    case more, prev, hash

    /// Keys of the line rather than of the entry it holds: the format version, the commit flag,
    /// the chain link and the hash.
    public var isLineKey: Bool {
        switch self {
        case .v, .more, .prev, .hash: return true
        default: return false
        }
    }

    /// The keys of an entry's own fields (`seq` to the last field), in journal order.
    public static let entryKeys: [JournalKey] = allCases.filter { !$0.isLineKey }
}

/// A field's value as the journal holds it: text (times as ISO 8601, kinds by name) or a whole number.
public enum JournalValue: Hashable, Sendable {
    case text(String)
    case integer(Int64)

    /// The text, for a text value.
    public var text: String? { if case .text(let text) = self { return text } else { return nil } }
    /// The number, for a whole-number value.
    public var integer: Int64? { if case .integer(let number) = self { return number } else { return nil } }
}

extension JournalKey {
    /// The value `entry` holds under this key; nil when it has none (the line keys other than
    /// `hash` are never the entry's). `credits` is always there, as the entry always has a number.
    public func value(in entry: Entry) -> JournalValue? {
        switch self {
        case .v, .more, .prev: return nil
        case .hash: return entry.hash.isEmpty ? nil : .text(entry.hash)
        case .seq: return .integer(entry.seq)
        case .time: return .text(entry.time.iso8601)
        case .kind: return .text(entry.kind.rawValue)
        case .actor: return .text(entry.actor)
        case .ws: return entry.workspace.map(JournalValue.text)
        case .credits: return .integer(entry.credits)
        case .balance: return entry.balance.map(JournalValue.integer)
        case .held: return entry.held.map(JournalValue.integer)
        case .action: return entry.action.map(JournalValue.text)
        case .job: return entry.job.map(JournalValue.text)
        case .item: return entry.item.map(JournalValue.text)
        case .pack: return entry.pack.map(JournalValue.text)
        case .priceCents: return entry.priceCents.map(JournalValue.integer)
        case .invoice: return entry.invoice.map(JournalValue.text)
        case .plan: return entry.plan.map(JournalValue.text)
        case .source: return entry.source.map { .text($0.rawValue) }
        case .expires: return entry.expires.map { .text($0.iso8601) }
        case .ref: return entry.ref.map(JournalValue.integer)
        case .reverses: return entry.reverses.map(JournalValue.integer)
        case .name: return entry.name.map(JournalValue.text)
        case .owner: return entry.owner.map(JournalValue.text)
        case .member: return entry.member.map(JournalValue.text)
        case .role: return entry.role.map(JournalValue.text)
        case .status: return entry.status.map { .text($0.rawValue) }
        case .messages: return entry.messages.map(JournalValue.integer)
        case .alert: return entry.alert.map { .text($0.rawValue) }
        case .onBehalfOf: return entry.onBehalfOf.map(JournalValue.text)
        case .catalog: return entry.catalog.map(JournalValue.text)
        case .catalogHash: return entry.catalogHash.map(JournalValue.text)
        case .clock: return entry.clock.map { .text($0.rawValue) }
        case .reason: return entry.reason.map(JournalValue.text)
        case .payment: return entry.payment.map(JournalValue.text)
        case .request: return entry.request.map(JournalValue.text)
        case .by: return entry.by.map(JournalValue.text)
        case .threshold: return entry.threshold.map(JournalValue.integer)
        case .target: return entry.target.map(JournalValue.integer)
        case .capCents: return entry.capCents.map(JournalValue.integer)
        case .limit: return entry.limit.map(JournalValue.integer)
        case .rollover: return entry.rollover.map(JournalValue.integer)
        }
    }

    /// Sets the field of `entry` this key names from `value`, as the reader does; false when the
    /// value is of the wrong kind or not one the field takes (a time that is not ISO 8601, an
    /// unknown kind); always false for the line keys, which the reader keeps itself.
    public func set(_ value: JournalValue, in entry: inout Entry) -> Bool {
        switch self {
        case .v, .more, .prev, .hash: return false
        case .seq: return Self.assign(value.integer, to: &entry.seq)
        case .time: return Self.assign(value.text.flatMap(Timestamp.init(iso8601:)), to: &entry.time)
        case .kind: return Self.assign(value.text.flatMap(EntryKind.init(rawValue:)), to: &entry.kind)
        case .actor: return Self.assign(value.text, to: &entry.actor)
        case .ws: return Self.assign(value.text, to: &entry.workspace)
        case .credits: return Self.assign(value.integer, to: &entry.credits)
        case .balance: return Self.assign(value.integer, to: &entry.balance)
        case .held: return Self.assign(value.integer, to: &entry.held)
        case .action: return Self.assign(value.text, to: &entry.action)
        case .job: return Self.assign(value.text, to: &entry.job)
        case .item: return Self.assign(value.text, to: &entry.item)
        case .pack: return Self.assign(value.text, to: &entry.pack)
        case .priceCents: return Self.assign(value.integer, to: &entry.priceCents)
        case .invoice: return Self.assign(value.text, to: &entry.invoice)
        case .plan: return Self.assign(value.text, to: &entry.plan)
        case .source: return Self.assign(value.text.flatMap(GrantSource.init(rawValue:)), to: &entry.source)
        case .expires: return Self.assign(value.text.flatMap(Timestamp.init(iso8601:)), to: &entry.expires)
        case .ref: return Self.assign(value.integer, to: &entry.ref)
        case .reverses: return Self.assign(value.integer, to: &entry.reverses)
        case .name: return Self.assign(value.text, to: &entry.name)
        case .owner: return Self.assign(value.text, to: &entry.owner)
        case .member: return Self.assign(value.text, to: &entry.member)
        case .role: return Self.assign(value.text, to: &entry.role)
        case .status: return Self.assign(value.text.flatMap(WorkspaceStatus.init(rawValue:)), to: &entry.status)
        case .messages: return Self.assign(value.integer, to: &entry.messages)
        case .alert: return Self.assign(value.text.flatMap(AlertKind.init(rawValue:)), to: &entry.alert)
        case .onBehalfOf: return Self.assign(value.text, to: &entry.onBehalfOf)
        case .catalog: return Self.assign(value.text, to: &entry.catalog)
        case .catalogHash: return Self.assign(value.text, to: &entry.catalogHash)
        case .clock: return Self.assign(value.text.flatMap(LedgerClock.init(rawValue:)), to: &entry.clock)
        case .reason: return Self.assign(value.text, to: &entry.reason)
        case .payment: return Self.assign(value.text, to: &entry.payment)
        case .request: return Self.assign(value.text, to: &entry.request)
        case .by: return Self.assign(value.text, to: &entry.by)
        case .threshold: return Self.assign(value.integer, to: &entry.threshold)
        case .target: return Self.assign(value.integer, to: &entry.target)
        case .capCents: return Self.assign(value.integer, to: &entry.capCents)
        case .limit: return Self.assign(value.integer, to: &entry.limit)
        case .rollover: return Self.assign(value.integer, to: &entry.rollover)
        }
    }

    /// Stores `value` in `field` when there is one; false (and `field` untouched) when not.
    private static func assign<Value>(_ value: Value?, to field: inout Value) -> Bool {
        guard let value else { return false }
        field = value
        return true
    }

    private static func assign<Value>(_ value: Value?, to field: inout Value?) -> Bool {
        guard let value else { return false }
        field = value
        return true
    }
}
