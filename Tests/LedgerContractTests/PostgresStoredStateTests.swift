import CreditKit
import Foundation
import LedgerCore
import LedgerStore
@testable import PostgresLedger
import Testing

/// Opening a PostgreSQL ledger for some workspaces (schema 4): each from its stored state in
/// `creditdesk.workspace_states` plus its records after it, never the whole journal; the result
/// must be the full fold's, and a stored state that does not match is ignored, never trusted.
@Suite(.enabled(if: LedgerBackendUnderTest.postgresURL != nil, "CREDITDESK_TEST_POSTGRES_URL is unset: PostgreSQL tests skipped"))
struct PostgresStoredStateTests {
    /// How many of a workspace's records may follow its stored state here (the default is 64).
    static let threshold = 4

    /// acme and globex, with enough charges on each, interleaved, that acme's state is stored
    /// more than once and ends with a tail of records after it.
    private func ledgerWithTails() throws -> (ContractScript, PostgresLedger) {
        let script = try ContractScript(.postgres)
        let ledger = try #require(script.ledger as? PostgresLedger)
        ledger.stateRefreshRecords = Self.threshold
        try script.createAcme()
        try script.record(.createWorkspace(id: "globex", name: "Globex", owner: Contract.owner, plan: "starter", trial: false),
                          as: Contract.support)
        try script.record(.topUp(workspace: "acme", pack: "topup_50", payment: "pay-1"), as: Contract.owner)
        try script.record(.topUp(workspace: "globex", pack: "topup_100"), as: Contract.owner)
        for job in 1...11 {
            try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "a-\(job)"), as: Contract.member)
            if job % 3 == 0 { try script.record(.charge(workspace: "globex", action: "print_file", job: "g-\(job)"), as: Contract.owner) }
        }
        try script.record(.hold(workspace: "acme", action: "print_file", job: "h-1", ttlSeconds: 3_600), as: Contract.member)
        return (script, ledger)
    }

    private func reopen(_ ledger: PostgresLedger, workspaces: Set<String>?) throws -> PostgresLedger {
        let location = try PostgresLocation.parse(ledger.location)
        let credentials = PostgresCredentials.resolve(location, environment: ProcessInfo.processInfo.environment)
        return try PostgresLedger.open(location, credentials: credentials, workspaces: workspaces) { bytes throws(LedgerError) in
            try CatalogLoader.decode(bytes, source: "the ledger's catalog")
        }
    }

    private func sql(_ ledger: PostgresLedger, _ statement: String) throws {
        let location = try PostgresLocation.parse(ledger.location)
        let credentials = PostgresCredentials.resolve(location, environment: ProcessInfo.processInfo.environment)
        let session = try PostgresSession.connect(location, credentials: credentials)
        defer { session.close() }
        try session.query(statement)
    }

    @Test("A workspace opened from its stored state plus the records after it equals the full fold")
    func storedStatePlusTailEqualsFullFold() throws {
        let (script, ledger) = try ledgerWithTails()
        _ = script
        let full = try reopen(ledger, workspaces: nil)
        let scoped = try reopen(ledger, workspaces: ["acme"])
        defer { full.close(); scoped.close() }
        let stored = try #require(scoped.stored["acme"])
        // The state came from a stored row, with records after it: both halves of the open ran.
        #expect(stored.usable && stored.seq > 0)
        #expect(stored.tail > 0 && stored.tail < Self.threshold)
        #expect(scoped.storedStateProblems.isEmpty)
        #expect(scoped.state.workspaces["acme"] == full.state.workspaces["acme"])
        #expect(scoped.state.workspaces["globex"] == nil, "only the workspace asked for is loaded")
        #expect(scoped.state.operators == full.state.operators)
        #expect((scoped.state.lastSeq, scoped.state.lastHash, scoped.state.lastTime) == (full.state.lastSeq, full.state.lastHash, full.state.lastTime))
        #expect(scoped.clock == full.clock)
        // The list from the stored summaries is the full fold's.
        let listing = try reopen(ledger, workspaces: [])
        defer { listing.close() }
        #expect(listing.workspaceSummaries() == full.workspaceSummaries())
        #expect(listing.state.workspaces.isEmpty)
    }

    @Test("R6, R8: a desk opened for one workspace decides against the freshest state, catching up under the head's lock")
    func R8_scopedWriterCatchesUpWithOtherWriters() throws {
        let (script, ledger) = try ledgerWithTails()
        let desk = try reopen(ledger, workspaces: ["acme"])
        defer { desk.close() }
        desk.stateRefreshRecords = Self.threshold
        // Another writer spends acme's credits after the desk opened.
        let left = try #require(ledger.state.workspaces["acme"]?.available)
        try script.record(.adjust(workspace: "acme", amount: -(left - 5), reason: "spent elsewhere"), as: Contract.support)
        try script.record(.charge(workspace: "globex", action: "ai_graphic", job: "g-late"), as: Contract.owner)
        // After the script's last minute, before acme's hold expires (its release would free credits).
        let time = Timestamp(secondsSinceEpoch: Contract.epoch.secondsSinceEpoch + 45 * 60)
        let refused = try desk.submit(.charge(workspace: "acme", action: "ai_graphic", job: "a-late"),
                                      context: CommandContext(actor: Contract.member, time: time))
        guard case .rejected(.insufficientAvailable) = refused else { Issue.record("\(refused)"); return }
        let repeated = try desk.submit(.charge(workspace: "acme", action: "ai_graphic", job: "a-1"),
                                       context: CommandContext(actor: Contract.member, time: time))
        guard case .alreadyRecorded = repeated else { Issue.record("\(repeated)"); return }
        try desk.record(.charge(workspace: "acme", action: "print_file", job: "a-late-2"), at: time)
        let full = try reopen(ledger, workspaces: nil)
        defer { full.close() }
        #expect(desk.state.workspaces["acme"] == full.state.workspaces["acme"])
        #expect(desk.state.lastSeq == full.state.lastSeq)
        let again = try reopen(ledger, workspaces: ["acme"])
        defer { again.close() }
        #expect(again.state.workspaces["acme"] == full.state.workspaces["acme"])
        #expect(try full.verify(expectedHead: nil).headSeq == full.state.lastSeq)
    }

    @Test("A stored state with a wrong checksum, seq, hash or balance is ignored, never trusted over the journal",
          arguments: [
            "UPDATE creditdesk.workspace_states SET state = overlay(state placing '\\xff'::bytea from 20 for 1) WHERE workspace = 'acme'",
            "UPDATE creditdesk.workspace_states SET state_seq = 2 WHERE workspace = 'acme'",
            "UPDATE creditdesk.workspace_states SET state_hash = repeat('e', 64) WHERE workspace = 'acme'",
            "UPDATE creditdesk.workspace_states a SET state = g.state, state_sha256 = g.state_sha256 FROM creditdesk.workspace_states g WHERE a.workspace = 'acme' AND g.workspace = 'globex'",
          ])
    func damagedStoredStateIsIgnored(_ damage: String) throws {
        let (script, ledger) = try ledgerWithTails()
        _ = script
        try sql(ledger, damage)
        let full = try reopen(ledger, workspaces: nil)
        let scoped = try reopen(ledger, workspaces: ["acme"])
        defer { full.close(); scoped.close() }
        #expect(scoped.storedStateProblems.count == 1)
        #expect(scoped.storedStateProblems.first?.contains("stored state of workspace acme") == true)
        #expect(scoped.stored["acme"]?.usable == false)
        #expect(scoped.state.workspaces["acme"] == full.state.workspaces["acme"])
        // The next write stores it whole again, and the one after opens from it.
        scoped.stateRefreshRecords = Self.threshold
        try scoped.record(.charge(workspace: "acme", action: "print_file", job: "repair"), at: Timestamp(secondsSinceEpoch: Contract.epoch.secondsSinceEpoch + 86_400))
        let repaired = try reopen(ledger, workspaces: ["acme"])
        defer { repaired.close() }
        #expect(repaired.storedStateProblems.isEmpty)
        #expect(repaired.stored["acme"]?.usable == true)
    }

    @Test("R5: a stored state in the layout before charges kept their burn (8) is a cache miss: folded again, no note, stored again")
    func R5_anOutgrownStoredStateIsACacheMiss() throws {
        let (script, ledger) = try ledgerWithTails()
        _ = script
        // acme's charges burned only paid credits that never expire, so its state ends with an empty list of
        // burns (one 8-byte count): without it, it is the layout an older build stored.
        try sql(ledger, """
            UPDATE creditdesk.workspace_states SET state = substring(state from 1 for length(state) - 8),
              state_sha256 = sha256(substring(state from 1 for length(state) - 8)) WHERE workspace = 'acme'
            """)
        let full = try reopen(ledger, workspaces: nil)
        let scoped = try reopen(ledger, workspaces: ["acme"])
        defer { full.close(); scoped.close() }
        #expect(scoped.storedStateProblems.isEmpty, "\(scoped.storedStateProblems)")
        #expect(scoped.stored["acme"]?.usable == false)
        #expect(scoped.state.workspaces["acme"] == full.state.workspaces["acme"])
        scoped.stateRefreshRecords = Self.threshold
        try scoped.record(.charge(workspace: "acme", action: "print_file", job: "again"), at: Timestamp(secondsSinceEpoch: Contract.epoch.secondsSinceEpoch + 86_400))
        let stored = try reopen(ledger, workspaces: ["acme"])
        defer { stored.close() }
        #expect(stored.storedStateProblems.isEmpty && stored.stored["acme"]?.usable == true)
    }

    @Test("A forged balance with a matching checksum is caught against the workspace's entries")
    func forgedBalanceIsCaught() throws {
        let (script, ledger) = try ledgerWithTails()
        _ = script
        let scoped = try reopen(ledger, workspaces: ["acme"])
        var forged = try #require(scoped.state.workspaces["acme"])
        let seq = try #require(scoped.stored["acme"]?.seq)
        scoped.close()
        // Rebuild the stored state as the fold had it at `seq`, but with a richer balance.
        let atSeq = try reopen(ledger, workspaces: nil)
        defer { atSeq.close() }
        forged.balance += 1_000
        var blob = BinaryWriter()
        WorkspaceStateCodec.encode(forged, into: &blob)
        try sql(ledger, """
            UPDATE creditdesk.workspace_states SET state = '\\x\(PostgresLedger.hex(blob.bytes))',
              state_sha256 = sha256('\\x\(PostgresLedger.hex(blob.bytes))'::bytea), state_seq = \(seq) WHERE workspace = 'acme'
            """)
        let reopened = try reopen(ledger, workspaces: ["acme"])
        defer { reopened.close() }
        #expect(reopened.storedStateProblems.first?.contains("balance") == true)
        #expect(reopened.state.workspaces["acme"] == atSeq.state.workspaces["acme"])
    }
}

extension PostgresLedger {
    /// Submits `command` as the member at `time` and requires it recorded.
    fileprivate func record(_ command: Command, at time: Timestamp) throws {
        let outcome = try submit(command, context: CommandContext(actor: Contract.member, time: time))
        guard case .recorded = outcome else { throw ContractFailure("\(command) was not recorded: \(outcome)") }
    }
}
