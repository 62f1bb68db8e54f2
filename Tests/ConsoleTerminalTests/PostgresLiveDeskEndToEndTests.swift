import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Live desks on PostgreSQL (docs/POSTGRESQL.md, "Live desks"), the real binary under tmux on a
/// real server: another process's write shows within a second with the selection kept
/// (LISTEN/NOTIFY), and a server that goes away is said so, keeps the screen, refuses writes,
/// and is caught up with when it returns. Needs CREDITDESK_TEST_POSTGRES_URL (scripts/test).
@Suite(.serialized, .enabled(if: Programs.hasTmux && PostgresConsole.isConfigured, PostgresConsole.skipNote))
struct PostgresLiveDeskEndToEndTests {
    @Test("another process's write shows on open consoles within 1 s, the cursor row and an open form kept, and idle consoles do not poll")
    func anotherDesksWriteShowsWithinASecond() throws {
        let server = try #require(PostgresConsole.serverURL)
        let ledger = try PostgresConsoleLedger(server: server)
        defer { ledger.drop() }
        let watcher = try TmuxSession("\(Programs.creditdesk) --ledger '\(ledger.url)'")
        defer { watcher.kill() }
        let other = try TmuxSession("\(Programs.creditdesk) --ledger '\(ledger.url)'")
        defer { other.kill() }
        for desk in [watcher, other] {
            try desk.wait(for: "acme")
            try desk.send("Enter")
            try desk.wait(for: "second gift")
        }
        try watcher.send("j")
        try watcher.wait(for: "(2/2)")
        // The other desk has a form open: it stays open and its balance comes up to date.
        try other.send("a")
        try other.wait(for: "Adjust Acme Tees")
        // Idle consoles do not poll the server: neither has sent a query in the last 2 s (a
        // console polling every 500 ms always has).
        sleep(3)
        let desks = try PostgresConsole.psql(server, """
            SELECT count(*), count(*) FILTER (WHERE now() - query_start < interval '2 seconds')
            FROM pg_stat_activity WHERE datname = '\(ledger.name)' AND application_name = 'creditdesk'
            """).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(desks == "2|0", "connected consoles | of them queried in the last 2 s: \(desks)")
        // The other console is live too: the CLI's write reaches both, each within a second.
        try ledger.cli(["adjust", "acme", "+3", "--reason", "from the desk next door"])
        let written = Date()
        let screen = try watcher.wait(for: "from the desk next door", timeout: 5)
        let seen = Date().timeIntervalSince(written)
        print("live desk: another process's write showed after \(Int(seen * 1000)) ms")
        #expect(seen < 1.0, "the write showed after \(seen) s")
        #expect(screen.contains("(3/3)"), "the selection stays on its entry: \(screen)")
        #expect(screen.contains("51 cr"), "the new balance shows: \(screen)")
        let form = try other.wait(for: "51 cr", timeout: 1)
        #expect(form.contains("Adjust Acme Tees"), "the open form stays: \(form)")
        try other.send("Escape")
        for desk in [watcher, other] {
            try desk.send("q", "q")
            try desk.wait(for: "EXITED 0")
        }
    }

    @Test("a write to a workspace no screen has opened shows on the Accounts screen within 1 s")
    func anotherDesksWriteShowsOnTheAccountsScreen() throws {
        let server = try #require(PostgresConsole.serverURL)
        let ledger = try PostgresConsoleLedger(server: server)
        defer { ledger.drop() }
        let watcher = try TmuxSession("\(Programs.creditdesk) --ledger '\(ledger.url)'")
        defer { watcher.kill() }
        var screen = try watcher.wait(for: "acme")
        #expect(screen.contains(" 48 "), "the balance before the write: \(screen)")
        try ledger.cli(["adjust", "acme", "+3", "--reason", "from the desk next door"])
        let written = Date()
        screen = try watcher.wait(for: " 51 ", timeout: 5)
        let seen = Date().timeIntervalSince(written)
        #expect(seen < 1.0, "the Accounts row showed the write after \(seen) s: \(screen)")
        try watcher.send("q")
        try watcher.wait(for: "EXITED 0")
    }

    @Test("the server stopped (-m immediate): the console says so, keeps its screen and keys, refuses writes, and catches up when it is back")
    func serverStoppedAndRestartedIsCaughtUpWith() throws {
        let cluster = try PrivateCluster()
        defer { cluster.remove() }
        let server = try cluster.start()
        let ledger = try PostgresConsoleLedger(server: server)
        defer { ledger.drop() }
        let session = try TmuxSession("\(Programs.creditdesk) --ledger '\(ledger.url)'")
        defer { session.kill() }
        try session.wait(for: "acme")
        try session.send("Enter")
        try session.wait(for: "second gift")

        try cluster.crash()
        var screen = try session.wait(for: "ledger server unreachable since", timeout: 5)
        #expect(screen.contains("retrying"), "\(screen)")
        #expect(screen.contains("OFFLINE"), "\(screen)")
        #expect(screen.contains("second gift"), "the last screen stays readable: \(screen)")
        try session.send("j")
        try session.wait(for: "(2/2)")
        try session.send("a")
        screen = try session.wait(for: "nothing was written")
        #expect(screen.contains("the ledger server is unreachable (since"), "\(screen)")
        #expect(!screen.contains("Adjust"), "no write screen opened: \(screen)")

        _ = try cluster.start()
        try ledger.cli(["adjust", "acme", "+5", "--reason", "while you were away"])
        screen = try session.wait(for: "while you were away", timeout: 10)
        try session.wait(for: "unreachable", absent: true, timeout: 2)
        screen = try session.capture()
        #expect(screen.contains("LIVE"), "\(screen)")
        #expect(screen.contains("53 cr"), "the balance after the write made while away: \(screen)")
        // Live again: the next write arrives by notification, within a second.
        try ledger.cli(["adjust", "acme", "+1", "--reason", "after the return"])
        let written = Date()
        try session.wait(for: "after the return", timeout: 5)
        #expect(Date().timeIntervalSince(written) < 1.0)
        try session.send("q", "q")
        screen = try session.wait(for: "EXITED 0")
        #expect(!screen.contains("Fatal error") && !screen.contains("Backtrace"), "\(screen)")
    }
}

/// The PostgreSQL server the tests use, from CREDITDESK_TEST_POSTGRES_URL, and psql on it.
enum PostgresConsole {
    static var serverURL: String? {
        ProcessInfo.processInfo.environment["CREDITDESK_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
    static var isConfigured: Bool { serverURL != nil }
    static let skipNote: Comment = "tmux or CREDITDESK_TEST_POSTGRES_URL missing: PostgreSQL console tests skipped (scripts/test runs them)"

    /// `server` with its database replaced by `database`.
    static func url(_ server: String, database: String) -> String {
        guard let scheme = server.range(of: "://") else { return server }
        let rest = server[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return server }
        let query = rest.firstIndex(of: "?").map { String(rest[$0...]) } ?? ""
        return String(server[..<slash]) + "/" + database + query
    }

    /// Runs SQL with psql; fails the test when psql does.
    @discardableResult
    static func psql(_ url: String, _ sql: String) throws -> String {
        let result = try Programs.run("/usr/bin/psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
        try #require(result.status == 0, "psql: \(result.output)")
        return result.output
    }
}

/// A ledger of its own on a PostgreSQL server: workspace `acme` with 8 and 40 credits given by
/// the connecting role (its first support agent). `drop` removes the database.
struct PostgresConsoleLedger {
    let server: String
    let url: String
    let name = "creditdesk_live_\(UInt64.random(in: 0..<UInt64.max) % 1_000_000_000_000)"

    init(server: String) throws {
        self.server = server
        url = PostgresConsole.url(server, database: name)
        try PostgresConsole.psql(server, "CREATE DATABASE \(name)")
        try cli(["init", "--catalog", "konfiwear"])
        try cli(["workspace", "create", "acme", "--name", "Acme Tees", "--owner", "sam@example.com", "--plan", "pro"])
        try cli(["adjust", "acme", "+8", "--reason", "welcome credits"])
        try cli(["adjust", "acme", "+40", "--reason", "second gift"])
    }

    /// Runs `creditdesk ARGS` on this ledger as another process; fails the test unless it exits 0.
    @discardableResult
    func cli(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try Programs.run(Programs.creditdesk, arguments, environment: [
            "CREDITDESK_LEDGER": url, "LANG": "C.UTF-8", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ])
        if result.status != 0 {
            Issue.record("creditdesk \(arguments.joined(separator: " ")) exited \(result.status): \(result.output)", sourceLocation: sourceLocation)
        }
        return result.output
    }

    func drop() { _ = try? PostgresConsole.psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
}

/// A PostgreSQL server of the test's own (scripts/postgres-cluster), so stopping it touches no
/// other test's server. Under /tmp itself: as root the server runs as `creditdesk-pg`, which
/// must reach the folder.
struct PrivateCluster {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/postgres-cluster").path
    let folder = "/tmp/creditdesk-pg-live-" + UUID().uuidString

    /// Starts (or restarts) the server; returns the URL of its `postgres` database.
    func start() throws -> String { try run("start") }

    /// Stops it as a crash would: `pg_ctl stop -m immediate`, clients cut.
    func crash() throws { _ = try run("crash") }

    func remove() {
        _ = try? run("stop")
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func run(_ verb: String) throws -> String {
        let result = try Programs.run("/bin/bash", [Self.script, verb, folder])
        try #require(result.status == 0, "postgres-cluster \(verb): \(result.output)")
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
