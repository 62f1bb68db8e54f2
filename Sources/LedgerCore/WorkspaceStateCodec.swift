import CreditKit

/// The binary form of one workspace's folded state and of its summary, shared by the file
/// ledger's checkpoint (each blob: this state, then its history index) and PostgreSQL's
/// `creditdesk.workspace_states`. Little-endian, length-prefixed (`BinaryWriter`); a change to
/// it is a new checkpoint format and a new schema migration.
public enum WorkspaceStateCodec {
    /// Stands for "no time yet" in a fixed-size time field (a workspace never charged).
    public static let noTime = Int64.min

    /// A fixed-size time field read back: `noTime` is nil.
    public static func optionalTime(_ value: Int64) -> Timestamp? { value == noTime ? nil : Timestamp(secondsSinceEpoch: value) }

    /// A workspace's summary (what a list shows of it).
    public static func encodeSummary(_ summary: WorkspaceSummary, into out: inout BinaryWriter) {
        out.string(summary.name); out.string(summary.owner)
        out.count(summary.members.count); summary.members.forEach { out.string($0) }
        out.string(summary.plan); out.string(summary.status.rawValue)
        out.int(summary.balance); out.int(summary.earned); out.int(summary.spent); out.int(summary.lastActivity.secondsSinceEpoch)
        out.count(summary.expiring.count)
        for bucket in summary.expiring {
            out.int(bucket.seq); out.int(bucket.credits); out.int(bucket.expires.secondsSinceEpoch)
        }
        out.int(summary.lastCharge?.secondsSinceEpoch ?? WorkspaceStateCodec.noTime)
        out.count(summary.holds.count)
        for hold in summary.holds {
            out.int(hold.seq); out.int(hold.credits); out.int(hold.expires.secondsSinceEpoch)
        }
    }

    /// Steps over a summary without decoding it.
    public static func skipSummary(_ input: inout BinaryReader, format: Int) throws(BinaryReadError) {
        try input.skipString(); try input.skipString()
        for _ in 0..<(try input.count()) { try input.skipString() }
        try input.skipString(); try input.skipString()
        try input.skip(4 * 8)
        try input.skip(3 * 8 * (try input.count()))
        try input.skip(8)
        try input.skip(3 * 8 * (try input.count()))
    }

    /// The summary `encodeSummary` wrote, for workspace `id`.
    public static func decodeSummary(id: String, _ input: inout BinaryReader, format: Int) throws(BinaryReadError) -> WorkspaceSummary {
        let name = try input.string(), owner = try input.string()
        var members: [String] = []
        for _ in 0..<(try input.count()) { members.append(try input.string()) }
        let plan = try input.string()
        guard let status = WorkspaceStatus(rawValue: try input.string()) else { throw BinaryReadError(problem: "names an unknown status") }
        var summary = WorkspaceSummary(id: id, name: name, owner: owner, members: members, plan: plan, status: status,
                                       balance: try input.int(), earned: try input.int(), spent: try input.int(),
                                       lastActivity: Timestamp(secondsSinceEpoch: try input.int()),
                                       expiring: try decodeExpiring(&input), lastCharge: try optionalTime(input.int()))
        summary.holds = try decodeExpiring(&input)
        return summary
    }

    /// The expiring parcels of a summary: seq, credits left, expiry date (S3).
    public static func decodeExpiring(_ input: inout BinaryReader) throws(BinaryReadError) -> [ExpiringCredits] {
        var parcels: [ExpiringCredits] = []
        for _ in 0..<(try input.count()) {
            let seq = try input.int(), credits = try input.int(), expires = try input.int()
            parcels.append(ExpiringCredits(seq: seq, credits: credits, expires: Timestamp(secondsSinceEpoch: expires)))
        }
        return parcels
    }

    /// A workspace's whole folded state: balances, buckets, jobs, keys, alerts, holds and who
    /// holds them, voids, the auto top-up state (R37–R39), members' limits and month spend (R40).
    public static func encode(_ ws: WorkspaceState, into out: inout BinaryWriter) {
        out.string(ws.id); out.string(ws.name); out.string(ws.owner)
        out.count(ws.members.count); ws.members.forEach { out.string($0) }
        out.string(ws.plan); out.string(ws.status.rawValue)
        out.int(ws.createdAt.secondsSinceEpoch); out.int(ws.lastActivity.secondsSinceEpoch)
        out.int(ws.lastCharge?.secondsSinceEpoch ?? noTime)
        out.int(ws.balance); out.int(ws.earned); out.int(ws.spent)
        out.count(ws.buckets.count)
        for bucket in ws.buckets {
            out.int(bucket.seq); out.string(bucket.source.rawValue); out.int(bucket.remaining)
            out.optionalInt(bucket.expires?.secondsSinceEpoch); out.bool(bucket.warned)
        }
        out.count(ws.jobs.count)
        for (job, record) in ws.jobs {
            out.string(job); out.int(record.chargeSeq); out.string(record.action); out.int(record.credits)
            out.optionalInt(record.refundSeq)
        }
        out.count(ws.invoices.count)
        for (invoice, seq) in ws.invoices { out.string(invoice); out.int(seq) }
        out.count(ws.owned.count)
        for (item, seq) in ws.owned { out.string(item); out.int(seq) }
        out.count(ws.payments.count)
        for (payment, seq) in ws.payments { out.string(payment); out.int(seq) }
        out.count(ws.requests.count)
        for (request, seq) in ws.requests { out.string(request); out.int(seq) }
        out.bool(ws.alerts.lowArmed); out.bool(ws.alerts.emptyArmed)
        out.optionalInt(ws.alerts.lastLowSent?.secondsSinceEpoch); out.optionalInt(ws.alerts.lastEmptySent?.secondsSinceEpoch)
        out.int(ws.copilotUsed); out.optionalInt(ws.lastGrant?.secondsSinceEpoch); out.count(ws.creditEntryCount)
        out.count(ws.holds.count)
        for (job, hold) in ws.holds.sorted(by: { $0.value.seq < $1.value.seq }) {
            out.string(job); out.int(hold.seq); out.string(hold.action); out.int(hold.credits); out.int(hold.expires.secondsSinceEpoch)
            out.string(hold.actor)
        }
        out.count(ws.voided.count)
        for (grant, seq) in ws.voided.sorted(by: { $0.key < $1.key }) { out.int(grant); out.int(seq) }
        encodeAutoTopUp(ws.autoTopUp, &out)
        encodeLimits(ws, into: &out)
        encodeBurns(ws.burns, into: &out)
        encodeRemoved(ws.removedMembers, into: &out)
    }

    /// The first layout that carries the people removed from a workspace (R42): checkpoint
    /// format 11, PostgreSQL stored state 11. An older state cannot tell a removed member from
    /// a stranger, so it is a cache to rebuild.
    public static let removalsSinceFormat = 11

    /// R42: removed people by name and the entry that removed each (also the checkpoint's removed operators).
    public static func encodeRemoved(_ removed: [String: Int64], into out: inout BinaryWriter) {
        out.count(removed.count)
        for (person, seq) in removed.sorted(by: { $0.key < $1.key }) { out.string(person); out.int(seq) }
    }

    /// The removed people `encodeRemoved` wrote.
    public static func decodeRemoved(_ input: inout BinaryReader) throws(BinaryReadError) -> [String: Int64] {
        var removed: [String: Int64] = [:]
        for _ in 0..<(try input.count()) { let person = try input.string(); removed[person] = try input.int() }
        return removed
    }

    /// The first layout that carries what each unrefunded job charge burned (R5, S3): checkpoint
    /// format 10, PostgreSQL stored state 10. An older state folded refunds as never-expiring
    /// credits, so it is a cache to rebuild, not to read.
    public static let burnsSinceFormat = 10

    /// R5, S3: by charge seq, the parcels (seq, source, credits, expiry) each charge burned.
    static func encodeBurns(_ burns: [Int64: [BurnedCredits]], into out: inout BinaryWriter) {
        out.count(burns.count)
        for (charge, pieces) in burns.sorted(by: { $0.key < $1.key }) {
            out.int(charge); out.count(pieces.count)
            for piece in pieces {
                out.int(piece.seq); out.string(piece.source.rawValue); out.int(piece.credits)
                out.optionalInt(piece.expires?.secondsSinceEpoch)
            }
        }
    }

    /// The burns `encodeBurns` wrote.
    static func decodeBurns(_ input: inout BinaryReader) throws(BinaryReadError) -> [Int64: [BurnedCredits]] {
        var burns: [Int64: [BurnedCredits]] = [:]
        for _ in 0..<(try input.count()) {
            let charge = try input.int()
            var pieces: [BurnedCredits] = []
            for _ in 0..<(try input.count()) {
                let seq = try input.int()
                guard let source = GrantBucket.Source(rawValue: try input.string()) else { throw BinaryReadError(problem: "names an unknown grant source") }
                pieces.append(BurnedCredits(seq: seq, source: source, credits: try input.int(),
                                            expires: try input.optionalInt().map { Timestamp(secondsSinceEpoch: $0) }))
            }
            burns[charge] = pieces
        }
        return burns
    }

    /// The state `encode` wrote.
    public static func decode(_ input: inout BinaryReader, format: Int) throws(BinaryReadError) -> WorkspaceState {
        func time(_ value: Int64) -> Timestamp { Timestamp(secondsSinceEpoch: value) }
        let id = try input.string(), name = try input.string(), owner = try input.string()
        var members: [String] = []
        for _ in 0..<(try input.count()) { members.append(try input.string()) }
        let plan = try input.string()
        guard let status = WorkspaceStatus(rawValue: try input.string()) else { throw BinaryReadError(problem: "names an unknown status") }
        var ws = WorkspaceState(id: id, name: name, owner: owner, plan: plan, status: status, createdAt: time(try input.int()))
        ws.members = members
        ws.lastActivity = time(try input.int())
        ws.lastCharge = optionalTime(try input.int())
        ws.balance = try input.int(); ws.earned = try input.int(); ws.spent = try input.int()
        for _ in 0..<(try input.count()) {
            let seq = try input.int()
            guard let source = GrantBucket.Source(rawValue: try input.string()) else { throw BinaryReadError(problem: "names an unknown grant source") }
            var bucket = GrantBucket(seq: seq, source: source, remaining: try input.int(), expires: try input.optionalInt().map(time))
            bucket.warned = try input.bool()
            ws.buckets.append(bucket)
        }
        let jobCount = try input.count()
        ws.jobs.reserveCapacity(jobCount)
        for _ in 0..<jobCount {
            let job = try input.string()
            ws.jobs[job] = JobRecord(chargeSeq: try input.int(), action: try input.string(), credits: try input.int(),
                                     refundSeq: try input.optionalInt())
        }
        for _ in 0..<(try input.count()) { let invoice = try input.string(); ws.invoices[invoice] = try input.int() }
        for _ in 0..<(try input.count()) { let item = try input.string(); ws.owned[item] = try input.int() }
        for _ in 0..<(try input.count()) { let payment = try input.string(); ws.payments[payment] = try input.int() }
        for _ in 0..<(try input.count()) { let request = try input.string(); ws.requests[request] = try input.int() }
        ws.alerts.lowArmed = try input.bool(); ws.alerts.emptyArmed = try input.bool()
        ws.alerts.lastLowSent = try input.optionalInt().map(time); ws.alerts.lastEmptySent = try input.optionalInt().map(time)
        ws.copilotUsed = try input.int(); ws.lastGrant = try input.optionalInt().map(time); ws.creditEntryCount = try input.count()
        for _ in 0..<(try input.count()) {
            let job = try input.string()
            let hold = HoldRecord(seq: try input.int(), action: try input.string(), credits: try input.int(), expires: time(try input.int()),
                                  actor: try input.string())
            ws.holds[job] = hold
            ws.held += hold.credits
        }
        for _ in 0..<(try input.count()) { let grant = try input.int(); ws.voided[grant] = try input.int() }
        ws.autoTopUp = try decodeAutoTopUp(&input)
        try decodeLimits(into: &ws, &input)
        if format >= burnsSinceFormat { ws.burns = try decodeBurns(&input) }
        if format >= removalsSinceFormat { ws.removedMembers = try decodeRemoved(&input) }
        return ws
    }
}
