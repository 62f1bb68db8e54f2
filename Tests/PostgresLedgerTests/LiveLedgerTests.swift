import CreditKit
import Foundation
import LedgerCore
import Testing
@testable import PostgresLedger

/// Live desks at the ledger's level, on the real server: every commit is announced on
/// `creditdesk_journal` after COMMIT (and nothing is for a refused command), a listening desk
/// hears it without a query of its own, hears its connection cut, and after `reconnect` listens
/// again and catches up with what was written meanwhile.
@Suite(.enabled(if: TestPostgres.isConfigured, TestPostgres.skipNote))
struct LiveLedgerTests {
    static let catalogBytes: [UInt8] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return Array((try? Data(contentsOf: root.appendingPathComponent("Data/catalogs/konfiwear.json"))) ?? Data())
    }()

    static func decode(_ bytes: [UInt8]) throws(LedgerError) -> Catalog {
        do { return try JSONDecoder().decode(Catalog.self, from: Data(bytes)) } catch {
            throw .damaged(line: 0, seq: nil, problem: "catalog: \(error)")
        }
    }

    static var now: Timestamp { Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) }

    /// A ledger in a fresh database with workspace acme, and a second desk opened on it.
    static func twoDesks() throws -> (ScratchDatabase, writer: PostgresLedger, listener: PostgresLedger) {
        let database = try TestPostgres.freshDatabase("live")
        let credentials = PostgresCredentials.resolve(database.location, environment: ProcessInfo.processInfo.environment)
        let writer = try PostgresLedger.create(database.location, credentials: credentials, catalogBytes: catalogBytes,
                                               catalog: try decode(catalogBytes), time: now)
        _ = try writer.submit(.createWorkspace(id: "acme", name: "Acme Tees", owner: "sam@example.com", plan: "pro", trial: false),
                              context: CommandContext(actor: writer.sessionUser, time: now))
        let listener = try PostgresLedger.open(database.location, credentials: credentials, decodeCatalog: decode)
        return (database, writer, listener)
    }

    /// What `ledger` hears within `seconds`: polls `takeNews` until something comes.
    static func news(_ ledger: PostgresLedger, within seconds: Double) -> LedgerNews {
        let deadline = Date().addingTimeInterval(seconds)
        var heard = LedgerNews()
        while Date() < deadline {
            let news = ledger.takeNews()
            heard.commits = heard.commits || news.commits
            heard.lost = heard.lost || news.lost
            if heard.commits || heard.lost { return heard }
            usleep(10_000)
        }
        return heard
    }

    func adjust(_ ledger: PostgresLedger, _ amount: Int64, _ reason: String, workspace: String = "acme") throws -> SubmitOutcome {
        try ledger.submit(.adjust(workspace: workspace, amount: amount, reason: reason), context: CommandContext(actor: ledger.sessionUser, time: Self.now))
    }

    @Test("a commit is heard by a listening desk, with no query of its own; a refused command is not announced")
    func aCommitIsAnnouncedAndARefusalIsNot() throws {
        let (database, writer, listener) = try Self.twoDesks()
        defer { writer.close(); listener.close(); database.drop() }
        try listener.listen()
        #expect(Self.news(listener, within: 0.3) == LedgerNews(), "nothing heard while nobody writes")
        if case .rejected = try adjust(writer, 5, "nowhere", workspace: "nope") {} else { Issue.record("a write to an unknown workspace was not refused") }
        #expect(Self.news(listener, within: 0.5) == LedgerNews(), "a refused command writes and announces nothing")
        let before = listener.state.lastSeq
        _ = try adjust(writer, 7, "from the other desk")
        #expect(Self.news(listener, within: 2).commits, "the commit was announced")
        #expect(listener.state.lastSeq == before, "hearing is not reading: the state moves only on refresh")
        try listener.refresh()
        #expect(listener.state.lastSeq == writer.state.lastSeq)
        #expect(listener.state.workspaces["acme"]?.balance == 7)
    }

    @Test("a cut connection is heard as lost; reconnect listens again and refresh catches up with what was written meanwhile")
    func aLostConnectionIsHeardAndReconnectCatchesUp() throws {
        let (database, writer, listener) = try Self.twoDesks()
        defer { writer.close(); listener.close(); database.drop() }
        try listener.listen()
        let pid = try #require(try listener.session.query("SELECT pg_backend_pid()").first?.decode(Int32.self))
        let admin = try TestPostgres.connect(database.server)
        defer { admin.close() }
        try admin.query("SELECT pg_terminate_backend($1)", [pid])
        #expect(Self.news(listener, within: 2).lost, "the cut was heard")
        #expect(throws: LedgerError.self) { try listener.refresh() }
        _ = try adjust(writer, 9, "while the desk was away")
        try listener.reconnect()
        try listener.refresh()
        #expect(listener.state.lastSeq == writer.state.lastSeq, "caught up with the write made meanwhile")
        #expect(listener.state.workspaces["acme"]?.balance == 9)
        _ = try adjust(writer, 1, "after the return")
        #expect(Self.news(listener, within: 2).commits, "listening again after the reconnect")
    }

    /// Takes back, as a crash before the flush or a standby promoted without them would, the commits after `seq`:
    /// their journal rows and everything written with them, and the head (triggers bypassed).
    static func loseCommits(after seq: Int64, hash: String, workspace: String, on admin: PostgresSession) throws {
        try admin.query("SET session_replication_role = replica")
        try admin.query("DELETE FROM creditdesk.entries WHERE seq > $1", [seq])
        try admin.query("DELETE FROM creditdesk.idempotency_keys WHERE seq > $1", [seq])
        try admin.query("DELETE FROM creditdesk.balances WHERE workspace = $1", [workspace])
        try admin.query("DELETE FROM creditdesk.workspace_states WHERE workspace = $1", [workspace])
        try admin.query("DELETE FROM creditdesk.journal WHERE seq > $1", [seq])
        try admin.query("UPDATE creditdesk.head SET seq = $1, hash = $2", [seq, hash])
        try admin.query("SET session_replication_role = origin")
    }

    /// Whether `ledger` hears its connection lost within `seconds` (news of commits aside).
    static func heardLoss(_ ledger: PostgresLedger, within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if ledger.takeNews().lost { return true }
            usleep(10_000)
        }
        return false
    }

    @Test("a reconnect to a server without a commit the desk had read (lost in a crash before it was durable, a standby promoted without it) reads the ledger again")
    func aReconnectAfterLostCommitsReadsTheLedgerAgain() throws {
        let (database, writer, listener) = try Self.twoDesks()
        defer { writer.close(); listener.close(); database.drop() }
        try listener.listen()
        let (keptSeq, keptHash) = (writer.state.lastSeq, writer.state.lastHash)
        _ = try adjust(writer, 7, "committed, then lost by the server's crash")
        try listener.refresh()
        #expect(listener.state.workspaces["acme"]?.balance == 7)
        let admin = try TestPostgres.connect(database.location)
        defer { admin.close() }
        try Self.loseCommits(after: keptSeq, hash: keptHash, workspace: "acme", on: admin)
        let pid = try #require(try listener.session.query("SELECT pg_backend_pid()").first?.decode(Int32.self))
        try admin.query("SELECT pg_terminate_backend($1)", [pid])
        #expect(Self.heardLoss(listener, within: 2), "the cut was heard")
        try listener.reconnect()
        #expect(listener.state.lastSeq == keptSeq, "the desk stands where the server stands")
        #expect(listener.state.workspaces["acme"]?.balance == 0)
        let credentials = PostgresCredentials.resolve(database.location, environment: ProcessInfo.processInfo.environment)
        let another = try PostgresLedger.open(database.location, credentials: credentials, decodeCatalog: Self.decode)
        defer { another.close() }
        _ = try adjust(another, 3, "written after the server's return")
        try listener.refresh()
        #expect(listener.state.lastSeq == another.state.lastSeq)
        #expect(listener.state.workspaces["acme"]?.balance == 3, "the chain goes on from the server's head, not from the lost commit")
    }

    @Test("a connection lost while COMMIT runs says the write may or may not stand, never that nothing was written")
    func aConnectionLostDuringCommitSaysTheOutcomeIsUnknown() throws {
        let (database, writer, listener) = try Self.twoDesks()
        defer { writer.close(); listener.close(); database.drop() }
        let admin = try TestPostgres.connect(database.location)
        defer { admin.close() }
        // A deferred constraint trigger runs inside COMMIT: it holds the write there long enough to cut it.
        try admin.query("CREATE FUNCTION public.slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(5); RETURN NULL; END $$")
        try admin.query("""
            CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON creditdesk.journal DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION public.slow_commit()
            """)
        let pid = try #require(try writer.session.query("SELECT pg_backend_pid()").first?.decode(Int32.self))
        TestPostgres.cutWhenSleeping(pid, on: database.location)
        do {
            _ = try adjust(writer, 4, "cut inside COMMIT")
            Issue.record("the write reported success although its connection was cut inside COMMIT")
        } catch {
            #expect("\(error)".contains("may or may not have been recorded"), "\(error)")
            #expect(!"\(error)".contains("nothing was written"), "\(error)")
        }
    }
}
