import CreditKit
import Foundation
import LedgerCore
import LedgerStore
import PostgresLedger

extension LedgerBackendUnderTest {
    /// The server the PostgreSQL backend runs on (`CREDITDESK_TEST_POSTGRES_URL`; CI starts one
    /// with scripts/postgres-cluster). Unset, the suite runs without it and `PostgresBackendNote`
    /// says so; set but unreachable, every PostgreSQL case fails.
    static let postgresURL = ProcessInfo.processInfo.environment["CREDITDESK_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// PostgresLedger in a database of its own, made for the ledger and dropped afterwards.
    static let postgres = LedgerBackendUnderTest(description: "postgresql") { bytes, time in
        let server = try PostgresLocation.parse(try postgresURL.orThrow("CREDITDESK_TEST_POSTGRES_URL is unset"))
        let name = "creditdesk_contract_\(UInt64.random(in: 0..<UInt64.max) % 1_000_000_000_000)"
        try psql(server, "CREATE DATABASE \(name)")
        // add-member and operator add on PostgreSQL take only roles the server has.
        for role in [Contract.support, Contract.owner, Contract.member] {
            try psql(server, "DO $$BEGIN CREATE ROLE \"\(role)\"; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END$$")
        }
        var location = server
        location.database = name
        let catalog = try CatalogLoader.decode(bytes, source: "konfiwear.json", checkingText: true)
        let credentials = PostgresCredentials.resolve(location, environment: ProcessInfo.processInfo.environment)
        let ledger = try PostgresLedger.create(location, credentials: credentials, catalogBytes: bytes, catalog: catalog,
                                               actor: Contract.support, time: time)
        // Dropping the database ends the ledger's connection too.
        return (ledger, {
            try? psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        })
    }

    /// Runs one statement with psql on `server`'s database; a failure throws with psql's words.
    private static func psql(_ server: PostgresLocation, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", server.description, "-c", sql]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ContractFailure("psql \(sql): \(said)") }
    }
}

extension Optional {
    func orThrow(_ why: String) throws -> Wrapped {
        guard let self else { throw ContractFailure(why) }
        return self
    }
}

import Testing

/// Says when the contract ran without PostgreSQL (shown as a skipped test with its reason).
@Suite("Ledger contract backends")
struct PostgresBackendNote {
    @Test("PostgreSQL is among the backends the contract runs on",
          .enabled(if: LedgerBackendUnderTest.postgresURL != nil,
                   "CREDITDESK_TEST_POSTGRES_URL is unset: the contract scenarios ran without PostgreSQL"))
    func postgresIsAmongTheBackends() {
        #expect(LedgerBackendUnderTest.all.contains { $0.description == "postgresql" })
    }
}
