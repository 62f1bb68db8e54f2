import CreditKit
import Foundation
import LedgerCore
import Testing

/// R5, S3 through the real binary: a ledger the previous version wrote, whose refund came back as
/// credits that never expire (so its later expiry of the promo names fewer credits than the parcel
/// holds now that refunds go back to their parcels), still verifies, on a folder and on PostgreSQL
/// after `migrate --to`; an expiry short by credits no refund gave back is still named.
enum OlderRefundLedger {
    static let day1 = "2026-01-01T00:00:00Z", day2 = "2026-01-02T00:00:00Z", day3 = "2026-01-03T00:00:00Z"
    static let day6 = "2026-01-06T00:00:00Z"

    /// A sofia ledger made by `support`: workspace w (owner sam) holds 50 paid credits and 10 promo
    /// credits expiring on 2026-01-05; jobs i1...i6 burn 6 of the promo and, when `refund`, are
    /// refunded. On the 6th an adjustment of 5 writes the promo's expiry in its commit, which is then
    /// rewritten to take `taken` credits (balances after it following) and the journal chained
    /// again. Returns the expiry's seq and the credits the rules wrote for it.
    static func make(_ cli: CLI, as support: String, refund: Bool, taken: Credits) throws -> (seq: Int64, written: Credits) {
        try cli.ok("init", "--catalog", "sofia", "--now", day1, as: support)
        try cli.ok("workspace", "create", "w", "--name", "W", "--owner", People.owner, "--plan", "pro", "--now", day1, as: support)
        try cli.ok("adjust", "w", "+50", "--reason", "opening", "--now", day1, as: support)
        try cli.ok("grant", "w", "10", "--kind", "promo", "--reason", "welcome", "--expires", "2026-01-05T00:00:00Z", "--now", day1, as: support)
        for index in 1...6 { try cli.ok("charge", "w", "image", "--job", "i\(index)", "--now", day2, as: People.owner) }
        if refund { for index in 1...6 { try cli.ok("job-failed", "w", "--job", "i\(index)", "--now", day3, as: People.owner) } }
        try cli.ok("adjust", "w", "+5", "--reason", "goodwill", "--now", day6, as: support)
        return try rewriteExpiry(cli.journalPath, taken: taken)
    }

    /// Rewrites the journal's expiry to take `taken` credits, every later balance of its
    /// workspace following, and chains the journal again, each record keeping its commit.
    static func rewriteExpiry(_ path: String, taken: Credits) throws -> (seq: Int64, written: Credits) {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var records = try text.split(separator: "\n").map { line in
            try Array(line.utf8).withUnsafeBufferPointer { try JournalFormat.decode($0) }
        }
        let index = try #require(records.firstIndex { $0.entry.kind == .expiry })
        let written = records[index].entry.credits
        for later in records.indices where later >= index && records[later].entry.workspace == records[index].entry.workspace {
            records[later].entry.balance = records[later].entry.balance.map { $0 - written - taken }
        }
        records[index].entry.credits = -taken
        var rebuilt: [UInt8] = []
        var prev = JournalFormat.genesisHash
        for record in records {
            let (line, hash) = JournalFormat.encode(record.entry, prev: prev, more: record.more)
            rebuilt += line + [10]
            prev = hash
        }
        try Data(rebuilt).write(to: URL(fileURLWithPath: path))
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent + "/checkpoint")
        return (records[index].entry.seq, -written)
    }
}

@Suite("verify reads an older version's expiry of refunded credits (R5, S3)")
struct OlderRefundVerifyCLITests {
    @Test("R5: a ledger whose expiry left the refunded 6 credits behind (-4 of a promo now holding 10) verifies, exit 0, and keeps its balance")
    func R5_anOlderRefundsExpiryVerifiesThroughTheBinary() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let (_, written) = try OlderRefundLedger.make(cli, as: People.support, refund: true, taken: 4)
        #expect(written == 10)
        let verify = try cli.run("verify", as: People.support)
        #expect(verify.status == 0, "\(verify)")
        let balance = try cli.ok("balance", "w", "--json", "--now", OlderRefundLedger.day6, as: People.support).jsonObject()
        #expect(balance.int("balance") == 61, "\(balance)")
    }

    @Test("R41, R5: at a renewal that rolls 40 over, an older expiry that left 10 refunded plan credits behind (-30 where the rules now write -40) verifies")
    func R41_anOlderRefundsExpiryAfterARolloverVerifies() throws {
        let cli = try CLI()
        defer { cli.remove() }
        _ = try RolloverTakeBackCLITests.rolledOver(cli, refundingFirst: 10)
        let (_, written) = try OlderRefundLedger.rewriteExpiry(cli.journalPath, taken: 30)
        #expect(written == 40)
        let verify = try cli.run("verify", as: People.support)
        #expect(verify.status == 0, "\(verify)")
        #expect(try RolloverTakeBackCLITests.accounts(cli) == [150, 200, 50])
    }

    @Test("S3: an expiry short by 2 credits that no refund gave back is named by verify, exit 2")
    func S3_aShortExpiryNoRefundExplainsIsNamedThroughTheBinary() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let (seq, written) = try OlderRefundLedger.make(cli, as: People.support, refund: false, taken: 2)
        #expect(written == 4)
        let verify = try cli.run("verify", as: People.support)
        #expect(verify.status == 2, "\(verify)")
        #expect(verify.stderr.contains("seq \(seq)") && verify.stderr.contains("\"credits\" is -2, the rules would have written -4"), "\(verify)")
    }
}

@Suite("verify on PostgreSQL reads an older version's expiry of refunded credits (R5, S3)",
       .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct OlderRefundVerifyPostgresTests {
    /// The older ledger in a folder, migrated into a new database; the database's URL and a way to drop it.
    static func migrated(_ cli: CLI, refund: Bool, taken: Credits) throws -> (url: String, seq: Int64, drop: () -> Void) {
        let server = try #require(PostgresForCLI.serverURL)
        let roles = try PostgresForCLI.psql(server, PostgresForCLI.ensureRoles([People.owner]))
        try #require(roles.status == 0, "\(roles)")
        let (seq, _) = try OlderRefundLedger.make(cli, as: PostgresForCLI.role, refund: refund, taken: taken)
        let (url, drop) = try PostgresMigrateTests.emptyDatabase()
        let into = try cli.run(["migrate", "--to", url], as: PostgresForCLI.role)
        #expect(into.status == 0, "\(into)")
        return (url, seq, drop)
    }

    @Test("R5 on PostgreSQL: the older ledger, migrated, verifies to the folder's head, exit 0")
    func R5_anOlderRefundsExpiryVerifiesOnPostgres() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let (url, _, drop) = try Self.migrated(cli, refund: true, taken: 4)
        defer { drop() }
        let folder = try cli.run(["verify", "--json"], as: PostgresForCLI.role)
        let database = try cli.run(["verify", "--json", "--ledger", url], as: PostgresForCLI.role)
        #expect(folder.status == 0 && database.status == 0, "\(folder)\n\(database)")
        #expect(try database.jsonObject().string("head") == (try folder.jsonObject().string("head")))
    }

    @Test("S3 on PostgreSQL: an expiry short by credits no refund gave back, migrated, is named by verify, exit 2")
    func S3_aShortExpiryNoRefundExplainsIsNamedOnPostgres() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let (url, seq, drop) = try Self.migrated(cli, refund: false, taken: 2)
        defer { drop() }
        let verify = try cli.run(["verify", "--ledger", url], as: PostgresForCLI.role)
        #expect(verify.status == 2, "\(verify)")
        #expect(verify.stderr.contains("seq \(seq)") && verify.stderr.contains("\"credits\" is -2, the rules would have written -4"), "\(verify)")
    }
}
