import CreditKit
import Foundation
import LedgerCore
@testable import PostgresLedger
import Testing

/// From schema version 9 the server derives `creditdesk.entries` and `idempotency_keys` from the
/// journal lines (`SchemaMigrations.deriveEntriesSQL`, `deriveKeysSQL`). They must be, row for
/// row, what the client wrote before (`PostgresBatch.entryColumns`, `idempotencyKeys`): held to
/// each other over journals that hold every record kind, copied in by `migrate`.
@Suite("PostgreSQL rows derived on the server", .enabled(if: PostgresForCLI.isConfigured, PostgresForCLI.skipNote))
struct PostgresDerivedRowsTests {
    /// One row as text: each column's value, `∅` for NULL, joined by `|`.
    private static func text(_ columns: [(String, PostgresBatch.RowValue)]) -> String {
        columns.map { _, value in
            switch value {
            case .text(let text): return text
            case .integer(let number): return String(number)
            case .bool(let flag): return flag ? "true" : "false"
            case .null: return "∅"
            }
        }.joined(separator: "|")
    }

    /// The select list giving `entries` rows as `text` gives the client's: times as the journal writes them.
    private static let entriesSelect: String = PostgresBatch.entryKeys.map { key in
        let name = key == .ws ? "workspace" : key.rawValue
        let column = "\"\(name)\""
        if key == .time || key == .expires {
            return "coalesce(to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '∅')"
        }
        return "coalesce(\(column)::text, '∅')"
    }.joined(separator: " || '|' || ")

    @Test("entries and idempotency keys derived by the server are the client's, for every record kind of both catalogs")
    func serverDerivedRowsAreTheClients() throws {
        var kinds: Set<String> = []
        for write in [LedgerFormatDocTests.writeKonfiwear, LedgerFormatDocTests.writeSofia] {
            let cli = try CLI()
            defer { cli.remove() }
            try write(cli)
            let (target, drop) = try PostgresMigrateTests.emptyDatabase()
            defer { drop() }
            // `migrate` takes only people the server has as roles: the fixture's, and the journals' own member.
            let roles = try PostgresForCLI.psql(target, PostgresForCLI.ensureRoles(PostgresForCLI.fixtureRoles + ["nia"]))
            try #require(roles.status == 0, "\(roles)")
            try cli.ok("migrate", "--ledger", cli.ledger, "--to", target)

            var entries: [String] = []
            var keys: [String] = []
            let journal = try String(contentsOfFile: cli.ledger + "/journal.jsonl", encoding: .utf8)
            for (index, line) in journal.split(separator: "\n").enumerated() {
                let entry = try JournalRecord.decodeOwnHash(String(line), seq: Int64(index + 1)).entry
                kinds.insert(entry.kind.rawValue)
                guard let ws = entry.workspace else { continue }
                if entry.kind.movesCredits { entries.append(Self.text(PostgresBatch.entryColumns(entry))) }
                keys += PostgresBatch.idempotencyKeys(of: entry).map { "\(ws)|\($0.0)|\($0.1)|\(entry.seq)" }
            }
            let served = try PostgresForCLI.psql(target, "SELECT \(Self.entriesSelect) FROM creditdesk.entries ORDER BY seq")
            try #require(served.status == 0, "\(served)")
            #expect(served.stdoutLines == entries)
            let servedKeys = try PostgresForCLI.psql(target, "SELECT workspace || '|' || kind || '|' || key || '|' || seq FROM creditdesk.idempotency_keys")
            try #require(servedKeys.status == 0, "\(servedKeys)")
            #expect(servedKeys.stdoutLines.sorted() == keys.sorted())
            #expect(!entries.isEmpty && !keys.isEmpty)
        }
        #expect(kinds == LedgerFormatDocTests.allKinds, "kinds the journals did not hold: \(LedgerFormatDocTests.allKinds.subtracting(kinds))")
    }
}
