import Foundation
import Testing

/// The real binary on a PostgreSQL ledger: the same chain as a file ledger fed the same
/// commands, and the faults the database adds (a lock held past the timeout, a connection lost
/// mid-command), each one line and exit 2 with nothing written.
@Suite("PostgreSQL ledger", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresLedgerCLITests {
    /// One session over every kind of credit entry and its idempotent repeats, as (arguments, actor).
    private static let script: [([String], String)] = [
        (["init", "--catalog", "konfiwear"], PostgresForCLI.role),
        (["operator", "add", People.support, "--role", "support"], PostgresForCLI.role),
        (["workspace", "create", "acme", "--name", "Acme Tees", "--owner", People.owner, "--plan", "pro"], People.support),
        (["workspace", "add-member", "acme", People.member], People.owner),
        (["invoice-paid", "acme", "--invoice", "inv-1"], People.support),
        (["invoice-paid", "acme", "--invoice", "inv-1"], People.support),
        (["topup", "acme", "topup_50", "--payment", "pay-1"], People.owner),
        (["charge", "acme", "ai_graphic", "--job", "j-1"], People.member),
        (["charge", "acme", "ai_graphic", "--job", "j-1"], People.member),
        (["job-failed", "acme", "--job", "j-1"], People.member),
        (["clone", "acme", "design", "d-9"], People.member),
        (["adjust", "acme", "-500", "--reason", "drain", "--request", "r-1"], People.support),
        (["charge", "acme", "print_file", "--job", "j-2"], People.member),
        (["copilot", "acme", "--messages", "3"], People.member),
    ]

    /// On PostgreSQL each person connects as their own role (no `--as`, which support's role
    /// would record as acting on their behalf, `by`), so both ledgers hold the same records.
    @Test("verify: a PostgreSQL ledger and a file ledger fed the same commands end at the same head and export the same lines")
    func sameCommandsSameHeadAsTheFileLedger() throws {
        let (postgres, drop) = try PostgresForCLI.cli()
        defer { drop() }
        let files = try CLI()
        defer { files.remove() }
        let url = try #require(postgres.environment["CREDITDESK_LEDGER"])
        let people = [People.support, People.owner, People.member]
        let login = try PostgresForCLI.psql(url, people.map { "ALTER ROLE \($0) LOGIN;" }.joined(separator: " "))
        try #require(login.status == 0, "\(login)")
        for (arguments, actor) in Self.script {
            let connecting = ["CREDITDESK_LEDGER": url.replacingOccurrences(of: "://\(PostgresForCLI.role)@", with: "://\(actor)@")]
            let onPostgres = try postgres.run(arguments, environment: connecting)
            let onFiles = try files.run(arguments, as: actor)
            #expect(onPostgres.status == onFiles.status, "\(onPostgres)\n\(onFiles)")
            if arguments[0] != "init" { #expect(onPostgres.stdout == onFiles.stdout, "\(onPostgres)\n\(onFiles)") }
        }
        let headOnPostgres = try postgres.ok("verify").stdoutLines.last
        let headOnFiles = try files.ok("verify").stdoutLines.last
        #expect(headOnPostgres != nil && headOnPostgres == headOnFiles)
        #expect(try postgres.ok("export", "--format", "jsonl", as: People.support).stdout == files.ok("export", "--format", "jsonl", as: People.support).stdout)
        #expect(try postgres.history().count == files.history().count)
        // The journal rows are the file's lines, byte for byte.
        let lines = try PostgresForCLI.psql(url, "SELECT line FROM creditdesk.journal ORDER BY seq")
        #expect(lines.stdout == String(decoding: try files.journal(), as: UTF8.self), "\(lines)")
    }

    @Test("a chain head locked past CREDITDESK_LOCK_TIMEOUT: one line, exit 2, nothing written")
    func lockHeldPastTheTimeoutIsExit2() throws {
        let (cli, drop) = try PostgresForCLI.cli()
        defer { drop() }
        try cli.makeAcmeOnPostgres(credits: 60)
        let url = try #require(cli.environment["CREDITDESK_LEDGER"])
        let holder = try PostgresForCLI.startPsql(url, "BEGIN; SELECT seq FROM creditdesk.head FOR UPDATE; SELECT pg_sleep(20); COMMIT;")
        defer { try? PostgresForCLI.endLockHolder(url); holder.waitUntilExit() }
        try PostgresForCLI.waitForLockHolder(url)
        let started = Date()
        let result = try cli.run(["charge", "acme", "ai_graphic", "--job", "j-locked"], as: People.member,
                                 environment: ["CREDITDESK_LOCK_TIMEOUT": "1"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains("locked"), "\(result)")
        #expect(Date().timeIntervalSince(started) < 15)
        try PostgresForCLI.endLockHolder(url)
        holder.waitUntilExit()
        #expect(try cli.history("acme", ["--kind", "charge"]).isEmpty)
        #expect(try cli.balance().int("balance") == 60)
    }

    @Test("a connection lost while the command waits for the lock: one line, exit 2, nothing written, verify passes")
    func connectionLostMidCommandIsExit2() throws {
        let (cli, drop) = try PostgresForCLI.cli()
        defer { drop() }
        try cli.makeAcmeOnPostgres(credits: 60)
        let url = try #require(cli.environment["CREDITDESK_LEDGER"])
        let holder = try PostgresForCLI.startPsql(url, "BEGIN; SELECT seq FROM creditdesk.head FOR UPDATE; SELECT pg_sleep(20); COMMIT;")
        defer { try? PostgresForCLI.endLockHolder(url); holder.waitUntilExit() }
        try PostgresForCLI.waitForLockHolder(url)
        let charge = try cli.start(["charge", "acme", "ai_graphic", "--job", "j-cut"], as: People.member,
                                   environment: ["CREDITDESK_LOCK_TIMEOUT": "30"])
        // Wait until the command is queued behind the lock, then cut its connection.
        var cut = ""
        for _ in 0..<200 where cut != "t" {
            usleep(50_000)
            cut = try PostgresForCLI.psql(url, """
                SELECT coalesce(bool_or(pg_terminate_backend(pid)), false) FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = 'creditdesk' AND wait_event_type = 'Lock'
                """).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(cut == "t")
        let result = charge.wait()
        #expect(result.status == 2, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains("connection to PostgreSQL was lost"), "\(result)")
        try PostgresForCLI.endLockHolder(url)
        holder.waitUntilExit()
        #expect(try cli.history("acme", ["--kind", "charge"]).isEmpty)
        #expect(try cli.run("verify").status == 0)
    }
}

extension PostgresForCLI {
    /// Starts psql running `sql` without waiting (a transaction that holds a lock).
    static func startPsql(_ url: String, _ sql: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.which("psql") ?? "/usr/bin/psql")
        process.arguments = ["-X", "-q", "-d", url, "-c", sql]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Ends the psql session holding the lock, on the server's side (psql then exits).
    static func endLockHolder(_ url: String) throws {
        _ = try psql(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'")
    }

    /// Waits until some session holds the head row's lock (psql's transaction is sleeping).
    static func waitForLockHolder(_ url: String) throws {
        for _ in 0..<200 {
            let sleeping = try psql(url, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(20)%' AND wait_event = 'PgSleep'")
            if sleeping.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1" { return }
            usleep(50_000)
        }
        Issue.record("psql never took the head lock")
    }
}
