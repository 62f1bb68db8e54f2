import Foundation
import Testing
@testable import PostgresLedger

/// `--ledger postgresql://…`: the forms libpq accepts, and a password never taken from the URL.
struct PostgresLocationTests {
    @Test(arguments: [
        ("postgresql://ann@db.example.com/credits", PostgresLocation(user: "ann", host: "db.example.com", port: 5432, socketDirectory: nil, database: "credits")),
        ("postgres://db:6543/credits", PostgresLocation(user: nil, host: "db", port: 6543, socketDirectory: nil, database: "credits")),
        ("postgresql:///credits?host=/run/postgresql", PostgresLocation(user: nil, host: nil, port: 5432, socketDirectory: "/run/postgresql", database: "credits")),
        ("postgresql://creditdesk-pg@/postgres?host=/tmp/pg/socket&port=5433",
         PostgresLocation(user: "creditdesk-pg", host: nil, port: 5433, socketDirectory: "/tmp/pg/socket", database: "postgres")),
        ("postgresql://%2Frun%2Fpostgresql/credits", PostgresLocation(user: nil, host: nil, port: 5432, socketDirectory: "/run/postgresql", database: "credits")),
    ])
    func parsesTheLibpqForms(_ text: String, _ expected: PostgresLocation) throws {
        #expect(try PostgresLocation.parse(text) == expected)
    }

    @Test(arguments: [
        ("postgresql://ann:secret@db/credits", PostgresLocationProblem.passwordInURL),
        ("postgresql://ann@db/credits?password=secret", .passwordInURL),
        ("postgresql://db", .missingDatabase),
        ("postgresql://db/", .missingDatabase),
        ("postgresql:///credits", .missingHost),
        ("postgresql://db:99999/credits", .badPort("99999")),
        ("postgresql://db/credits?sslmode=require", .unknownParameter("sslmode")),
        ("postgresql://db/cr%zzedits", .badEscape("cr%zzedits")),
    ])
    func refusesWithANamedProblem(_ text: String, _ problem: PostgresLocationProblem) {
        #expect(throws: problem) { try PostgresLocation.parse(text) }
    }

    @Test func theURLShownNeverHoldsAPassword() throws {
        let location = try PostgresLocation.parse("postgresql://ann@db.example.com:6000/credits")
        #expect(location.description == "postgresql://ann@db.example.com:6000/credits")
    }

    @Test func passwordFileIsReadOnlyWhenPrivate() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/.pgpass"
        try "# comment\nother:5432:*:ann:nope\ndb.example.com:5432:credits:ann:s3cr\\:et\n".write(toFile: file, atomically: true, encoding: .utf8)
        let location = try PostgresLocation.parse("postgresql://ann@db.example.com/credits")
        chmod(file, 0o600)
        #expect(PostgresCredentials.resolve(location, environment: ["HOME": directory]).password == "s3cr:et")
        chmod(file, 0o644)
        let loose = PostgresCredentials.resolve(location, environment: ["HOME": directory])
        #expect(loose.password == nil)
        #expect(loose.note?.contains("chmod 0600") == true)
        #expect(PostgresCredentials.resolve(location, environment: ["HOME": directory, "PGPASSWORD": "env"]).password == "env")
    }

    @Test("with no role in the URL, PGUSER, USER or LOGNAME, the role is the system user's name, as libpq's")
    func roleDefaultsToTheSystemUser() throws {
        let location = try PostgresLocation.parse("postgresql:///credits?host=/run/postgresql")
        let name = try #require(getpwuid(geteuid())?.pointee.pw_name).map { String(cString: $0) }
        #expect(PostgresCredentials.resolve(location, environment: [:]).user == name)
        #expect(PostgresCredentials.resolve(location, environment: ["USER": "ann"]).user == "ann")
        #expect(PostgresCredentials.resolve(location, environment: ["PGUSER": "lee", "USER": "ann"]).user == "lee")
    }
}

