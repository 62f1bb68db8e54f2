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
        case .memberLimitReached: return "monthly limit"
        case .notAMember: return "not a member"
        case .timeNotRecordable: return "time out of range"
        }
    }
}
