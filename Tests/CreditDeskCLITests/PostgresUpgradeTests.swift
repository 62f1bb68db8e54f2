import CreditKit
import Foundation
import LedgerCore
import LedgerStore
@testable import PostgresLedger
import Testing

/// A ledger made by an older CreditDesk is upgraded to the latest schema when it is opened by a
/// role allowed to (its owner or a superuser), each migration in its own transaction under the
/// migration lock; any other role is told who can, exit 2, nothing changed.
@Suite("PostgreSQL schema upgrade on open", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresUpgradeTests {
    /// A database holding what schema version 1 wrote: only migration 1 and the init record by
    /// the server's role. Returns the CLI on it, its head `1:HASH`, and `drop`.
    private static func versionOneLedger() throws -> (CLI, head: String, drop: () -> Void) {
        let (cli, drop) = try PostgresForCLI.cli()
        let url = try #require(cli.environment["CREDITDESK_LEDGER"])
        var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) { root.deleteLastPathComponent() }
        let bytes = Array(try Data(contentsOf: root.appendingPathComponent("Data/catalogs/konfiwear.json")))
        let catalog = try CatalogLoader.decode(bytes, source: "konfiwear")
        var first = Entry(seq: 1, time: Timestamp(iso8601: CLI.defaultNow)!, kind: .initialize, actor: PostgresForCLI.role)
        first.catalog = catalog.id
        first.catalogHash = JournalFormat.sha256Hex(bytes)
        first.clock = .test
        let (line, hash) = JournalFormat.encode(first, prev: JournalFormat.genesisHash, more: false)
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let sql = (["BEGIN"] + SchemaMigrations.all[0] + [
            "INSERT INTO creditdesk.schema_version (version) VALUES (1)",
            "INSERT INTO creditdesk.ledger (catalog_id, catalog_json, catalog_sha256, created_by) VALUES ('\(catalog.id)', decode('\(hex)', 'hex'), '\(first.catalogHash!)', '\(PostgresForCLI.role)')",
            "INSERT INTO creditdesk.journal (seq, line, prev, hash, more) VALUES (1, $line$\(String(decoding: line, as: UTF8.self))$line$, '\(JournalFormat.genesisHash)', '\(hash)', false)",
            "INSERT INTO creditdesk.head (seq, hash) VALUES (1, '\(hash)')",
            "COMMIT",
        ]).joined(separator: ";\n") + ";"
        let made = try PostgresForCLI.psql(url, sql)
        try #require(made.status == 0, "\(made)")
        return (cli, "1:\(hash)", drop)
    }

    private static func versions(_ cli: CLI) throws -> String {
        let url = try #require(cli.environment["CREDITDESK_LEDGER"])
        let read = try PostgresForCLI.psql(url, "SELECT string_agg(version::text, ',' ORDER BY version) FROM creditdesk.schema_version")
        try #require(read.status == 0, "\(read)")
        return read.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static var allVersions: String { (1...SchemaMigrations.latest).map(String.init).joined(separator: ",") }

    @Test("a version 1 ledger opened by its owner reaches the latest schema, verifies to the same head and works")
    func versionOneIsUpgradedOnOpen() throws {
        let (cli, head, drop) = try Self.versionOneLedger()
        defer { drop() }
        #expect(try Self.versions(cli) == "1")
        let verified = try cli.ok("verify", "--expect-head", head)
        #expect(verified.stdout.contains(head), "\(verified)")
        #expect(try Self.versions(cli) == Self.allVersions)

        try cli.ok("workspace", "create", "acme", "--name", "Acme Tees", "--owner", People.owner, "--plan", "pro")
        try cli.ok("workspace", "add-member", "acme", People.member)
        try cli.ok("adjust", "acme", "+60", "--reason", "seed")
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)
        #expect(try cli.balance(as: PostgresForCLI.role).int("balance") == 54)
        try cli.ok("verify", "--expect-head", head)
    }

    @Test("two processes opening a version 1 ledger at once both succeed, and each migration runs once")
    func concurrentOpenersMigrateOnce() throws {
        let (cli, head, drop) = try Self.versionOneLedger()
        defer { drop() }
        let runs = try (0..<4).map { _ in try cli.start(["verify", "--expect-head", head]) }
        for run in runs {
            let result = run.wait()
            #expect(result.status == 0, "\(result)")
        }
        #expect(try Self.versions(cli) == Self.allVersions)
    }

    @Test("a role that may not migrate gets one line naming who can, exit 2, and the schema stays as it was")
    func otherRoleIsToldWhoUpgrades() throws {
        let (cli, _, drop) = try Self.versionOneLedger()
        let reader = "upgrade_reader_\(UInt32.random(in: 0..<UInt32.max))"
        let server = try #require(PostgresForCLI.serverURL)
        defer {
            drop()
            _ = try? PostgresForCLI.psql(server, "DROP ROLE IF EXISTS \(reader)")
        }
        let url = try #require(cli.environment["CREDITDESK_LEDGER"])
        let granted = try PostgresForCLI.psql(url, "CREATE ROLE \(reader) LOGIN; GRANT USAGE ON SCHEMA creditdesk TO \(reader); GRANT SELECT ON ALL TABLES IN SCHEMA creditdesk TO \(reader)")
        try #require(granted.status == 0, "\(granted)")
        let asReader = ["CREDITDESK_LEDGER": url.replacingOccurrences(of: "://\(PostgresForCLI.role)@", with: "://\(reader)@")]
        let refused = try cli.run(["workspace", "list"], environment: asReader)
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderrLines.count == 1, "\(refused)")
        #expect(refused.stderr.contains("schema is version 1") && refused.stderr.contains("opening it once"), "\(refused)")
        #expect(try Self.versions(cli) == "1")
    }

    /// A version 8 ledger (the last whose desks wrote the tables themselves; or of `version`)
    /// with acme and a member whose login role the desk role took in: the records are a folder
    /// ledger's lines, put in by the server's role with the schema of that version as it shipped.
    static func versionEightLedger(member: String, version: Int = 8) throws -> (CLI, drop: () -> Void) {
        let (cli, drop) = try PostgresForCLI.cli()
        let url = try #require(cli.environment["CREDITDESK_LEDGER"])
        let folder = cli.scratch + "/v8-source"
        let onFolder = ["CREDITDESK_LEDGER": folder]
        try cli.ok(["init", "--catalog", "konfiwear"], as: PostgresForCLI.role, environment: onFolder)
        try cli.ok(["workspace", "create", "acme", "--name", "Acme Tees", "--owner", People.owner, "--plan", "pro"], as: PostgresForCLI.role, environment: onFolder)
        try cli.ok(["workspace", "add-member", "acme", member], as: PostgresForCLI.role, environment: onFolder)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/catalog.json")))
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        var rows: [String] = []
        var prev = JournalFormat.genesisHash
        var last = ""
        for line in try String(contentsOfFile: folder + "/journal.jsonl", encoding: .utf8).split(separator: "\n") {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let hash = try #require(record.string("hash"))
            let ws = record.string("ws").map { "'\($0)'" } ?? "NULL"
            rows.append("INSERT INTO creditdesk.journal (seq, line, prev, hash, more, workspace) VALUES (\(record.int("seq") ?? 0), $line$\(line)$line$, '\(prev)', '\(hash)', \((record["more"] as? Bool) ?? false), \(ws))")
            prev = hash
            last = "\(record.int("seq") ?? 0)"
        }
        let sql = (["BEGIN"] + SchemaMigrations.all[0..<version].flatMap { $0 } + (1...version).map { "INSERT INTO creditdesk.schema_version (version) VALUES (\($0))" } + [
            "INSERT INTO creditdesk.ledger (catalog_id, catalog_json, catalog_sha256, created_by) VALUES ('konfiwear', decode('\(hex)', 'hex'), '\(JournalFormat.sha256Hex(bytes))', '\(PostgresForCLI.role)')",
        ] + rows + ["INSERT INTO creditdesk.head (seq, hash) VALUES (\(last), '\(prev)')", "COMMIT"]).joined(separator: ";\n") + ";"
        let made = try PostgresForCLI.psql(url, sql)
        try #require(made.status == 0, "\(made)")
        return (cli, drop)
    }

    @Test("a version 8 ledger opened by its owner reaches version 9: its member keeps charging, through the server's functions only")
    func versionEightMemberKeepsWorkingAfterTheUpgrade() throws {
        let member = "v8_member_\(UInt32.random(in: 0..<UInt32.max))"
        let server = try #require(PostgresForCLI.serverURL)
        let created = try PostgresForCLI.psql(server, "CREATE ROLE \(member) LOGIN")
        try #require(created.status == 0, "\(created)")
        let (cli, drop) = try Self.versionEightLedger(member: member)
        defer {
            drop()
            _ = try? PostgresForCLI.psql(server, "DROP ROLE IF EXISTS \(member)")
        }
        let url = try #require(cli.environment["CREDITDESK_LEDGER"])
        let privilege = "SELECT has_table_privilege('\(member)', 'creditdesk.journal', 'INSERT')"
        #expect(try PostgresForCLI.psql(url, privilege).stdout.hasPrefix("t"), "version 8 let the desk insert")
        #expect(try Self.versions(cli) == "1,2,3,4,5,6,7,8")

        try cli.ok("adjust", "acme", "+60", "--reason", "seed", as: PostgresForCLI.role)
        #expect(try Self.versions(cli) == Self.allVersions)
        let asMember = ["CREDITDESK_LEDGER": url.replacingOccurrences(of: "://\(PostgresForCLI.role)@", with: "://\(member)@")]
        let charged = try cli.run(["charge", "acme", "ai_graphic", "--job", "j-1"], environment: asMember)
        #expect(charged.status == 0, "\(charged)")
        #expect(try PostgresForCLI.psql(url, privilege).stdout.hasPrefix("f"), "version 9 took the desk's INSERT back")
        #expect(try cli.balance(as: PostgresForCLI.role).int("balance") == 54)
        try cli.ok("verify", as: PostgresForCLI.role)
    }

    @Test("a version 10 ledger opened by its owner reaches version 11: its member's alert is queued in creditdesk.outbox, which it reads but cannot write")
    func versionTenGainsTheOutbox() throws {
        let member = "v10_member_\(UInt32.random(in: 0..<UInt32.max))"
        let server = try #require(PostgresForCLI.serverURL)
        let created = try PostgresForCLI.psql(server, "CREATE ROLE \(member) LOGIN")
        try #require(created.status == 0, "\(created)")
        let (cli, drop) = try Self.versionEightLedger(member: member, version: 10)
        defer {
            drop()
            _ = try? PostgresForCLI.psql(server, "DROP ROLE IF EXISTS \(member)")
        }
        let url = try #require(cli.environment["CREDITDESK_LEDGER"])
        #expect(try Self.versions(cli) == "1,2,3,4,5,6,7,8,9,10")
        #expect(try PostgresForCLI.psql(url, "SELECT to_regclass('creditdesk.outbox')").stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)

        try cli.ok("adjust", "acme", "+15", "--reason", "seed", as: PostgresForCLI.role)
        #expect(try Self.versions(cli) == Self.allVersions)
        let asMember = url.replacingOccurrences(of: "://\(PostgresForCLI.role)@", with: "://\(member)@")
        let charged = try cli.run(["charge", "acme", "ai_graphic", "--job", "j-1"], environment: ["CREDITDESK_LEDGER": asMember])   // 9
        #expect(charged.status == 0, "\(charged)")
        let seen = try PostgresForCLI.psql(asMember, "SELECT workspace || '|' || alert FROM creditdesk.outbox")
        #expect(seen.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "acme|low", "\(seen)")
        let written = try PostgresForCLI.psql(asMember, "DELETE FROM creditdesk.outbox")
        #expect(written.status != 0 && written.stderr.contains("permission denied"), "\(written)")
        try cli.ok("verify", as: PostgresForCLI.role)
    }
}
