import LedgerCore
import NIOCore
import PostgresNIO

/// What went wrong talking to PostgreSQL. Every case leaves nothing written: a transaction that
/// did not reach COMMIT is rolled back by the server.
public enum PostgresProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// The server could not be reached (refused, no socket, timed out).
    case unreachable(location: String, why: String)
    /// The server refused the role (password, pg_hba, unknown role).
    case authentication(role: String, why: String)
    /// The connection broke during a command (server stopped, network lost).
    case connectionLost(why: String)
    /// The connection broke after COMMIT was sent and before the commit was known durable: the
    /// write may stand or not, and only reading the journal again tells.
    case commitUnknown(why: String)
    /// The chain head was locked by another writer past `CREDITDESK_LOCK_TIMEOUT`.
    case lockTimeout(seconds: Double)
    /// The role lacks a privilege (SQLSTATE 42501); a rule of the database, exit 1.
    case notPermitted(message: String)
    /// The role may not use schema `creditdesk` at all (42501 on the schema): the ledger has
    /// given it no desk, so a support agent must (exit 1).
    case noDesk(role: String)
    /// The database holds no CreditDesk ledger (schema `creditdesk` missing).
    case notInitialized(database: String)
    /// The database itself does not exist (SQLSTATE 3D000): a DBA creates it before `init`.
    case noDatabase(database: String)
    /// `init` on a database that already holds a ledger.
    case alreadyInitialized(database: String)
    /// The ledger's schema is newer than this build knows.
    case schemaTooNew(found: Int, known: Int)
    /// The ledger's schema is older than this build and the connecting role may not upgrade it.
    case schemaTooOld(found: Int, needed: Int, owner: String)
    /// Any other error the server reported, by SQLSTATE.
    case server(sqlState: String, message: String)

    public var description: String {
        switch self {
        case let .unreachable(location, why): return "cannot reach PostgreSQL at \(location): \(why); nothing was written"
        case let .authentication(role, why): return "PostgreSQL refused role \(role): \(why); nothing was written"
        case .connectionLost(let why): return "the connection to PostgreSQL was lost (\(why)); nothing was written unless the command said it was recorded"
        case .commitUnknown(let why):
            return "the connection to PostgreSQL was lost while the write was committing (\(why)): it may or may not have been recorded; the workspace's history shows which"
        case .lockTimeout(let seconds): return "the ledger is locked by another writer (waited \(seconds) s); nothing was written"
        case .notPermitted(let message): return "PostgreSQL refused: \(message); nothing was written"
        case .noDesk(let role):
            return "role \(role) has no access to this ledger: a support agent gives it with `creditdesk grant-access \(role)`, or adds the person first (`workspace add-member WS \(role)`, `operator add \(role) --role support`); nothing was written"
        case .notInitialized(let database): return "no CreditDesk ledger in database \(database): create one with `creditdesk init --ledger postgresql://…/\(database)`"
        case .noDatabase(let database):
            return "database \"\(database)\" does not exist: a database administrator creates it first (`createdb \(database)` or CREATE DATABASE), then `creditdesk init --ledger postgresql://…/\(database)`; nothing was written"
        case .alreadyInitialized(let database): return "a ledger already exists in database \(database); nothing was changed"
        case let .schemaTooNew(found, known): return "the ledger's schema is version \(found), newer than this build knows (\(known)); upgrade creditdesk"
        case let .schemaTooOld(found, needed, owner):
            return "the ledger's schema is version \(found) and this build needs \(needed): its owner (\(owner)) or a superuser upgrades it by opening it once (any command, e.g. `creditdesk verify`); nothing was changed"
        case let .server(sqlState, message): return "PostgreSQL error \(sqlState): \(message); nothing was written"
        }
    }

    /// SQLSTATEs this module names.
    enum SQLState {
        static let lockNotAvailable = "55P03"
        static let queryCanceled = "57014"
        static let insufficientPrivilege = "42501"
        static let invalidPassword = "28P01"
        static let invalidAuthorization = "28000"
        static let undefinedTable = "42P01"
        static let invalidSchemaName = "3F000"
        static let adminShutdown = "57P01"
        static let crashShutdown = "57P02"
        static let cannotConnectNow = "57P03"
        static let uniqueViolation = "23505"
        static let checkViolation = "23514"
        static let raiseException = "P0001"
        /// Raised by the schema's own checks when CreditDesk refuses (a member's role that does not exist).
        static let creditdeskRefused = "CDR01"
        /// Raised by `grant_access` for a role that is no person of the ledger.
        static let creditdeskNotAPerson = "CDR02"
        /// Raised by `append_commit` and `store_states` (schema 9) for a record or state the role
        /// may not write: another workspace's, or in someone else's name (R18); exit 1.
        static let creditdeskNotTheWriter = "CDR03"
        /// Raised by `append_commit` and `store_states` for lines or rows the journal does not
        /// bear out (a hash, the chain, a balance or state not the lines'); exit 2.
        static let creditdeskNotTheJournal = "CDR04"
        /// Raised by `queue_mail` (schema 11) for an alert email that is not the message of an
        /// alert record of the same commit; exit 1.
        static let creditdeskNotTheCommitsMail = "CDR05"
    }

    /// The server's message when a role has no USAGE on the ledger's schema.
    static let schemaRefusal = "permission denied for schema creditdesk"

    /// Names a postgres-nio error; `lockSeconds` is the timeout in force, `role` the one connecting.
    static func from(_ error: any Error, lockSeconds: Double, role: String) -> PostgresProblem {
        if let problem = error as? PostgresProblem { return problem }
        guard let psql = error as? PSQLError else { return .connectionLost(why: cause(of: error)) }
        if let state = psql.serverInfo?[.sqlState] {
            let message = psql.serverInfo?[.message] ?? "\(psql.code)"
            switch state {
            case SQLState.lockNotAvailable, SQLState.queryCanceled: return .lockTimeout(seconds: lockSeconds)
            case SQLState.insufficientPrivilege where message.hasPrefix(schemaRefusal): return .noDesk(role: role)
            case SQLState.insufficientPrivilege, SQLState.creditdeskRefused, SQLState.creditdeskNotAPerson, SQLState.creditdeskNotTheWriter,
                 SQLState.creditdeskNotTheCommitsMail:
                return .notPermitted(message: message)
            case SQLState.invalidPassword, SQLState.invalidAuthorization: return .authentication(role: role, why: message)
            case SQLState.adminShutdown, SQLState.crashShutdown, SQLState.cannotConnectNow: return .connectionLost(why: message)
            default: return .server(sqlState: state, message: message)
            }
        }
        switch psql.code {
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .connectionError:
            return .connectionLost(why: psql.underlying.map(cause(of:)) ?? "\(psql.code)")
        default:
            return .connectionLost(why: "\(psql.code)")
        }
    }

    /// Words for why a connection failed: the innermost cause, as the server or the system says
    /// it. Never postgres-nio's placeholder for a `PSQLError` (its description hides the details
    /// on purpose) nor SwiftNIO's call syntax for a socket error (`read(descriptor:…)`).
    static func cause(of error: any Error) -> String {
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] { return message }
            if let underlying = psql.underlying { return cause(of: underlying) }
            return "\(psql.code)"
        }
        if let io = error as? IOError { return SystemErrorText.text(io.errnoCode) }
        return "\(error)"
    }
}
