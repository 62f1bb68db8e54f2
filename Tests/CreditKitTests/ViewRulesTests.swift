import Testing
@testable import CreditKit

/// R20–R23: the badge, the balance view, the history and the cost confirmation.
@Suite struct ViewRulesTests {
    @Test(arguments: [
        (Credits(0), BadgeLevel.critical), (1, .critical), (10, .critical), (11, .low), (50, .low),
        (100, .low), (101, .comfortable), (1_000_000, .comfortable),
    ])
    func R20_badgeThresholdsAtTheBoundaries(balance: Credits, level: BadgeLevel) {
        #expect(Catalogs.konfiwear.badge == Catalog.BadgeThresholds(criticalAtOrBelow: 10, lowAtOrBelow: 100))
        #expect(BadgeLevel.of(balance: balance, thresholds: Catalogs.konfiwear.badge) == level)
        #expect(Harness().state.badge(for: balance) == level)
    }

    @Test(arguments: [(Credits(10), BadgeLevel.critical), (11, .low), (50, .low), (51, .comfortable)])
    func R20_badgeThresholdsComeFromTheCatalog(balance: Credits, level: BadgeLevel) {
        #expect(LedgerState(catalog: Catalogs.sofia).badge(for: balance) == level)
    }

    @Test func R20_badgeHasAWordAndAGlyphBesidesColour() {
        #expect(BadgeLevel.comfortable.word == "comfortable")
        #expect(BadgeLevel.low.word == "running low")
        #expect(BadgeLevel.critical.word == "critical")
        for ascii in [true, false] {
            let glyphs = BadgeLevel.allCases.map { $0.glyph(ascii: ascii) }
            #expect(Set(glyphs).count == 3, "each level has its own glyph")
            #expect(glyphs.allSatisfy { !$0.isEmpty })
            if ascii { #expect(glyphs.allSatisfy { $0.unicodeScalars.allSatisfy { $0.isASCII } }) }
        }
    }

    /// earned = grants + top-ups + positive adjustments;
    /// spent = charges − refunds + negative adjustments + expired; balance = earned − spent.
    @Test(arguments: [Catalogs.konfiwear, Catalogs.sofia])
    func R21_balanceIsEarnedMinusSpent(catalog: Catalog) throws {
        var h = Harness.acme(catalog: catalog, plan: "pro")
        let job = catalog.actions.first { $0.kind == .job }!.id
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: People.support)
        h.append(.topUp(workspace: "acme", pack: catalog.packs[0].id), as: People.owner)
        h.append(.grant(workspace: "acme", amount: 7, source: .promo, reason: "launch", expires: h.clock.adding(days: 3)),
                 as: People.support)
        h.append(.adjust(workspace: "acme", amount: 25, reason: "goodwill"), as: People.support)
        for index in 0..<4 { h.append(.charge(workspace: "acme", action: job, job: "j-\(index)"), as: People.member) }
        h.append(.jobFailed(workspace: "acme", job: "j-1"), as: People.member)
        h.append(.adjust(workspace: "acme", amount: -3, reason: "correction"), as: People.support)
        h.advance(days: 10)
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-2"), as: People.support)
        h.append(.charge(workspace: "acme", action: job, job: "j-9"), as: People.owner)

        var earned: Credits = 0, spent: Credits = 0
        for entry in h.creditEntries() {
            switch entry.kind {
            case .grant, .topup: earned += entry.credits
            case .adjustment where entry.credits > 0: earned += entry.credits
            case .adjustment, .charge, .expiry: spent -= entry.credits
            case .refund: spent -= entry.credits
            default: Issue.record("unexpected credit kind \(entry.kind)")
            }
        }
        let ws = h.ws()
        #expect(ws.earned == earned)
        #expect(ws.spent == spent)
        #expect(ws.balance == earned - spent)
        #expect(ws.balance == h.creditEntries().reduce(0) { $0 + $1.credits })
        #expect(ws.balance == ws.buckets.reduce(0) { $0 + $1.remaining })
        #expect(ws.balance >= 0)
        if catalog.expiry != nil { #expect(!h.entries(kind: .expiry).isEmpty, "sofia expires the promo and plan credits") }
    }

    @Test func R21_anEntryThatMisstatesTheBalanceDoesNotFold() {
        var h = Harness.acme()
        h.fund("acme", 50)
        var forged = Entry(seq: h.state.lastSeq + 1, time: h.clock, kind: .topup, actor: People.owner, workspace: "acme")
        forged.credits = 500
        forged.pack = "topup_50"
        forged.balance = 500 // should be 550
        var state = h.state
        #expect(throws: ReplayError.self) { try state.apply(forged) }
        forged.balance = 550
        #expect(throws: Never.self) { try state.apply(forged) }
        #expect(state.workspaces["acme"]?.balance == 550)
    }

    @Test func R21_entriesOutOfOrderOrOnUnknownWorkspacesDoNotFold() {
        let h = Harness.acme()
        var state = h.state
        let skipped = Entry(seq: h.state.lastSeq + 2, time: h.clock, kind: .copilot, actor: People.member, workspace: "acme")
        #expect(throws: ReplayError.self) { try state.apply(skipped) }
        let early = Entry(seq: h.state.lastSeq + 1, time: h.clock.adding(days: -1), kind: .copilot, actor: People.member, workspace: "acme")
        #expect(throws: ReplayError.self) { try state.apply(early) }
        var ghost = Entry(seq: h.state.lastSeq + 1, time: h.clock, kind: .topup, actor: People.owner, workspace: "ghost")
        ghost.credits = 10
        #expect(throws: ReplayError.self) { try state.apply(ghost) }
        #expect(state.lastSeq == h.state.lastSeq)
    }

    @Test func R22_historyNamesTimeActorAndExactAction() throws {
        var h = Harness.acme(plan: "pro")
        let catalog = Catalogs.konfiwear
        h.append(.invoicePaid(workspace: "acme", invoice: "inv-311"), as: People.support)
        h.advance(seconds: 10)
        h.append(.topUp(workspace: "acme", pack: "topup_200"), as: People.owner)
        h.advance(seconds: 10)
        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "j-881"), as: People.member)
        h.append(.jobFailed(workspace: "acme", job: "j-881"), as: People.member)
        h.append(.clone(workspace: "acme", itemKind: "fabric", item: "denim-3"), as: People.owner)
        h.append(.adjust(workspace: "acme", amount: 15, reason: "goodwill"), as: People.support)

        let history = h.creditEntries()
        let expected: [(EntryKind, String, String, String)] = [
            (.grant, People.support, "invoice inv-311 (Pro)", "invoice inv-311"),
            (.topup, People.owner, "pack topup_200 ($200.00)", "pack topup_200"),
            (.charge, People.member, "AI graphic generation · job j-881", "job j-881"),
            (.refund, People.member, "AI graphic generation · job j-881", "job j-881"),
            (.charge, People.owner, "Clone a fabric · item denim-3", "item denim-3"),
            (.adjustment, People.support, "goodwill", "goodwill"),
        ]
        try #require(history.count == expected.count)
        for (entry, (kind, actor, what, reference)) in zip(history, expected) {
            #expect(entry.kind == kind)
            #expect(entry.actor == actor)
            #expect(entry.what(catalog: catalog) == what)
            #expect(entry.reference == reference)
            #expect(entry.balance != nil, "every credit entry carries the balance after it")
            #expect(entry.time >= startTime)
        }
        #expect(history.map(\.time) == history.map(\.time).sorted())
        #expect(h.ws().creditEntryCount == expected.count)
    }

    @Test func R22_recordsThatMoveNoCreditsDescribeThemselves() {
        var h = Harness.acme()
        h.fund("acme", 12)
        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "a"), as: People.member)
        h.append(.copilot(workspace: "acme", messages: 2), as: People.member)
        h.append(.cancel(workspace: "acme"), as: People.owner)
        let texts = h.journal.map { $0.what(catalog: Catalogs.konfiwear) }
        #expect(texts.contains("ledger created with catalog konfiwear"))
        #expect(texts.contains("workspace created: Acme Apparel (owner olga, plan pro, active)"))
        #expect(texts.contains("mo joined"))
        #expect(texts.contains("alert sent: balance at 6"))
        #expect(texts.contains("2 Copilot message(s), no credits"))
        #expect(texts.contains("subscription cancelled"))
        #expect(EntryKind.creditKinds.allSatisfy { $0.movesCredits })
        #expect(EntryKind.allCases.filter(\.movesCredits).count == EntryKind.creditKinds.count)
    }

    /// Deciding is a preview: it shows the exact cost and the balance after, and backing out
    /// (not appending) leaves everything as it was.
    @Test(arguments: [
        (Command.charge(workspace: "acme", action: "ai_graphic", job: "preview"), Credits(-6)),
        (.clone(workspace: "acme", itemKind: "product", item: "tee"), -500),
        (.topUp(workspace: "acme", pack: "topup_200"), 2_200),
    ])
    func R23_costConfirmationShowsCostAndBalanceAfterAndCanBackOut(command: Command, credits: Credits) throws {
        var h = Harness.acme()
        h.fund("acme", 700)
        let actor = { if case .topUp = command { return People.owner } else { return People.member } }()
        let before = h.state
        let context = CommandContext(actor: actor, time: h.clock)
        let preview = Engine.decide(command, in: h.state, context: context)
        guard case .success(.append(let entries)) = preview, let entry = entries.first else {
            Issue.record("expected a preview with entries, got \(preview)")
            return
        }
        #expect(entry.credits == credits)
        #expect(entry.balance == 700 + credits)
        if case .topUp = command { #expect(entry.priceCents == 20_000) }
        // Deciding again gives the same preview; nothing was written.
        #expect(Engine.decide(command, in: h.state, context: context) == preview)
        #expect(h.state.lastSeq == before.lastSeq)
        #expect(h.state.workspaces == before.workspaces)
    }
}
