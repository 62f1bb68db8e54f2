import CreditKit
import LedgerCore
import Testing

/// Holds (R35), voids (R36) and balances as of a time (R33) through the Ledger protocol, run
/// against every backend in `LedgerBackendUnderTest.all`.
@Suite("Ledger contract: holds, voids, as of")
struct HoldContractTests {
    @Test("R35: a hold reserves against the available balance and the job's charge captures it",
          arguments: LedgerBackendUnderTest.all)
    func R35_holdThenCaptureByCharge(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try script.createAcme()
        try script.record(.topUp(workspace: "acme", pack: "topup_50"), as: Contract.owner)
        let hold = try #require(try script.record(.hold(workspace: "acme", action: "ai_graphic", job: "j-1", ttlSeconds: nil), as: Contract.member).last)
        #expect(hold.kind == .hold && hold.held == 6 && hold.credits == 0)
        #expect(hold.expires?.secondsSinceEpoch == hold.time.secondsSinceEpoch + HoldPolicy.ttlSecondsDefault)
        #expect(script.acme.map { ($0.balance, $0.held, $0.available) } ?? (0, 0, 0) == (500, 6, 494))
        let summary = try #require(script.ledger.workspaceSummaries().first { $0.id == "acme" })
        #expect((summary.balance, summary.held, summary.available) == (500, 6, 494))
        let charge = try #require(try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: Contract.member).last)
        #expect(charge.kind == .charge && charge.credits == -6 && charge.ref == hold.seq)
        #expect(script.acme.map { ($0.balance, $0.held, $0.spent) } ?? (0, 0, 0) == (494, 0, 6))
        #expect(script.acme?.holds.isEmpty == true)
    }

    @Test("R35: job-failed on a held, uncharged job releases the hold by an entry", arguments: LedgerBackendUnderTest.all)
    func R35_jobFailedReleasesTheHold(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try script.createAcme()
        try script.record(.topUp(workspace: "acme", pack: "topup_50"), as: Contract.owner)
        let hold = try #require(try script.record(.hold(workspace: "acme", action: "print_file", job: "j-2", ttlSeconds: nil), as: Contract.member).last)
        let release = try script.record(.jobFailed(workspace: "acme", job: "j-2"), as: Contract.member)
        #expect(release.map(\.kind) == [.release])
        #expect(release.first?.ref == hold.seq && release.first?.held == 4 && release.first?.actor == Contract.member)
        #expect(script.acme.map { ($0.balance, $0.held, $0.spent) } ?? (0, 0, 0) == (500, 0, 0))
    }

    @Test("R35: a hold past its time to live shows released at once and is released by an entry of system with the next write",
          arguments: LedgerBackendUnderTest.all)
    func R35_expiredHoldReleasesByAnEntry(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try script.createAcme()
        try script.record(.topUp(workspace: "acme", pack: "topup_50"), as: Contract.owner)
        let hold = try #require(try script.record(.hold(workspace: "acme", action: "ai_graphic", job: "j-3", ttlSeconds: 60), as: Contract.member).last)
        let expires = try #require(hold.expires)
        let seen = try #require(script.ledger.workspaceSummaries(broughtUpTo: expires).first { $0.id == "acme" })
        #expect((seen.held, seen.available) == (0, 500), "a view at the deadline still shows the hold")
        #expect(script.acme?.held == 6, "a read wrote the release")
        let written = try script.record(.charge(workspace: "acme", action: "print_file", job: "j-4"), as: Contract.member)
        #expect(written.map(\.kind) == [.release, .charge])
        #expect(written.first?.actor == "system" && written.first?.reason == HoldPolicy.expiredReason && written.first?.ref == hold.seq)
        #expect(script.acme.map { ($0.balance, $0.held) } ?? (0, 0) == (496, 0))
    }

    @Test("R35, R8: what is held cannot be spent; the refusal names cost, available, held and shortfall; nothing is written",
          arguments: LedgerBackendUnderTest.all)
    func R35_refusalAgainstTheAvailableBalance(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try script.createAcme()
        try script.record(.adjust(workspace: "acme", amount: 10, reason: "a little"), as: Contract.support)
        try script.record(.hold(workspace: "acme", action: "ai_graphic", job: "j-1", ttlSeconds: nil), as: Contract.member)
        let seq = script.ledger.state.lastSeq
        for command in [Command.charge(workspace: "acme", action: "ai_graphic", job: "j-2"),
                        .hold(workspace: "acme", action: "ai_graphic", job: "j-3", ttlSeconds: nil)] {
            let refused = try script.submit(command, as: Contract.member)
            guard case .rejected(.insufficientAvailable(_, let cost, let available, let held, let shortfall, _)) = refused else {
                Issue.record("\(command): \(refused)"); continue
            }
            #expect((cost, available, held, shortfall) == (6, 4, 6, 2))
        }
        #expect(script.ledger.state.lastSeq == seq, "a refusal wrote something")
        try script.record(.charge(workspace: "acme", action: "print_file", job: "j-4"), as: Contract.member)
        #expect(script.acme.map { ($0.balance, $0.held, $0.available) } ?? (0, 0, 0) == (6, 6, 0))
    }

    @Test("R35: the same hold again answers with the first; another action for the held job is refused",
          arguments: LedgerBackendUnderTest.all)
    func R35_holdIsIdempotentPerJob(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try script.createAcme()
        try script.record(.topUp(workspace: "acme", pack: "topup_50"), as: Contract.owner)
        let hold = try #require(try script.record(.hold(workspace: "acme", action: "ai_graphic", job: "j-1", ttlSeconds: nil), as: Contract.member).last)
        let seq = script.ledger.state.lastSeq
        let again = try script.submit(.hold(workspace: "acme", action: "ai_graphic", job: "j-1", ttlSeconds: nil), as: Contract.owner)
        guard case .alreadyRecorded(.jobAlreadyHeld(let job, let first), _) = again else { Issue.record("\(again)"); return }
        #expect(job == "j-1" && first == hold.seq)
        let other = try script.submit(.hold(workspace: "acme", action: "print_file", job: "j-1", ttlSeconds: nil), as: Contract.member)
        guard case .rejected(.holdActionMismatch(_, let held, let asked, _)) = other else { Issue.record("\(other)"); return }
        #expect((held, asked) == ("ai_graphic", "print_file"))
        #expect(script.ledger.state.lastSeq == seq && script.acme?.held == 6)
    }

    @Test("R36: a void takes a grant's unspent remainder once, burn order deciding what remained",
          arguments: LedgerBackendUnderTest.all)
    func R36_voidRemovesTheUnspentRemainderOnce(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try script.createAcme()
        try script.record(.adjust(workspace: "acme", amount: 50, reason: "paid credits"), as: Contract.support)
        let grant = try #require(try script.record(.grant(workspace: "acme", amount: 30, source: .promo, reason: "spring", expires: nil),
                                                   as: Contract.support).last)
        try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), as: Contract.member)
        let void = try script.record(.void(workspace: "acme", seq: grant.seq, reason: "sent by mistake"), as: Contract.support)
        #expect(void.map(\.kind) == [.void])
        #expect(void.first?.credits == -24 && void.first?.ref == grant.seq)
        #expect(script.acme.map { ($0.balance, $0.earned, $0.spent) } ?? (0, 0, 0) == (50, 80, 30))
        #expect(script.acme?.voided[grant.seq] == void.first?.seq)
        let seq = script.ledger.state.lastSeq
        let twice = try script.submit(.void(workspace: "acme", seq: grant.seq, reason: "again"), as: Contract.support)
        guard case .rejected(.alreadyVoided(let voided, let by)) = twice else { Issue.record("\(twice)"); return }
        #expect(voided == grant.seq && by == void.first?.seq)
        let byMember = try script.submit(.void(workspace: "acme", seq: grant.seq, reason: "mine"), as: Contract.member)
        guard case .rejected = byMember else { Issue.record("a member voided: \(byMember)"); return }
        #expect(script.ledger.state.lastSeq == seq)
    }

    @Test("R36, R35: a void never takes credits that holds reserve", arguments: LedgerBackendUnderTest.all)
    func R36_voidDoesNotUncoverHolds(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try script.createAcme()
        let grant = try #require(try script.record(.grant(workspace: "acme", amount: 10, source: .promo, reason: "try it", expires: nil),
                                                   as: Contract.support).last)
        try script.record(.hold(workspace: "acme", action: "ai_graphic", job: "j-1", ttlSeconds: nil), as: Contract.member)
        let refused = try script.submit(.void(workspace: "acme", seq: grant.seq, reason: "withdrawn"), as: Contract.support)
        guard case .rejected(.voidUncoversHolds(_, let remaining, let available)) = refused else { Issue.record("\(refused)"); return }
        #expect((remaining, available) == (10, 4))
        #expect(script.acme.map { ($0.balance, $0.held) } ?? (0, 0) == (10, 6))
    }

    @Test("R33: the balance as of each step's time, read through the protocol, is the state that step left",
          arguments: LedgerBackendUnderTest.all)
    func R33_asOfAgreesWithEveryStep(_ backend: LedgerBackendUnderTest) throws {
        let script = try ContractScript(backend)
        try script.createAcme()
        let steps: [(Command, String)] = [
            (.topUp(workspace: "acme", pack: "topup_50"), Contract.owner),
            (.hold(workspace: "acme", action: "ai_graphic", job: "j-1", ttlSeconds: nil), Contract.member),
            (.hold(workspace: "acme", action: "print_file", job: "j-2", ttlSeconds: 120), Contract.member),
            (.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), Contract.member),
            (.grant(workspace: "acme", amount: 30, source: .promo, reason: "spring", expires: nil), Contract.support),
            (.charge(workspace: "acme", action: "ai_vectorize", job: "j-3"), Contract.member),
            (.jobFailed(workspace: "acme", job: "j-3"), Contract.member),
            (.adjust(workspace: "acme", amount: -20, reason: "duplicate"), Contract.support),
            (.charge(workspace: "acme", action: "print_file", job: "j-4"), Contract.member),
        ]
        var seen: [(Timestamp, Credits, Credits, Credits, Credits)] = []
        for (command, actor) in steps {
            let written = try script.record(command, as: actor)
            let ws = try #require(script.acme)
            seen.append((try #require(written.last).time, ws.balance, ws.earned, ws.spent, ws.held))
        }
        #expect(seen.contains { $0.4 > 0 }, "the steps hold something")
        for (time, balance, earned, spent, held) in seen {
            let asOf = try #require(try script.ledger.balance(of: "acme", asOf: time))
            #expect((asOf.balance, asOf.earned, asOf.spent, asOf.held) == (balance, earned, spent, held), "as of \(time.iso8601)")
            #expect(asOf.available == balance - held)
        }
        let before = try #require(try script.ledger.balance(of: "acme", asOf: Contract.epoch))
        #expect((before.balance, before.held, before.entries) == (0, 0, 0))
    }
}

extension ContractScript {
    /// `acme` as the ledger holds it now.
    var acme: WorkspaceState? { ledger.state.workspaces["acme"] }
}
