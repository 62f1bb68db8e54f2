import Testing
@testable import CreditKit

/// R26: a top-up carries its payment reference, an adjustment or grant its request id; each is
/// recorded once per workspace, and a repeat answers with the original and changes nothing.
@Suite struct IdempotentMoneyMovesTests {
    @Test func R26_aTopUpWithTheSamePaymentIsBoughtOnce() {
        var h = Harness.acme()
        let first = h.append(.topUp(workspace: "acme", pack: "topup_50", payment: "pay-1"), as: People.owner)
        #expect(first.first?.payment == "pay-1")
        let balance = h.balance()
        let journal = h.journal.count
        let repeated = h.run(.topUp(workspace: "acme", pack: "topup_50", payment: "pay-1"), as: People.owner)
        #expect(repeated == .success(.alreadyRecorded(.paymentAlreadyRecorded(payment: "pay-1", seq: first[0].seq))))
        // Another pack under the same payment buys nothing either: the ledger, which reads the
        // original entry, refuses it (`R26_theSameKeyForAnotherMoveIsARefusal`).
        let other = h.run(.topUp(workspace: "acme", pack: "topup_800", payment: "pay-1"), as: People.owner)
        #expect(other == .success(.alreadyRecorded(.paymentAlreadyRecorded(payment: "pay-1", seq: first[0].seq))))
        #expect(h.balance() == balance)
        #expect(h.journal.count == journal)
    }

    @Test func R26_aPaymentIsOncePerWorkspaceAndWithoutOneEveryTopUpBuys() {
        var h = Harness.acme()
        h.append(.createWorkspace(id: "beta", name: "Beta", owner: People.owner, plan: "pro", trial: false), as: People.support)
        h.append(.topUp(workspace: "acme", pack: "topup_50", payment: "pay-1"), as: People.owner)
        h.append(.topUp(workspace: "beta", pack: "topup_50", payment: "pay-1"), as: People.owner)
        h.append(.topUp(workspace: "acme", pack: "topup_50"), as: People.owner)
        h.append(.topUp(workspace: "acme", pack: "topup_50"), as: People.owner)
        #expect(h.balance("acme") == 1_500)
        #expect(h.balance("beta") == 500)
    }

    @Test func R26_aSupportTopUpOnTheOwnersBehalfKeepsThePayment() {
        var h = Harness.acme()
        let entries = h.append(.topUp(workspace: "acme", pack: "topup_100", payment: "order-7"), as: People.support)
        #expect(entries.first?.onBehalfOf == People.owner && entries.first?.payment == "order-7")
        #expect(h.run(.topUp(workspace: "acme", pack: "topup_100", payment: "order-7"), as: People.owner)
            == .success(.alreadyRecorded(.paymentAlreadyRecorded(payment: "order-7", seq: entries[0].seq))))
    }

    @Test func R26_anAdjustmentWithTheSameRequestIsRecordedOnce() {
        var h = Harness.acme()
        let first = h.append(.adjust(workspace: "acme", amount: 40, reason: "goodwill", request: "req-1"), as: People.support)
        #expect(first.first?.request == "req-1")
        #expect(h.run(.adjust(workspace: "acme", amount: 40, reason: "goodwill", request: "req-1"), as: People.support)
            == .success(.alreadyRecorded(.requestAlreadyRecorded(request: "req-1", seq: first[0].seq))))
        #expect(h.balance() == 40)
    }

    @Test func R26_aGrantWithTheSameRequestIsRecordedOnce() {
        var h = Harness.acme()
        let first = h.append(.grant(workspace: "acme", amount: 100, source: .promo, reason: "launch", expires: nil, request: "req-9"),
                             as: People.support)
        #expect(h.run(.grant(workspace: "acme", amount: 100, source: .promo, reason: "launch", expires: nil, request: "req-9"),
                      as: People.support)
            == .success(.alreadyRecorded(.requestAlreadyRecorded(request: "req-9", seq: first[0].seq))))
        // Adjustments and grants share the request ids of a workspace: one request, one entry.
        #expect(h.run(.adjust(workspace: "acme", amount: 5, reason: "other", request: "req-9"), as: People.support)
            == .success(.alreadyRecorded(.requestAlreadyRecorded(request: "req-9", seq: first[0].seq))))
        #expect(h.balance() == 100)
    }

    @Test func R26_aRepeatIsStillRefusedToSomeoneNotPermitted() {
        var h = Harness.acme()
        h.append(.topUp(workspace: "acme", pack: "topup_50", payment: "pay-1"), as: People.owner)
        // R18 first: a member learns nothing about the owner's payments.
        #expect(h.reject(.topUp(workspace: "acme", pack: "topup_50", payment: "pay-1"), as: People.member)
            == .notPermitted(actor: People.member, verb: "buy a top-up pack", allowed: [.owner, .support]))
    }

    @Test(arguments: ["", "has space", String(repeating: "x", count: 129), "line\nbreak"] as [String])
    func R26_aKeyThatIsNotAnIdIsRefused(key: String) {
        var h = Harness.acme()
        h.fund("acme", 50)
        #expect(h.reject(.topUp(workspace: "acme", pack: "topup_50", payment: key), as: People.owner) == .invalidToken(field: "payment id"))
        #expect(h.reject(.adjust(workspace: "acme", amount: 1, reason: "r", request: key), as: People.support) == .invalidToken(field: "request id"))
        #expect(h.reject(.grant(workspace: "acme", amount: 1, source: .promo, reason: "r", expires: nil, request: key), as: People.support)
            == .invalidToken(field: "request id"))
    }

    @Test func R26_replayingTheJournalKeepsTheKeys() throws {
        var h = Harness.acme()
        h.append(.topUp(workspace: "acme", pack: "topup_50", payment: "pay-1"), as: People.owner)
        h.append(.adjust(workspace: "acme", amount: -5, reason: "fix", request: "req-1"), as: People.support)
        let replayed = try h.replayed()
        #expect(replayed.workspaces["acme"]?.payments == ["pay-1": 4])
        #expect(replayed.workspaces["acme"]?.requests == ["req-1": 5])
    }

    @Test func R26_theSameKeyForAnotherMoveIsARefusal() {
        var h = Harness.acme()
        let topup = h.append(.topUp(workspace: "acme", pack: "topup_200", payment: "ord-77"), as: People.owner)[0]
        let adjust = h.append(.adjust(workspace: "acme", amount: -10, reason: "a", request: "tk-1"), as: People.support)[0]
        let grant = h.append(.grant(workspace: "acme", amount: 50, source: .promo, reason: "g", expires: nil, request: "tk-2"),
                             as: People.support)[0]
        let cases: [(Command, Entry, Rejection?)] = [
            (.topUp(workspace: "acme", pack: "topup_100", payment: "ord-77"), topup,
             .idempotencyKeyReused(key: "ord-77", seq: topup.seq, recorded: .topUp(pack: "topup_200"), asked: .topUp(pack: "topup_100"))),
            (.topUp(workspace: "acme", pack: "topup_200", payment: "ord-77"), topup, nil),
            (.adjust(workspace: "acme", amount: 20, reason: "b", request: "tk-1"), adjust,
             .idempotencyKeyReused(key: "tk-1", seq: adjust.seq, recorded: .adjust(credits: -10), asked: .adjust(credits: 20))),
            // The same amount with another reason is the same request, retried.
            (.adjust(workspace: "acme", amount: -10, reason: "b", request: "tk-1"), adjust, nil),
            (.grant(workspace: "acme", amount: 50, source: .trial, reason: "g", expires: nil, request: "tk-2"), grant,
             .idempotencyKeyReused(key: "tk-2", seq: grant.seq, recorded: .grant(credits: 50, source: .promo),
                                   asked: .grant(credits: 50, source: .trial))),
            (.grant(workspace: "acme", amount: 60, source: .promo, reason: "g", expires: nil, request: "tk-2"), grant,
             .idempotencyKeyReused(key: "tk-2", seq: grant.seq, recorded: .grant(credits: 50, source: .promo),
                                   asked: .grant(credits: 60, source: .promo))),
            (.adjust(workspace: "acme", amount: 50, reason: "g", request: "tk-2"), grant,
             .idempotencyKeyReused(key: "tk-2", seq: grant.seq, recorded: .grant(credits: 50, source: .promo), asked: .adjust(credits: 50))),
            (.grant(workspace: "acme", amount: 50, source: .promo, reason: "other", expires: nil, request: "tk-2"), grant, nil),
        ]
        for (command, original, expected) in cases {
            #expect(command.keyReuse(of: original) == expected, "\(command)")
        }
        #expect(Rejection.idempotencyKeyReused(key: "ord-77", seq: 3, recorded: .topUp(pack: "topup_200"), asked: .topUp(pack: "topup_100")).message
            == "payment ord-77 was recorded by entry #3 for topup_200; this asks for topup_100: use a new payment id")
    }
}
