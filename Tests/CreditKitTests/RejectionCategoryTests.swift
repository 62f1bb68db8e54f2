import Testing
@testable import CreditKit

/// Every refusal has a stable category (`Rejection.category`): the key `import` counts refusals
/// under, the same for every instance of a case, with no numbers or names of the instance in it.
@Suite struct RejectionCategoryTests {
    /// Two instances of every case, with different values.
    static func samples(_ n: Int64) -> [Rejection] {
        let t = Timestamp(secondsSinceEpoch: 1_700_000_000 + n)
        let name = "p\(n)"
        return [
            .notPermitted(actor: name, verb: "charge", allowed: [.support]), .unknownWorkspace(name), .workspaceExists(name),
            .unknownAction(name), .notAJobAction(name), .unknownCloneKind(name), .unknownPack(name), .unknownPlan(name),
            .invalidIdentifier(field: "job", value: name), .invalidText(field: "reason"), .invalidToken(field: "member name"),
            .expiryNotInFuture(expires: t, now: t), .invalidAddress(field: "owner", value: name), .invalidAmount("at most \(n)"),
            .insufficientCredits(action: name, cost: n + 7, balance: n, shortfall: 7, suggestion: nil),
            .noInvoiceDuringTrial(workspace: name), .noActiveSubscription(workspace: name),
            .copilotAllowanceExceeded(used: n, allowance: n, requested: 1), .alreadyMember(workspace: name, person: name),
            .alreadyOperator(name), .clockBehind(requested: t, last: t), .clockOverrideNotPermitted(actor: name),
            .clockOverrideTooFar(requested: t, real: t, toleranceSeconds: n), .timeAhead(time: t, clock: t, toleranceSeconds: n),
            .unknownEntry(workspace: name, seq: n), .notReversible(seq: n, kind: .charge),
            .reversalExceedsBalance(seq: n, credits: n, balance: 0), .reversalUncoversHolds(seq: n, credits: n, available: 0),
            .idempotencyKeyReused(key: name, seq: n, recorded: .topUp(pack: "topup_50"), asked: .topUp(pack: "topup_100")),
            .insufficientAvailable(action: name, cost: n + 7, available: n, held: 3, shortfall: 7, suggestion: nil),
            .jobAlreadyCharged(job: name, seq: n), .holdActionMismatch(job: name, held: "ai_graphic", asked: "print_file", seq: n),
            .invalidHoldTTL(seconds: n), .nothingToVoid(workspace: name, seq: n), .alreadyVoided(seq: n, by: n + 1),
            .rolloverVoided(seq: n, rollover: n + 1, by: n + 2), .grantReversed(seq: n + 1, grant: n, by: n + 2),
            .voidUncoversHolds(seq: n, remaining: n, available: 0), .actingForOthersNotPermitted(by: name, actor: name),
            .autoTopUpThresholdOutOfRange(n), .autoTopUpTargetNotAboveThreshold(target: n, threshold: n + 1),
            .autoTopUpCapOutOfRange(n), .autoTopUpCapBelowPack(capCents: n, pack: "topup_50", priceCents: 5_000),
            .noAutoTopUpRule(workspace: name), .noPendingTopUpRequest(workspace: name, request: name, pending: nil),
            .memberLimitReached(member: name, workspace: name, left: n, limit: n + 2, action: "ai_graphic", cost: n + 6),
            .memberLimitAndCredits(member: name, workspace: name, left: n, limit: n + 2, action: "ai_graphic", cost: n + 6,
                                   available: n, held: 0, shortfall: 6, suggestion: nil),
            .notAMember(workspace: name, person: name), .timeNotRecordable(field: "expires", time: t),
            .notAMemberToRemove(workspace: name, person: name), .ownerCannotBeRemoved(workspace: name, owner: name),
            .notAnOperator(name), .lastSupportAgent(name),
        ]
    }

    /// A compile-time list of every case: a new case fails to build here until it has a sample above.
    static func caseName(_ rejection: Rejection) -> String {
        switch rejection {
        case .notPermitted, .unknownWorkspace, .workspaceExists, .unknownAction, .notAJobAction, .unknownCloneKind,
             .unknownPack, .unknownPlan, .invalidIdentifier, .invalidText, .invalidToken, .expiryNotInFuture, .invalidAddress,
             .invalidAmount, .insufficientCredits, .noInvoiceDuringTrial, .noActiveSubscription, .copilotAllowanceExceeded,
             .alreadyMember, .alreadyOperator, .clockBehind, .clockOverrideNotPermitted, .clockOverrideTooFar, .timeAhead,
             .unknownEntry, .notReversible, .reversalExceedsBalance, .reversalUncoversHolds, .idempotencyKeyReused, .insufficientAvailable,
             .jobAlreadyCharged, .holdActionMismatch, .invalidHoldTTL, .nothingToVoid, .alreadyVoided, .rolloverVoided, .grantReversed, .voidUncoversHolds,
             .actingForOthersNotPermitted, .autoTopUpThresholdOutOfRange, .autoTopUpTargetNotAboveThreshold,
             .autoTopUpCapOutOfRange, .autoTopUpCapBelowPack, .noAutoTopUpRule, .noPendingTopUpRequest,
             .memberLimitReached, .memberLimitAndCredits, .notAMember, .timeNotRecordable, .notAMemberToRemove, .ownerCannotBeRemoved,
             .notAnOperator, .lastSupportAgent:
            return String(String(describing: rejection).prefix { $0 != "(" })
        }
    }

    @Test("Every refusal case has a stable category: the same for every instance, free of its numbers and names")
    func everyRejectionHasAStableCategory() {
        let first = Self.samples(41), second = Self.samples(9_052)
        #expect(Set(first.map(Self.caseName)).count == 53, "one sample of each case")
        for (a, b) in zip(first, second) {
            #expect(a.category == b.category, "\(Self.caseName(a)): \(a.category) / \(b.category)")
            #expect(!a.category.isEmpty && a.category != a.message, "\(Self.caseName(a)) has no category of its own")
            #expect(!a.category.contains { $0.isNumber } && !a.category.contains("p41"), "\(a.category)")
        }
    }

    @Test("R40: a monthly-limit refusal counts as `monthly limit`, not as its sentence")
    func R40_memberLimitCategoryIsMonthlyLimit() {
        let refusal = Rejection.memberLimitReached(member: "lee", workspace: "poor", left: 2, limit: 8, action: "ai_vectorize", cost: 4)
        #expect(refusal.category == "monthly limit")
        #expect(Rejection.insufficientCredits(action: "x", cost: 2, balance: 1, shortfall: 1, suggestion: nil).category == "insufficient credits")
    }
}
