import CreditKit
import LedgerCore
import PostgresNIO

extension PostgresProblem {
    /// A journal row that fails its checksum, its chain link or the fold: damage, named by seq
    /// (0: a problem of the tables beside the journal, which `problem` names).
    static func damaged(seq: Int64, problem: String) -> PostgresProblem {
        .server(sqlState: "XX001", message: seq > 0 ? "record seq \(seq): \(problem)" : problem)
    }
}

/// The bridge from this module's problems to the `Ledger` protocol's errors (all exit 2 but a
/// lock timeout's own case and a missing ledger).
enum PostgresError {
    static func ledgerError(_ problem: PostgresProblem) -> LedgerError {
        switch problem {
        case .lockTimeout(let seconds): return .lockTimeout(seconds: seconds)
        case .notInitialized(let database): return .notFound(directory: database)
        case .alreadyInitialized(let database): return .alreadyExists(directory: database)
        case let .server(state, message) where state == "XX001": return .damaged(line: 0, seq: nil, problem: message)
        case .notPermitted, .noDesk: return .database(problem: problem.description, refused: true)
        default: return .database(problem: problem.description, refused: false)
        }
    }

    /// Runs `body`, naming its problem as a `LedgerError`.
    static func mapped<T>(_ body: () throws(PostgresProblem) -> T) throws(LedgerError) -> T {
        do { return try body() } catch { throw ledgerError(error) }
    }

    /// Decodes a row's columns, a mismatch being damage rather than a crash.
    static func decode<T: PostgresDecodable>(_ row: PostgresRow, as type: T.Type) throws(PostgresProblem) -> T {
        do { return try row.decode(T.self) } catch { throw .server(sqlState: "XX000", message: "unexpected row: \(error)") }
    }

    static func decode<A: PostgresDecodable, B: PostgresDecodable>(_ row: PostgresRow, as type: (A, B).Type) throws(PostgresProblem) -> (A, B) {
        do { return try row.decode((A, B).self) } catch { throw .server(sqlState: "XX000", message: "unexpected row: \(error)") }
    }

    static func decode<A: PostgresDecodable, B: PostgresDecodable, C: PostgresDecodable>(_ row: PostgresRow, as type: (A, B, C).Type)
        throws(PostgresProblem) -> (A, B, C) {
        do { return try row.decode((A, B, C).self) } catch { throw .server(sqlState: "XX000", message: "unexpected row: \(error)") }
    }

    static func decode<A: PostgresDecodable, B: PostgresDecodable, C: PostgresDecodable, D: PostgresDecodable>(
        _ row: PostgresRow, as type: (A, B, C, D).Type) throws(PostgresProblem) -> (A, B, C, D) {
        do { return try row.decode((A, B, C, D).self) } catch { throw .server(sqlState: "XX000", message: "unexpected row: \(error)") }
    }
}

/// One journal row read back: its line decoded by the journal codec and checked against its own
/// hash, its seq and the hash before it.
struct JournalRecord {
    var entry: Entry
    var more: Bool

    static func decode(_ line: String, seq: Int64, prev: String) throws(PostgresProblem) -> JournalRecord {
        let decoded = try decodeOwnHash(line, seq: seq)
        guard decoded.prev == prev else { throw .damaged(seq: seq, problem: "its prev does not match the hash of the record before it (the chain is broken)") }
        return JournalRecord(entry: decoded.entry, more: decoded.more)
    }
}
