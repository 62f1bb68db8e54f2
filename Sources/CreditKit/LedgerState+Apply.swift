extension LedgerState {
    /// Folds one entry into the state, checking R21's invariant (`balance == earned - spent`,
    /// never negative, equal to the sum of its buckets) and the balance the entry says it left.
    public mutating func apply(_ entry: Entry) throws(ReplayError) {
        guard entry.seq == lastSeq + 1 else {
            throw ReplayError(seq: entry.seq, problem: "comes after seq \(lastSeq); expected \(lastSeq + 1)")
        }
        if let lastTime, entry.time < lastTime, entry.kind != .clockReset {
            throw ReplayError(seq: entry.seq, problem: "is dated \(entry.time), before the record it follows (\(lastTime))")
        }
        // R34: only an adjustment reverses, and only an earlier record.
        if let reversed = entry.reverses, entry.kind != .adjustment || reversed < 1 || reversed >= entry.seq {
            throw ReplayError(seq: entry.seq, problem: "a \(entry.kind.rawValue) that reverses #\(reversed): only an adjustment reverses an earlier entry")
        }
        if entry.kind.movesCredits {
            try applyCredit(entry)
        } else {
            guard entry.credits == 0 else {
                throw ReplayError(seq: entry.seq, problem: "a \(entry.kind.rawValue) record moves no credits, yet says \(entry.credits)")
            }
            try applyRecord(entry)
        }
        lastSeq = entry.seq
        lastTime = entry.time
        lastHash = entry.hash
    }

    /// Steps over an entry without folding it, keeping the sequence, time and hash chain: for a
    /// ledger loaded for some workspaces only, where the entry belongs to another one.
    public mutating func skip(_ entry: Entry) throws(ReplayError) {
        guard entry.seq == lastSeq + 1 else {
            throw ReplayError(seq: entry.seq, problem: "comes after seq \(lastSeq); expected \(lastSeq + 1)")
        }
        if let lastTime, entry.time < lastTime, entry.kind != .clockReset {
            throw ReplayError(seq: entry.seq, problem: "is dated \(entry.time), before the record it follows (\(lastTime))")
        }
        lastSeq = entry.seq
        lastTime = entry.time
        lastHash = entry.hash
    }

    /// Folds a list of entries in order.
    public mutating func apply(_ entries: [Entry]) throws(ReplayError) {
        for entry in entries { try apply(entry) }
    }

    /// The most credits one entry may move; keeps every lifetime sum far inside 64 bits.
    public static let entryCreditsMax: Int64 = 1_000_000_000_000

    /// Changes the entry's workspace in place in the table, so that neither its collections are
    /// copied nor the table rehashed; what `change` did stays, whether it throws or not.
    private mutating func updateWorkspace(_ entry: Entry, _ change: (inout WorkspaceState) throws(ReplayError) -> Void) throws(ReplayError) {
        try change(&workspaces.values[try workspaceIndex(of: entry)])
    }

    /// Where the entry's workspace sits in the table; throws when it names none that exists.
    private func workspaceIndex(of entry: Entry) throws(ReplayError) -> Dictionary<String, WorkspaceState>.Index {
        guard let id = entry.workspace, let index = workspaces.index(forKey: id) else {
            throw ReplayError(seq: entry.seq, problem: "names workspace \"\(entry.workspace ?? "")\", which does not exist")
        }
        return index
    }

    /// Folds a credit entry into its workspace, in place; no closure, so the entry is not
    /// copied into one (verify folds a million of them).
    private mutating func applyCredit(_ entry: Entry) throws(ReplayError) {
        let catalog = self.catalog
        let index = try workspaceIndex(of: entry)
        try Self.applyCredit(entry, to: &workspaces.values[index], catalog: catalog)
    }

    /// Folds a credit entry into one workspace, checking R21's invariant; `apply` is the ledger's way in.
    static func applyCredit(_ entry: Entry, to ws: inout WorkspaceState, catalog: Catalog) throws(ReplayError) {
        let amount = entry.credits
        // Everything that can refuse an entry is checked before the workspace changes, so a
        // refused entry leaves the state as it was.
        let (newBalance, overflow) = ws.balance.addingReportingOverflow(amount)
        guard !overflow, amount.magnitude <= LedgerState.entryCreditsMax else {
            throw ReplayError(seq: entry.seq, problem: "moves \(CountText.credits(amount)), more than any entry may")
        }
        guard newBalance >= 0 else {
            throw ReplayError(seq: entry.seq, problem: "takes workspace \(ws.id) below zero (\(newBalance))")
        }
        if let stated = entry.balance, stated != newBalance {
            throw ReplayError(seq: entry.seq, problem: "says the balance after it is \(stated), the entries before it give \(newBalance)")
        }
        try Self.foldCredits(entry, into: &ws, catalog: catalog)
        ws.balance += amount
        if entry.showsInHistory { ws.creditEntryCount += 1 }
        ws.lastActivity = entry.time
        if entry.kind == .charge { ws.lastCharge = entry.time }
        try Self.checkInvariants(ws, after: entry)
        // R35: nothing spends or reserves what holds reserve; only an expiry may leave holds
        // uncovered, and the releases that follow it in the same commit cover them again.
        if entry.kind != .expiry && entry.kind != .release && entry.credits <= 0 && ws.held > ws.balance {
            throw ReplayError(seq: entry.seq, problem: "leaves \(CountText.credits(ws.held)) held in \(ws.id) with a balance of \(ws.balance)")
        }
        ws.alerts.rearm(atBalance: ws.balance, lowAtOrBelow: catalog.alerts.lowAtOrBelow)
    }

    /// The part of folding a credit entry that depends on its kind: what it earns or spends,
    /// the grant buckets it adds or burns (S3), and the idempotency keys it records (R5-R7, R10, R26).
    private static func foldCredits(_ entry: Entry, into ws: inout WorkspaceState, catalog: Catalog) throws(ReplayError) {
        let amount = entry.credits
        switch entry.kind {
        case .grant where entry.rollover != nil: try Self.foldRollover(entry, into: &ws)
        case .grant, .topup:
            guard amount >= 0 else { throw ReplayError(seq: entry.seq, problem: "\(entry.kind.rawValue) of \(amount) credits is negative") }
            ws.earned += amount
            ws.buckets.append(GrantBucket(seq: entry.seq, source: Self.bucketSource(of: entry), remaining: amount, expires: entry.expires))
            if let payment = entry.payment { ws.payments[payment] = entry.seq }
            if entry.kind == .topup { try ws.autoTopUp.foldPayment(entry) }
            if let request = entry.request { ws.requests[request] = entry.seq }
            if entry.kind == .grant, let invoice = entry.invoice {
                ws.invoices[invoice] = entry.seq
                ws.copilotUsed = 0
                ws.lastGrant = entry.time
            }
        case .charge:
            guard amount <= 0 else { throw ReplayError(seq: entry.seq, problem: "charge of \(amount) credits is positive") }
            try Self.foldCapture(entry, into: &ws)
            ws.spent -= amount
            let burned = try Self.burn(-amount, from: &ws, seq: entry.seq).filter { !$0.isLasting }
            ws.lastCharge = entry.time
            ws.monthSpend.charge(-amount, by: entry.actor, seq: entry.seq, job: entry.job != nil, at: entry.time)
            if let job = entry.job {
                ws.jobs[job] = JobRecord(chargeSeq: entry.seq, action: entry.action ?? "", credits: -amount)
                if !burned.isEmpty { ws.burns[entry.seq] = burned }
            }
            if let item = entry.item, let kind = entry.action.flatMap(catalog.action)?.clones {
                ws.owned[WorkspaceState.ownedKey(kind: kind, item: item)] = entry.seq
            }
        case .refund:
            guard amount >= 0, let job = entry.job, var record = ws.jobs[job], record.refundSeq == nil,
                  amount == record.credits else {
                throw ReplayError(seq: entry.seq, problem: "refund does not match an unrefunded charge of its job")
            }
            record.refundSeq = entry.seq
            ws.jobs[job] = record
            ws.monthSpend.refund(amount, of: record.chargeSeq, at: entry.time)
            ws.spent -= amount
            Self.restore(amount, burnedBy: record.chargeSeq, into: &ws, refundSeq: entry.seq)
        case .adjustment:
            if let request = entry.request { ws.requests[request] = entry.seq }
            if amount >= 0 {
                ws.earned += amount
                ws.buckets.append(GrantBucket(seq: entry.seq, source: .paid, remaining: amount, expires: nil))
            } else {
                ws.spent -= amount
                _ = try Self.burn(-amount, from: &ws, seq: entry.seq)
            }
        case .hold: try Self.foldHold(entry, into: &ws)
        case .release: try Self.foldRelease(entry, into: &ws)
        case .void: try Self.foldVoid(entry, into: &ws)
        case .expiry:
            guard amount < 0, let ref = entry.ref, let index = ws.buckets.firstIndex(where: { $0.seq == ref }),
                  ws.buckets[index].remaining >= -amount else {
                throw ReplayError(seq: entry.seq, problem: "expiry does not match the credits left in grant #\(entry.ref ?? 0)")
            }
            Self.keepOlderRefunds(leaving: -amount, in: index, of: &ws, seq: entry.seq)
            ws.spent -= amount
            ws.buckets.remove(at: index)
        default:
            break
        }
    }

    /// R35: a hold reserves `held` credits for a job not yet charged nor held, within the balance.
    private static func foldHold(_ entry: Entry, into ws: inout WorkspaceState) throws(ReplayError) {
        guard entry.credits == 0, let held = entry.held, held > 0, held <= entryCreditsMax, let job = entry.job,
              let action = entry.action, let expires = entry.expires, ws.holds[job] == nil, ws.jobs[job] == nil else {
            throw ReplayError(seq: entry.seq, problem: "hold is incomplete, or its job is already held or charged")
        }
        guard ws.held + held <= ws.balance else {
            throw ReplayError(seq: entry.seq, problem: "holds \(CountText.credits(held)), more than the \(ws.balance - ws.held) available in \(ws.id)")
        }
        ws.holds[job] = HoldRecord(seq: entry.seq, action: action, credits: held, expires: expires, actor: entry.actor)
        ws.held += held
    }

    /// R35: a release frees exactly the credits of its job's open hold, which it names by `ref`.
    private static func foldRelease(_ entry: Entry, into ws: inout WorkspaceState) throws(ReplayError) {
        guard entry.credits == 0, let job = entry.job, let open = ws.holds[job], entry.ref == open.seq, entry.held == open.credits else {
            throw ReplayError(seq: entry.seq, problem: "release does not match an open hold of its job")
        }
        ws.holds[job] = nil
        ws.held -= open.credits
    }

    /// R35: a charge with a `ref` captures its job's open hold (same credits); a charge of a held
    /// job without one would leave the hold behind, so it does not fold.
    private static func foldCapture(_ entry: Entry, into ws: inout WorkspaceState) throws(ReplayError) {
        guard let job = entry.job, let open = ws.holds[job] else {
            guard entry.ref == nil else { throw ReplayError(seq: entry.seq, problem: "charge captures no open hold of its job") }
            return
        }
        guard entry.ref == open.seq, -entry.credits == open.credits, entry.action == open.action else {
            throw ReplayError(seq: entry.seq, problem: "charge of held job \(job) does not capture its hold #\(open.seq)")
        }
        ws.holds[job] = nil
        ws.held -= open.credits
    }

    /// R41: a rollover moves `rollover` credits of plan grant `ref` into a bucket of its own with
    /// its own expiry; it earns nothing and leaves the balance as it was.
    private static func foldRollover(_ entry: Entry, into ws: inout WorkspaceState) throws(ReplayError) {
        guard entry.credits == 0, entry.source == .plan, let carried = entry.rollover, carried > 0, let ref = entry.ref,
              let expires = entry.expires, let index = ws.buckets.firstIndex(where: { $0.seq == ref && $0.source == .plan }),
              ws.buckets[index].remaining >= carried else {
            throw ReplayError(seq: entry.seq, problem: "rollover does not match the credits left in plan grant #\(entry.ref ?? 0)")
        }
        ws.buckets[index].remaining -= carried
        if ws.buckets[index].remaining == 0 { ws.buckets.remove(at: index) }
        ws.buckets.append(GrantBucket(seq: entry.seq, source: .rollover, remaining: carried, expires: expires))
    }

    /// R42: a removal takes the member out, with any monthly limit they had (a fresh add starts without one).
    private static func foldMemberRemoved(_ entry: Entry, into ws: inout WorkspaceState) throws(ReplayError) {
        guard let member = entry.member, let index = ws.members.firstIndex(of: member) else {
            throw ReplayError(seq: entry.seq, problem: "member removal names nobody who is a member")
        }
        ws.members.remove(at: index)
        ws.memberLimits[member] = nil
        ws.removedMembers[member] = entry.seq
    }

    /// R40: a member limit record sets (`limit`) or lifts (none) one person's monthly limit.
    private static func foldMemberLimit(_ entry: Entry, into ws: inout WorkspaceState) throws(ReplayError) {
        guard let member = entry.member, (0...MemberLimitPolicy.creditsMax).contains(entry.limit ?? 0) else {
            throw ReplayError(seq: entry.seq, problem: "member limit record names nobody or a limit out of bounds")
        }
        ws.memberLimits[member] = entry.limit
    }

    /// R36: a void takes exactly what is left of one grant (`ref`), once.
    private static func foldVoid(_ entry: Entry, into ws: inout WorkspaceState) throws(ReplayError) {
        guard let ref = entry.ref, ws.voided[ref] == nil,
              let index = ws.buckets.firstIndex(where: { $0.seq == ref && $0.source != .paid }),
              ws.buckets[index].remaining >= -entry.credits, entry.credits < 0 else {
            throw ReplayError(seq: entry.seq, problem: "void does not match the credits left in grant #\(entry.ref ?? 0)")
        }
        Self.keepOlderRefunds(leaving: -entry.credits, in: index, of: &ws, seq: entry.seq)
        ws.spent -= entry.credits
        ws.buckets.remove(at: index)
        ws.voided[ref] = entry.seq
    }

    /// R5, S3: an expiry or void that an older version wrote, when a refund came back as
    /// credits that never expire, names fewer credits than the parcel now holds (refunds go back
    /// to their parcels). The rest stay as that version had them: a never-expiring parcel of their
    /// own, numbered by this record, so an old journal reads on. `verify`'s replay reads it the
    /// same way, only within what refunds gave back to the parcel (`RefundedParcels`).
    static func keepOlderRefunds(leaving taken: Credits, in index: Int, of ws: inout WorkspaceState, seq: Int64) {
        let rest = ws.buckets[index].remaining - taken
        guard rest > 0 else { return }
        ws.buckets[index].remaining = taken
        ws.buckets.append(GrantBucket(seq: seq, source: .paid, remaining: rest, expires: nil))
    }

    private static func bucketSource(of entry: Entry) -> GrantBucket.Source {
        guard entry.kind == .grant, let source = entry.source else { return .paid }
        switch source {
        case .plan: return .plan
        case .promo: return .promo
        case .trial: return .trial
        }
    }

    /// Takes credits out of buckets in S3 order, returning what it took from each; an empty
    /// bucket is dropped.
    private static func burn(_ credits: Credits, from ws: inout WorkspaceState, seq: Int64) throws(ReplayError) -> [BurnedCredits] {
        var left = credits
        var burned: [BurnedCredits] = []
        ws.buckets.sort(by: GrantBucket.burnOrder)
        var index = 0
        while left > 0 && index < ws.buckets.count {
            let bucket = ws.buckets[index]
            let take = min(left, bucket.remaining)
            if take > 0 { burned.append(BurnedCredits(seq: bucket.seq, source: bucket.source, credits: take, expires: bucket.expires)) }
            ws.buckets[index].remaining -= take
            left -= take
            index += 1
        }
        ws.buckets.removeAll { $0.remaining == 0 }
        guard left == 0 else { throw ReplayError(seq: seq, problem: "spends \(CountText.credits(credits)) but the balance held only \(credits - left)") }
        return burned
    }

    /// R5, S3: a refund gives each credit back to the parcel its charge burned it from, with that
    /// parcel's source and expiry (made again if it ran empty); lasting credits come back as a
    /// parcel of the refund's own. A parcel already expired is expired again by the engine at once.
    private static func restore(_ credits: Credits, burnedBy chargeSeq: Int64, into ws: inout WorkspaceState, refundSeq: Int64) {
        var left = credits
        for piece in ws.burns.removeValue(forKey: chargeSeq) ?? [] where left > 0 {
            let back = min(piece.credits, left)
            left -= back
            if let index = ws.buckets.firstIndex(where: { $0.seq == piece.seq }) {
                ws.buckets[index].remaining += back
            } else {
                ws.buckets.append(GrantBucket(seq: piece.seq, source: piece.source, remaining: back, expires: piece.expires))
            }
        }
        if left > 0 { ws.buckets.append(GrantBucket(seq: refundSeq, source: .paid, remaining: left, expires: nil)) }
    }

    private static func checkInvariants(_ ws: WorkspaceState, after entry: Entry) throws(ReplayError) {
        guard ws.balance >= 0 else {
            throw ReplayError(seq: entry.seq, problem: "takes workspace \(ws.id) below zero (\(ws.balance))")
        }
        guard ws.balance == ws.earned - ws.spent else {
            throw ReplayError(seq: entry.seq, problem: "breaks balance = earned - spent for \(ws.id)")
        }
        guard ws.balance == ws.buckets.reduce(0, { $0 + $1.remaining }) else {
            throw ReplayError(seq: entry.seq, problem: "leaves \(ws.id)'s grants out of step with its balance")
        }
        if let stated = entry.balance, stated != ws.balance {
            throw ReplayError(seq: entry.seq, problem: "says the balance after it is \(stated), the entries before it give \(ws.balance)")
        }
    }

    private mutating func applyRecord(_ entry: Entry) throws(ReplayError) {
        switch entry.kind {
        case .initialize:
            guard entry.seq == 1 else { throw ReplayError(seq: entry.seq, problem: "init must be the first record") }
            operators[entry.actor] = .support
        case .operator:
            guard let name = entry.name, let role = entry.role.flatMap(Role.init(rawValue:)) else {
                throw ReplayError(seq: entry.seq, problem: "operator record lacks a name or role")
            }
            operators[name] = role
            removedOperators[name] = nil
        case .operatorRemoved:
            guard let name = entry.name, operators[name] != nil else {
                throw ReplayError(seq: entry.seq, problem: "operator removal names nobody who is an operator")
            }
            operators[name] = nil
            removedOperators[name] = entry.seq
        case .workspace:
            guard let id = entry.workspace, workspaces[id] == nil, let owner = entry.owner, let plan = entry.plan else {
                throw ReplayError(seq: entry.seq, problem: "workspace record is incomplete or repeats an existing workspace")
            }
            workspaces[id] = WorkspaceState(id: id, name: entry.name ?? id, owner: owner, plan: plan,
                                            status: entry.status ?? .active, createdAt: entry.time)
        case .member:
            try updateWorkspace(entry) { ws throws(ReplayError) in
                guard let member = entry.member else { throw ReplayError(seq: entry.seq, problem: "member record names nobody") }
                if !ws.members.contains(member) { ws.members.append(member) }
                ws.removedMembers[member] = nil
            }
        case .memberRemoved:
            try updateWorkspace(entry) { ws throws(ReplayError) in try Self.foldMemberRemoved(entry, into: &ws) }
        case .plan:
            try updateWorkspace(entry) { ws throws(ReplayError) in
                guard let plan = entry.plan else { throw ReplayError(seq: entry.seq, problem: "plan record names no plan") }
                ws.plan = plan
                if ws.status == .cancelled { ws.status = .active }
            }
        case .trial, .cancel:
            try updateWorkspace(entry) { ws throws(ReplayError) in
                ws.status = entry.status ?? (entry.kind == .cancel ? .cancelled : .trial)
            }
        case .copilot:
            try updateWorkspace(entry) { ws throws(ReplayError) in
                // A record from the journal is checked like a command: no count the engine would
                // refuse, and no sum that overflows (a forged record must not crash the reader).
                let messages = entry.messages ?? 0
                let (used, overflow) = ws.copilotUsed.addingReportingOverflow(messages)
                guard messages >= 0, messages <= Engine.copilotMessagesMax, !overflow else {
                    throw ReplayError(seq: entry.seq, problem: "records \(messages) Copilot messages, more than any command may")
                }
                ws.copilotUsed = used
                ws.lastActivity = entry.time
            }
        case .memberLimit:
            try updateWorkspace(entry) { ws throws(ReplayError) in try Self.foldMemberLimit(entry, into: &ws) }
        case .alert:
            try updateWorkspace(entry) { ws throws(ReplayError) in try Self.foldAlert(entry, into: &ws) }
        case .autoTopUp, .autoTopUpOff:
            try updateWorkspace(entry) { ws throws(ReplayError) in try ws.autoTopUp.foldRule(entry) }
        case .topUpDeclined:
            try updateWorkspace(entry) { ws throws(ReplayError) in try ws.autoTopUp.foldDecline(entry) }
        default:
            break
        }
    }

    /// R24, S3, R37–R39: an alert record disarms what it sent or counts what it warned of.
    private static func foldAlert(_ entry: Entry, into ws: inout WorkspaceState) throws(ReplayError) {
        switch entry.alert {
        case .low?:
            ws.alerts.lowArmed = false
            ws.alerts.lastLowSent = entry.time
        case .empty?:
            ws.alerts.emptyArmed = false
            ws.alerts.lowArmed = false
            ws.alerts.lastEmptySent = entry.time
        case .topUpRequest?, .autoTopUp80?, .autoTopUp90?, .autoTopUp100?, .autoTopUpCapReached?, .autoTopUpPaused?:
            try ws.autoTopUp.foldAlert(entry)
        case .expiring?:
            guard let ref = entry.ref, let index = ws.buckets.firstIndex(where: { $0.seq == ref }) else {
                throw ReplayError(seq: entry.seq, problem: "expiry warning names no grant that still holds credits")
            }
            ws.buckets[index].warned = true
        case nil:
            throw ReplayError(seq: entry.seq, problem: "alert record names no alert")
        }
    }
}
