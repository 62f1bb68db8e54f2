/// Every reason a command is refused, named. The text people read is made in one place
/// (`message`), never in the middle of the rules.
public enum Rejection: Error, Hashable, Sendable {
    case notPermitted(actor: String, verb: String, allowed: [Role])
    case unknownWorkspace(String)
    case workspaceExists(String)
    case unknownAction(String)
    case notAJobAction(String)
    case unknownCloneKind(String)
    case unknownPack(String)
    case unknownPlan(String)
    case invalidIdentifier(field: String, value: String)
    /// A reason or display name that is not one line of printable text of at most `lengthMax`
    /// bytes (`FreeText.isValidLine`).
    /// `steering` names the first character that steers the display, when that is what is wrong.
    case invalidText(field: String, lengthMax: Int = FreeText.reasonLengthMax, steering: SteeringMark? = nil)
    /// An id or person's name that is not printable text without spaces of at most
    /// `FreeText.tokenLengthMax` bytes (`FreeText.isValidToken`).
    case invalidToken(field: String)
    /// S3: a grant whose expiry is not after the time it is granted.
    case expiryNotInFuture(expires: Timestamp, now: Timestamp)
    /// The owner is not one mail address (`MailAddress.isValid`): alerts would go astray.
    case invalidAddress(field: String, value: String)
    case invalidAmount(String)
    case insufficientCredits(action: String, cost: Credits, balance: Credits, shortfall: Credits, suggestion: PackSuggestion?)
    case noInvoiceDuringTrial(workspace: String)
    case noActiveSubscription(workspace: String)
    case copilotAllowanceExceeded(used: Int64, allowance: Int64, requested: Int64)
    case alreadyMember(workspace: String, person: String)
    case alreadyOperator(String)
    /// R42: a removal of someone who is not a member of the workspace (and was never removed from it).
    case notAMemberToRemove(workspace: String, person: String)
    /// R42: the owner is not a member to remove; the workspace keeps its owner.
    case ownerCannotBeRemoved(workspace: String, owner: String)
    /// R42: a removal of someone who is not a support agent (and was never removed as one).
    case notAnOperator(String)
    /// R42: the ledger's last support agent stays: someone must be left to run it.
    case lastSupportAgent(String)
    case clockBehind(requested: Timestamp, last: Timestamp)
    /// R27: `--now` on a real-clock ledger from someone who is not a support agent.
    case clockOverrideNotPermitted(actor: String)
    /// R27: `--now` on a real-clock ledger further from the real clock than the tolerance.
    case clockOverrideTooFar(requested: Timestamp, real: Timestamp, toleranceSeconds: Int64)
    /// R27: a time carried by an imported event, too far ahead of the ledger's clock.
    case timeAhead(time: Timestamp, clock: Timestamp, toleranceSeconds: Int64)
    /// R34: no entry `seq` in this workspace.
    case unknownEntry(workspace: String, seq: Int64)
    /// R34: only adjustments and grants are reversed; charges and top-ups have their own flows.
    case notReversible(seq: Int64, kind: EntryKind)
    /// R34: undoing the entry would take the balance below zero (its credits were spent).
    case reversalExceedsBalance(seq: Int64, credits: Credits, balance: Credits)
    /// R34, R35: undoing the entry would take credits that holds reserve (only `available` are not held).
    case reversalUncoversHolds(seq: Int64, credits: Credits, available: Credits)
    /// R26: a payment or request id recorded by entry `seq` for another move than this one asks.
    case idempotencyKeyReused(key: String, seq: Int64, recorded: KeyedMove, asked: KeyedMove)
    /// R8, R35: the cost exceeds the available balance (the balance less what holds reserve).
    case insufficientAvailable(action: String, cost: Credits, available: Credits, held: Credits, shortfall: Credits, suggestion: PackSuggestion?)
    /// R35: a hold for a job that was charged already (by entry `seq`).
    case jobAlreadyCharged(job: String, seq: Int64)
    /// R35: a hold or capture naming another action than the job's hold (entry `seq`).
    case holdActionMismatch(job: String, held: String, asked: String, seq: Int64)
    /// R35: a time to live outside 1 second … `HoldPolicy.ttlSecondsMax`.
    case invalidHoldTTL(seconds: Int64)
    /// R36: grant `seq` of the workspace has no unspent credits (spent, expired, or not a grant).
    case nothingToVoid(workspace: String, seq: Int64)
    /// R36: grant `seq` was voided by entry `by` already.
    case alreadyVoided(seq: Int64, by: Int64)
    /// R34, R41: grant `seq`'s carried credits (its rollover, entry `rollover`) were voided by entry
    /// `by`: a reversal of the grant would take them a second time.
    case rolloverVoided(seq: Int64, rollover: Int64, by: Int64)
    /// R36, R41: entry `seq` holds credits of grant `grant` (itself, or the grant its rollover
    /// came from), which adjustment `by` reversed already: a void would take them a second time.
    case grantReversed(seq: Int64, grant: Int64, by: Int64)
    /// R36: voiding would leave less than the holds reserve.
    case voidUncoversHolds(seq: Int64, remaining: Credits, available: Credits)
    /// R18: `by` acted on `actor`'s behalf (`--as`) but is not a support agent of the ledger.
    case actingForOthersNotPermitted(by: String, actor: String)
    /// R37: a threshold outside 0 … `AutoTopUpPolicy.thresholdMax`.
    case autoTopUpThresholdOutOfRange(Credits)
    /// R37: a target balance that is not above the threshold (or past the maximum).
    case autoTopUpTargetNotAboveThreshold(target: Credits, threshold: Credits)
    /// R37: a monthly cap outside $0.01 … `AutoTopUpPolicy.capCentsMax`.
    case autoTopUpCapOutOfRange(Cents)
    /// R37: the cap is below the price of the pack the rule asks for: no request could ever fit.
    case autoTopUpCapBelowPack(capCents: Cents, pack: String, priceCents: Cents)
    /// R37: the workspace has no auto top-up rule (to resume or switch off).
    case noAutoTopUpRule(workspace: String)
    /// R39: `request` is not the workspace's pending top-up request (`pending`, if any).
    case noPendingTopUpRequest(workspace: String, request: String, pending: String?)
    /// R40: the member has `left` of their monthly `limit` left this month, less than `cost`.
    case memberLimitReached(member: String, workspace: String, left: Credits, limit: Credits, action: String, cost: Credits)
    /// R40 and R8 at once: `cost` is past what is left of the member's limit (short by `cost − left`,
    /// which a top-up does not change) and past the pool's `available` balance (short by `shortfall`).
    case memberLimitAndCredits(member: String, workspace: String, left: Credits, limit: Credits, action: String, cost: Credits,
                               available: Credits, held: Credits, shortfall: Credits, suggestion: PackSuggestion?)
    /// R40: a limit for someone who is neither the workspace's owner nor one of its members.
    case notAMember(workspace: String, person: String)
    /// A record would carry `time` as its `field` (`time`, `expires`) outside the times a
    /// journal can hold (`Timestamp.isRecordable`): written, it could not be read back.
    case timeNotRecordable(field: String, time: Timestamp)

    /// One line that says why, for standard error and the console.
    public var message: String {
        switch self {
        case let .notPermitted(actor, verb, allowed):
            let roles = allowed.map { $0 == .support ? "a support agent" : "the workspace's \($0.rawValue)" }.joined(separator: " or ")
            return "not permitted: \(actor) cannot \(verb); that takes \(roles)"
        case .unknownWorkspace(let id): return "unknown workspace \"\(id)\""
        case .workspaceExists(let id): return "workspace \"\(id)\" already exists"
        case .unknownAction(let id): return "unknown action \"\(id)\" in this catalog"
        case .notAJobAction(let id): return "\"\(id)\" is a library clone, not a job: use `clone`"
        case .unknownCloneKind(let kind): return "nothing of kind \"\(kind)\" can be cloned in this catalog"
        case .unknownPack(let id): return "unknown pack \"\(id)\" in this catalog"
        case .unknownPlan(let id): return "unknown plan \"\(id)\" in this catalog"
        case let .invalidIdentifier(field, value):
            return "invalid \(field) \"\(value)\": use lowercase letters, digits, '-', '_' or '.', at most \(Identifier.lengthMax) characters"
        case let .invalidText(field, _, steering?):
            return "invalid \(field): \(steering.description) would steer the display; it must be one line of printable text"
        case let .invalidText(field, lengthMax, nil):
            return "invalid \(field): it must be one line of printable text, not blank, at most \(lengthMax) bytes"
        case .invalidToken(let field):
            return "invalid \(field): it must be printable text without spaces, 1 to \(FreeText.tokenLengthMax) bytes"
        case let .expiryNotInFuture(expires, now):
            return "invalid expiry: \(expires) is not after now (\(now)); a grant must expire in the future (S3)"
        case let .invalidAddress(field, value):
            return "invalid \(field) \"\(value)\": alerts are mailed to it, so it must be one address (name@example.com) or a plain name of letters, digits and . _ - + (no spaces, commas or angle brackets)"
        case .invalidAmount(let why): return "invalid amount: \(why)"
        case let .insufficientCredits(action, cost, balance, shortfall, suggestion):
            var text = "insufficient credits: \(action) costs \(cost), the balance is \(balance), short by \(shortfall)"
            if let suggestion {
                text += "; smallest pack that covers it: \(suggestion.label) (+\(CountText.credits(suggestion.credits)) for \(AmountFormat.dollars(suggestion.priceCents)))"
            }
            return text
        case .noInvoiceDuringTrial(let ws):
            return "workspace \(ws) is in its free trial: no invoice is paid during a trial, so no grant (R12)"
        case .noActiveSubscription(let ws):
            return "workspace \(ws) has no active subscription (cancelled): choose a plan before recording an invoice"
        case let .copilotAllowanceExceeded(used, allowance, requested):
            return "Copilot allowance reached: \(used) of \(allowance) messages used this period, \(requested) more requested"
        case let .alreadyMember(ws, person): return "\(person) already belongs to workspace \(ws)"
        case .alreadyOperator(let name): return "\(name) is already a support agent"
        case let .notAMemberToRemove(ws, person): return "\(person) is not a member of workspace \(ws), so there is nobody to remove (R42)"
        case let .ownerCannotBeRemoved(ws, owner): return "\(owner) owns workspace \(ws): the owner cannot be removed as a member (R42)"
        case .notAnOperator(let name): return "\(name) is not a support agent of this ledger, so there is nobody to remove (R42)"
        case .lastSupportAgent(let name): return "\(name) is the ledger's last support agent: add another before removing them (R42)"
        case let .clockBehind(requested, last):
            return "time \(requested) is earlier than the ledger's last entry (\(last)); if that entry is dated in the future, a support agent can put the clock back with a recorded reset (R27)"
        case .clockOverrideNotPermitted(let actor):
            return "not permitted: \(actor) cannot set the time on a real-clock ledger; only a support agent may, within \(ClockPolicy.toleranceSeconds / 60) minutes of the clock (R27)"
        case let .clockOverrideTooFar(requested, real, tolerance):
            return "time \(requested) is more than \(tolerance / 60) minutes from the clock (\(real)): this ledger runs on the real clock (R27)"
        case let .timeAhead(time, clock, tolerance):
            return "time \(time) is more than \(tolerance / 60) minutes ahead of the ledger's clock (\(clock)) (R27)"
        case let .unknownEntry(ws, seq): return "no entry #\(seq) in workspace \(ws)"
        case let .notReversible(seq, kind):
            switch kind {
            case .charge: return "entry #\(seq) is a charge: a failed job is refunded with job-failed, not reversed"
            case .topup: return "entry #\(seq) is a top-up: a paid pack is not reversed here; adjust with a reason if the payment was returned"
            case .adjustment: return "entry #\(seq) is itself a reversal: record a new adjustment instead"
            default: return "entry #\(seq) is a \(kind.rawValue): only adjustments and grants can be reversed"
            }
        case let .reversalExceedsBalance(seq, credits, balance):
            return "reversing entry #\(seq) takes \(CountText.credits(credits)), the balance is \(AmountFormat.grouped(balance)): it would go below zero"
        case let .reversalUncoversHolds(seq, credits, available):
            return "reversing entry #\(seq) takes \(CountText.credits(credits)), only \(AmountFormat.grouped(available)) are not held: release or capture the holds first (R34)"
        case let .insufficientAvailable(action, cost, available, held, shortfall, suggestion):
            var text = "insufficient credits: \(action) costs \(cost), the available balance is \(available) (\(held) held), short by \(shortfall)"
            if let suggestion {
                text += "; smallest pack that covers it: \(suggestion.label) (+\(CountText.credits(suggestion.credits)) for \(AmountFormat.dollars(suggestion.priceCents)))"
            }
            return text
        case let .jobAlreadyCharged(job, seq):
            return "job \(job) was already charged by entry #\(seq): a finished job cannot be held (R35)"
        case let .holdActionMismatch(job, held, asked, seq):
            return "job \(job) is held for \(held) by entry #\(seq), not \(asked): charge or hold it as \(held) (R35)"
        case .invalidHoldTTL(let seconds):
            return "invalid time to live: \(seconds) seconds; a hold lasts from 1 second to \(HoldPolicy.ttlSecondsMax / 3600) hours (R35)"
        case let .nothingToVoid(ws, seq):
            return "nothing to void: entry #\(seq) holds no unspent grant credits in workspace \(ws) (spent, expired, or not a grant) (R36)"
        case let .alreadyVoided(seq, by):
            return "grant #\(seq) was already voided by entry #\(by) (R36)"
        case let .rolloverVoided(seq, rollover, by):
            return "grant #\(seq) rolled credits over to #\(rollover), which entry #\(by) already voided: reversing the grant would take them twice (R34, R41)"
        case let .grantReversed(seq, grant, by) where seq == grant:
            return "grant #\(seq) was already reversed by entry #\(by): voiding it would take its credits twice (R36)"
        case let .grantReversed(seq, grant, by):
            return "rollover #\(seq) carries credits of grant #\(grant), which entry #\(by) already reversed: voiding it would take them twice (R36, R41)"
        case let .actingForOthersNotPermitted(by, actor):
            return "not permitted: \(by) cannot act as \(actor); only a support agent can use --as"
        case let .voidUncoversHolds(seq, remaining, available):
            return "voiding grant #\(seq) takes \(CountText.credits(remaining)), only \(AmountFormat.grouped(available)) are not held: release or capture the holds first (R36)"
        case .autoTopUpThresholdOutOfRange(let threshold):
            return "invalid threshold \(threshold): --below takes 0 to \(CountText.credits(AutoTopUpPolicy.thresholdMax)) (R37)"
        case let .autoTopUpTargetNotAboveThreshold(target, threshold):
            return "invalid target balance \(target): --to-balance must be above --below (\(threshold)) and at most \(CountText.credits(AutoTopUpPolicy.thresholdMax)) (R37)"
        case .autoTopUpCapOutOfRange(let cap):
            return "invalid monthly cap \(AmountFormat.dollars(cap)): --monthly-cap takes $0.01 to \(AmountFormat.dollars(AutoTopUpPolicy.capCentsMax)) (R37)"
        case let .autoTopUpCapBelowPack(cap, pack, price):
            return "the monthly cap \(AmountFormat.dollars(cap)) is below the price of \(pack) (\(AmountFormat.dollars(price))): no top-up could ever be requested (R37)"
        case .noAutoTopUpRule(let ws):
            return "workspace \(ws) has no auto top-up rule: set one with auto-topup set (R37)"
        case let .noPendingTopUpRequest(ws, request, pending):
            let now = pending.map { "the pending request is \($0)" } ?? "no request is pending"
            return "\(request) is not a pending top-up request of workspace \(ws); \(now) (R39)"
        case let .memberLimitReached(member, ws, left, limit, action, cost):
            return "monthly limit: \(member) has \(AmountFormat.grouped(left)) of \(CountText.credits(limit)) left this month in \(ws); \(action) costs \(AmountFormat.grouped(cost)), short by \(AmountFormat.grouped(cost - left)) (R40)"
        case let .memberLimitAndCredits(member, ws, left, limit, action, cost, available, held, shortfall, suggestion):
            let pool = held > 0 ? "the available balance is \(AmountFormat.grouped(available)) (\(AmountFormat.grouped(held)) held)"
                : "the balance is \(AmountFormat.grouped(available))"
            var text = "monthly limit and insufficient credits: \(member) has \(AmountFormat.grouped(left)) of \(CountText.credits(limit)) left this month in \(ws) and \(pool); "
                + "\(action) costs \(AmountFormat.grouped(cost)): short by \(AmountFormat.grouped(cost - left)) of the limit, which a top-up does not change (R40), "
                + "and by \(AmountFormat.grouped(shortfall)) in the pool"
            if let suggestion {
                text += "; smallest pack that covers it: \(suggestion.label) (+\(CountText.credits(suggestion.credits)) for \(AmountFormat.dollars(suggestion.priceCents)))"
            }
            return text
        case let .notAMember(ws, person):
            return "\(person) is neither the owner nor a member of workspace \(ws): add them first (R40)"
        case let .timeNotRecordable(field, time):
            let bound = time > Timestamp.latestRecordable
                ? "after \(Timestamp.latestRecordable), the last time" : "before \(Timestamp.earliestRecordable), the first time"
            return "this would record \(field) \(time), \(bound) a ledger can hold; nothing was written"
        case let .idempotencyKeyReused(key, seq, recorded, asked):
            let field = if case .topUp = asked { "payment" } else { "request" }
            return "\(field) \(key) was recorded by entry #\(seq) for \(recorded.text); this asks for \(asked.text): use a new \(field) id"
        }
    }
}

extension AlreadyRecorded {
    /// One line that says what was already recorded.
    public var message: String {
        switch self {
        case let .jobAlreadyCharged(job, seq): return "already recorded: job \(job) was charged by entry #\(seq); not charged again"
        case let .jobAlreadyRefunded(job, seq): return "already recorded: job \(job) was refunded by entry #\(seq); not refunded again"
        case let .jobAlreadyHeld(job, seq): return "already recorded: job \(job) is held by entry #\(seq); not held again"
        case let .itemAlreadyOwned(kind, item, seq): return "already owned: \(kind) \(item) was cloned by entry #\(seq); no charge"
        case let .invoiceAlreadyGranted(invoice, seq): return "already recorded: invoice \(invoice) was granted by entry #\(seq); no second grant"
        case let .paymentAlreadyRecorded(payment, seq): return "already recorded: payment \(payment) was recorded by entry #\(seq); not bought again"
        case let .requestAlreadyRecorded(request, seq): return "already recorded: request \(request) was recorded by entry #\(seq); not recorded again"
        case let .alreadyReversed(entry, seq): return "already reversed: entry #\(entry) was reversed by entry #\(seq); not reversed again"
        case let .alreadyRemoved(person, ws?, seq): return "already removed: \(person) was removed from workspace \(ws) by entry #\(seq); not removed again"
        case let .alreadyRemoved(person, nil, seq): return "already removed: \(person) was removed as a support agent by entry #\(seq); not removed again"
        case .alreadyInState(let text): return "already so: \(text)"
        }
    }
}
