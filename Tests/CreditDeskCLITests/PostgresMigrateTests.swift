import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `migrate --to URL|DIR` with the real binary and a real server: a generated ledger goes from a
/// folder into an empty database and back, record for record; a target that is not empty, a bad
/// URL and a server that is not there are refused in one line with nothing changed; a copy
/// killed half-way leaves the database as empty as it was.
@Suite("migrate between a folder and PostgreSQL", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresMigrateTests {
    /// A new, empty database on the test server; its URL, and a way to drop it.
    static func emptyDatabase() throws -> (url: String, drop: () -> Void) {
        let server = try #require(PostgresForCLI.serverURL)
        let name = "creditdesk_mig_\(UInt64.random(in: 0..<UInt64.max) % 1_000_000_000_000)"
        let created = try PostgresForCLI.psql(server, "CREATE DATABASE \(name)")
        try #require(created.status == 0, "\(created)")
        return (PostgresForCLI.url(server, database: name), { _ = try? PostgresForCLI.psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") })
    }

    /// Generates a ledger in `cli.scratch/NAME` made by the test's role (so that role is its
    /// support agent on PostgreSQL too), and creates a role for every operator and member it names.
    static func generated(_ cli: CLI, _ name: String, workspaces: Int, entries: Int, seed: Int = 5) throws -> String {
        let folder = cli.scratch + "/" + name
        try cli.ok(["generate", "--ledger", folder, "--workspaces", "\(workspaces)", "--entries", "\(entries)", "--seed", "\(seed)",
                    "--days", "90"], as: PostgresForCLI.role)
        let lines = try String(contentsOfFile: folder + "/journal.jsonl", encoding: .utf8).split(separator: "\n")
        var people: Set<String> = []
        for line in lines {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            if record.string("kind") == "operator", let person = record.string("name") { people.insert(person) }
            if record.string("kind") == "member", let person = record.string("member") { people.insert(person) }
        }
        let roles = try PostgresForCLI.psql(try #require(PostgresForCLI.serverURL), PostgresForCLI.ensureRoles(people.sorted()))
        try #require(roles.status == 0, "\(roles)")
        return folder
    }

    /// `verify --json`'s head on `ledger`, as `SEQ:HASH`.
    static func head(_ cli: CLI, _ ledger: String) throws -> String {
        let verify = try cli.run(["verify", "--json", "--ledger", ledger], as: PostgresForCLI.role)
        try #require(verify.status == 0, "\(verify)")
        return try #require(try verify.jsonObject().string("head"))
    }

    /// `export --format jsonl` of `ledger`, as its support agent.
    static func export(_ cli: CLI, _ ledger: String) throws -> String {
        let export = try cli.run(["export", "--format", "jsonl", "--ledger", ledger], as: PostgresForCLI.role)
        try #require(export.status == 0, "\(export)")
        return export.stdout
    }

    @Test("a generated ledger (3,000 records) goes folder → PostgreSQL → folder: the same head, byte-identical export and journal, tables as CreditDesk fills them, and the copy takes writes")
    func roundTripKeepsTheChain() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let (url, drop) = try Self.emptyDatabase()
        defer { drop() }
        let source = try Self.generated(cli, "source", workspaces: 12, entries: 3_000)
        let journalBefore = try Data(contentsOf: URL(fileURLWithPath: source + "/journal.jsonl"))

        let into = try cli.run(["migrate", "--ledger", source, "--to", url, "--json"], as: PostgresForCLI.role)
        try #require(into.status == 0, "\(into)")
        let report = try into.jsonObject()
        let sourceHead = try Self.head(cli, source)
        #expect(report.string("head") == sourceHead, "\(report)")
        #expect(report.int("records") == Int64(sourceHead.split(separator: ":")[0]))
        #expect(try Self.head(cli, url) == sourceHead)
        #expect(try Self.export(cli, url) == (try Self.export(cli, source)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: source + "/journal.jsonl")) == journalBefore, "the source was written")

        // The readable tables are what CreditDesk's own writes would have left.
        let balances = try PostgresForCLI.psql(url, "SELECT workspace || '=' || balance FROM creditdesk.balances ORDER BY workspace")
        let listed = try cli.run(["workspace", "list", "--json", "--ledger", source], as: PostgresForCLI.role)
        let expected = try listed.jsonArray().filter { $0.int("balance") != nil }
            .map { "\($0.string("workspace") ?? "")=\($0.int("balance") ?? 0)" }.sorted()
        #expect(balances.stdoutLines.sorted() == expected)
        let folded = try PostgresForCLI.psql(url, """
            SELECT count(*) FROM creditdesk.balances b
            WHERE b.balance <> (SELECT sum(credits) FROM creditdesk.entries e WHERE e.workspace = b.workspace)
            """)
        #expect(folded.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(folded)")
        let people = try PostgresForCLI.psql(url, "SELECT count(*) FROM creditdesk.people WHERE kind = 'member'")
        #expect((Int(people.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "\(people)")
        let keys = try PostgresForCLI.psql(url, "SELECT count(*) FROM creditdesk.idempotency_keys WHERE kind = 'job'")
        let charges = try PostgresForCLI.psql(url, "SELECT count(*) FROM creditdesk.entries WHERE kind = 'charge' AND job IS NOT NULL")
        #expect(keys.stdout == charges.stdout, "\(keys) \(charges)")

        // And back: the same lines, byte for byte.
        let back = cli.scratch + "/back"
        let out = try cli.run(["migrate", "--ledger", url, "--to", back], as: PostgresForCLI.role)
        try #require(out.status == 0, "\(out)")
        #expect(out.stdoutLines.count == 1 && out.stdout.contains(sourceHead), "\(out)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: back + "/journal.jsonl")) == journalBefore)
        #expect(try Data(contentsOf: URL(fileURLWithPath: back + "/catalog.json")) == (try Data(contentsOf: URL(fileURLWithPath: source + "/catalog.json"))))
        #expect(try Self.head(cli, back) == sourceHead)
        #expect(try Self.export(cli, back) == (try Self.export(cli, source)))

        // The migrated database is a working ledger.
        let workspace = try #require(try listed.jsonArray().first?.string("workspace"))
        let adjusted = try cli.run(["adjust", workspace, "+5", "--reason", "after migrate", "--ledger", url], as: PostgresForCLI.role)
        #expect(adjusted.status == 0, "\(adjusted)")
        let verify = try cli.run(["verify", "--ledger", url], as: PostgresForCLI.role)
        #expect(verify.status == 0, "\(verify)")
    }

    @Test("a target that is not empty is refused in one line, exit 1, nothing changed on either side")
    func nonEmptyTargetIsRefused() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let (url, drop) = try Self.emptyDatabase()
        defer { drop() }
        let source = try Self.generated(cli, "source", workspaces: 3, entries: 200)
        try #require(try cli.run(["migrate", "--ledger", source, "--to", url], as: PostgresForCLI.role).status == 0)
        let head = try Self.head(cli, url)

        let again = try cli.run(["migrate", "--ledger", source, "--to", url], as: PostgresForCLI.role)
        #expect(again.status == 1, "\(again)")
        #expect(again.stderrLines.count == 1 && again.stdout.isEmpty, "\(again)")
        #expect(try Self.head(cli, url) == head)

        let occupied = cli.scratch + "/occupied"
        try FileManager.default.createDirectory(atPath: occupied, withIntermediateDirectories: true)
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: occupied + "/notes.txt"))
        let intoFolder = try cli.run(["migrate", "--ledger", url, "--to", occupied], as: PostgresForCLI.role)
        #expect(intoFolder.status == 1, "\(intoFolder)")
        #expect(intoFolder.stderrLines.count == 1, "\(intoFolder)")
        #expect(cli.files(in: occupied) == ["notes.txt"])
        #expect(!cli.files(in: cli.scratch).contains { $0.contains("migrating") }, "\(cli.files(in: cli.scratch))")
    }

    @Test("a bad URL exits 64 and a server that is not there exits 2, each in one line; nothing is made")
    func badURLAndServerDown() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let source = try Self.generated(cli, "source", workspaces: 2, entries: 100)
        let withPassword = try cli.run(["migrate", "--ledger", source, "--to", "postgresql://ann:secret@/credits?host=/tmp"], as: PostgresForCLI.role)
        #expect(withPassword.status == 64, "\(withPassword)")
        #expect(withPassword.stderrLines.count == 1, "\(withPassword)")
        let nowhere = cli.scratch + "/no-server"
        let down = try cli.run(["migrate", "--ledger", source, "--to", "postgresql://ann@/credits?host=\(nowhere)"], as: PostgresForCLI.role)
        #expect(down.status == 2, "\(down)")
        #expect(down.stderrLines.count == 1, "\(down)")
        let back = cli.scratch + "/back"
        let fromDown = try cli.run(["migrate", "--ledger", "postgresql://ann@/credits?host=\(nowhere)", "--to", back], as: PostgresForCLI.role)
        #expect(fromDown.status == 2, "\(fromDown)")
        #expect(fromDown.stderrLines.count == 1, "\(fromDown)")
        #expect(!FileManager.default.fileExists(atPath: back))
        let same = try cli.run(["migrate", "--ledger", source, "--to", source], as: PostgresForCLI.role)
        #expect(same.status == 64, "\(same)")
    }

    @Test("a member the server has no role for: refused in one line, exit 1, the database left empty")
    func missingRoleIsRefused() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let (url, drop) = try Self.emptyDatabase()
        defer { drop() }
        let folder = cli.scratch + "/small"
        let stranger = "nobody-\(UInt32.random(in: 0..<UInt32.max))"
        try cli.ok(["init", "--catalog", "konfiwear", "--ledger", folder], as: PostgresForCLI.role)
        try cli.ok(["workspace", "create", "acme", "--name", "Acme", "--owner", "sam", "--plan", "pro", "--ledger", folder], as: PostgresForCLI.role)
        try cli.ok(["workspace", "add-member", "acme", stranger, "--ledger", folder], as: PostgresForCLI.role)
        let refused = try cli.run(["migrate", "--ledger", folder, "--to", url], as: PostgresForCLI.role)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderrLines.count == 1 && refused.stderr.contains(stranger), "\(refused)")
        let schema = try PostgresForCLI.psql(url, "SELECT to_regclass('creditdesk.schema_version') IS NULL")
        #expect(schema.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "t", "\(schema)")
    }

    @Test("migrate into PostgreSQL SIGKILLed at 5 points of its run (seed 11): the database is left without a schema each time, and a later migrate fills it")
    func killedCopyLeavesTheDatabaseEmpty() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let source = try Self.generated(cli, "source", workspaces: 20, entries: 12_000, seed: 11)
        let (probeURL, dropProbe) = try Self.emptyDatabase()
        let probe = try cli.spawn(["migrate", "--ledger", source, "--to", probeURL], as: PostgresForCLI.role).wait(timeout: 300)
        dropProbe()
        try #require(probe.status == 0, "\(probe)")
        let (url, drop) = try Self.emptyDatabase()
        defer { drop() }
        var random = Seeded(11)
        var killed = 0
        for _ in 0..<5 {
            let process = try cli.spawn(["migrate", "--ledger", source, "--to", url], as: PostgresForCLI.role)
            sleepSeconds(random.double(0.15..<0.8) * probe.seconds)
            process.kill(SIGKILL)
            let result = process.wait()
            if result.ending == .signaled(SIGKILL) { killed += 1 } else { #expect(result.status == 0, "\(result)"); break }
            let schema = try PostgresForCLI.psql(url, "SELECT to_regclass('creditdesk.schema_version') IS NULL")
            #expect(schema.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "t", "a killed copy left a schema behind: \(schema)")
        }
        #expect(killed >= 3, "only \(killed) of 5 kills landed inside a \(probe.seconds) s copy")
        let after = try cli.run(["migrate", "--ledger", source, "--to", url], as: PostgresForCLI.role)
        #expect(after.status == 0, "\(after)")
        #expect(try Self.head(cli, url) == (try Self.head(cli, source)))
    }
}
