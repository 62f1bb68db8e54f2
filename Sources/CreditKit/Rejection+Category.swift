/// The stable name of each kind of refusal, for counts and JSON keys (`import --json`'s
/// `refused`): a few words with no numbers or names in them, the same for every instance.
extension Rejection {
    /// The refusal's kind as a stable key, such as `insufficient credits` or `monthly limit` (R40).
    public var category: String {
        switch self {
        case .notPermitted, .actingForOthersNotPermitted, .clockOverrideNotPermitted: return "not permitted"
        case .unknownWorkspace: return "unknown workspace"
        case .workspaceExists: return "workspace exists"
        case .unknownAction, .notAJobAction: return "unknown action"
        case .unknownCloneKind: return "unknown clone kind"
        case .unknownPack: return "unknown pack"
        case .unknownPlan: return "unknown plan"
        case .invalidIdentifier, .invalidToken: return "invalid identifier"
        case .invalidText: return "invalid text"
        case .expiryNotInFuture: return "expiry not in the future"
        case .invalidAddress: return "invalid address"
        case .invalidAmount: return "invalid amount"
        case .insufficientCredits: return "insufficient credits"
        case .insufficientAvailable: return "insufficient available credits"
        case .noInvoiceDuringTrial: return "no invoice during a trial"
        case .noActiveSubscription: return "no active subscription"
        case .copilotAllowanceExceeded: return "copilot allowance exceeded"
        case .alreadyMember: return "already a member"
        case .alreadyOperator: return "already a support agent"
        case .notAMemberToRemove: return "not a member"
        case .ownerCannotBeRemoved: return "owner cannot be removed"
        case .notAnOperator: return "not a support agent"
        case .lastSupportAgent: return "last support agent"
        case .clockBehind: return "earlier than the ledger's last entry"
        case .clockOverrideTooFar, .timeAhead: return "time ahead of the clock"
        case .unknownEntry: return "unknown entry"
        case .notReversible: return "not reversible"
        case .reversalExceedsBalance: return "reversal exceeds balance"
        case .reversalUncoversHolds: return "reversal uncovers holds"
        case .idempotencyKeyReused: return "id reused"
        case .jobAlreadyCharged: return "job already charged"
        case .holdActionMismatch: return "hold for another action"
        case .invalidHoldTTL: return "invalid time to live"
        case .nothingToVoid: return "nothing to void"
        case .alreadyVoided, .rolloverVoided: return "already voided"
        case .grantReversed: return "already reversed"
        case .voidUncoversHolds: return "void uncovers holds"
        case .autoTopUpThresholdOutOfRange, .autoTopUpTargetNotAboveThreshold, .autoTopUpCapOutOfRange, .autoTopUpCapBelowPack:
            return "invalid auto top-up rule"
        case .noAutoTopUpRule: return "no auto top-up rule"
        case .noPendingTopUpRequest: return "no pending top-up request"
        case .memberLimitReached, .memberLimitAndCredits: return "monthly limit"
        case .notAMember: return "not a member"
        case .timeNotRecordable: return "time out of range"
        }
    }
}

extension Rejection {
    /// R8, R35, R40: what a refusal says the pool lacks: the cost, the balance it was decided
    /// against (the available balance under holds), what is held, the shortfall and the smallest
    /// covering pack; nil for a refusal that is not about the pool's credits.
    public var poolShortfall: (cost: Credits, available: Credits, held: Credits, shortfall: Credits, suggestion: PackSuggestion?)? {
        switch self {
        case let .insufficientCredits(_, cost, balance, shortfall, suggestion): return (cost, balance, 0, shortfall, suggestion)
        case let .insufficientAvailable(_, cost, available, held, shortfall, suggestion): return (cost, available, held, shortfall, suggestion)
        case let .memberLimitAndCredits(_, _, _, _, _, cost, available, held, shortfall, suggestion):
            return (cost, available, held, shortfall, suggestion)
        default: return nil
        }
    }

    /// R40: what a refusal says of the actor's monthly limit: what is left of it, the limit and
    /// the shortfall against it; nil for a refusal that is not about a limit.
    public var limitShortfall: LimitShortfall? {
        switch self {
        case let .memberLimitReached(_, _, left, limit, _, cost), let .memberLimitAndCredits(_, _, left, limit, _, cost, _, _, _, _):
            return LimitShortfall(left: left, limit: limit, shortfall: cost - left)
        default: return nil
        }
    }
}

/// R40: how far a cost is past what is left of someone's monthly limit, in credits.
public struct LimitShortfall: Hashable, Sendable {
    /// What is left of the limit this month.
    public var left: Credits
    /// The monthly limit.
    public var limit: Credits
    /// The cost less what is left: what a top-up does not cure.
    public var shortfall: Credits

    public init(left: Credits, limit: Credits, shortfall: Credits) { self.left = left; self.limit = limit; self.shortfall = shortfall }
}
