import Foundation
import Testing
@testable import PostgresLedger

/// The PostgreSQL server the tests use: `CREDITDESK_TEST_POSTGRES_URL` (CI starts one with
/// scripts/postgres-cluster). Unset, the PostgreSQL suites are skipped and say so; set but
/// unreachable, they fail.
enum TestPostgres {
    static let urlVariable = "CREDITDESK_TEST_POSTGRES_URL"
    static var url: String? { ProcessInfo.processInfo.environment[urlVariable].flatMap { $0.isEmpty ? nil : $0 } }
    static var isConfigured: Bool { url != nil }
    static let skipNote: Comment = "CREDITDESK_TEST_POSTGRES_URL is unset: PostgreSQL tests skipped (scripts/postgres-cluster start prints one)"

    /// The server's maintenance database, from the URL.
    static func serverLocation() throws -> PostgresLocation {
        try PostgresLocation.parse(try #require(url, "\(urlVariable) is unset"))
    }

    static func connect(_ location: PostgresLocation, as role: String? = nil) throws -> PostgresSession {
        var credentials = PostgresCredentials.resolve(location, environment: ProcessInfo.processInfo.environment)
        if let role { credentials.user = role }
        return try PostgresSession.connect(location, credentials: credentials)
    }

    /// Starts a thread that, as soon as backend `pid` sleeps (`pg_sleep`, waited for up to 5 s),
    /// terminates it from a connection of its own to `location`: a connection cut at a known point.
    static func cutWhenSleeping(_ pid: Int32, on location: PostgresLocation) {
        Thread {
            guard let cutting = try? connect(location) else { return }
            defer { cutting.close() }
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline {
                let sleeping = (try? cutting.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event = 'PgSleep'", [pid]).count) ?? 0
                if sleeping > 0 { break }
                usleep(20_000)
            }
            _ = try? cutting.query("SELECT pg_terminate_backend($1)", [pid])
        }.start()
    }

    /// A new, empty database with a random name; `drop` removes it (and whoever is still in it).
    static func freshDatabase(_ label: String = "t") throws -> ScratchDatabase {
        let server = try serverLocation()
        let name = "creditdesk_\(label)_\(UInt64.random(in: 0..<UInt64.max) % 1_000_000_000_000)"
        let admin = try connect(server)
        defer { admin.close() }
        try admin.query("CREATE DATABASE \(name)")
        var location = server
        location.database = name
        return ScratchDatabase(server: server, location: location)
    }
}

/// One test's own database.
struct ScratchDatabase {
    let server: PostgresLocation
    let location: PostgresLocation
    var url: String { location.description }

    func drop() {
        guard let admin = try? TestPostgres.connect(server) else { return }
        defer { admin.close() }
        _ = try? admin.query("DROP DATABASE IF EXISTS \(location.database) WITH (FORCE)")
    }
}
