import CreditKit
import LedgerCore
import LedgerStore
import PostgresLedger

/// Where a ledger is, as `--ledger` (or `CREDITDESK_LEDGER`) names it.
enum LedgerLocation: Equatable {
    /// A ledger directory: the file backend (LedgerStore).
    case directory(String)
    /// A PostgreSQL database (PostgresLedger), from a `postgresql://` or `postgres://` URL.
    case postgres(PostgresLocation)

    /// The location as messages name it.
    var text: String {
        switch self {
        case .directory(let path): return path
        case .postgres(let location): return location.description
        }
    }
}

/// The one place the executable knows which ledger backends exist: it reads `--ledger` into a
/// location, opens, creates, copies and verifies the ledger there, and answers what only a
/// backend can (where an alert's mail landed, a cut torn tail). Everything else sees `any Ledger`.
/// A new backend is a new `LedgerLocation` case and a branch in each function here.
enum LedgerBackend {
    /// URL schemes of the PostgreSQL backend (CONTRACT: `--ledger DIR|URL`).
    static let postgresSchemes = ["postgresql://", "postgres://"]

    /// Reads a `--ledger` value: a PostgreSQL URL (a password in it is refused, exit 64), else a
    /// directory.
    static func location(_ text: String) throws(CLIFailure) -> LedgerLocation {
        guard postgresSchemes.contains(where: { text.lowercased().hasPrefix($0) }) else { return .directory(text) }
        do {
            return .postgres(try PostgresLocation.parse(text))
        } catch {
            throw .usage("--ledger: \(error)")
        }
    }

    /// Who connects to a PostgreSQL ledger and with which password (PGPASSWORD, ~/.pgpass);
    /// a password file ignored for its mode is noted.
    static func credentials(_ location: PostgresLocation) -> PostgresCredentials {
        let credentials = PostgresCredentials.resolve(location, environment: RunEnvironment.allVariables)
        if let note = credentials.note { Console.note(note) }
        return credentials
    }

    /// Who acts when `--as` and `CREDITDESK_OPERATOR` are not given: on PostgreSQL the role that
    /// connects (the database authenticates it: `session_user`), else the login name.
    static func defaultOperator(_ ledgerText: String) -> String? {
        guard case .postgres(let url)? = try? location(ledgerText) else { return nil }
        return PostgresCredentials.resolve(url, environment: RunEnvironment.allVariables).user
    }

    /// On PostgreSQL the operator is the authenticated role: acting as anyone else (`--as`) is
    /// taken only from a support agent (exit 1 otherwise). A file ledger takes `--as` as a claim.
    static func checkOperator(_ actor: String, on ledger: any Ledger) throws(CLIFailure) {
        guard let postgres = ledger as? PostgresLedger, actor != postgres.sessionUser,
              ledger.state.operators[postgres.sessionUser] != .support else { return }
        throw .refused("not permitted: \(postgres.sessionUser) (the PostgreSQL role connected) cannot act as \(actor); only a support agent can use --as")
    }

    /// Gives the login role of a person the ledger already has what a desk needs (PostgreSQL:
    /// `creditdesk.grant_access`, support only). A file ledger has no roles to grant: refused (exit 1).
    static func grantAccess(_ role: String, on ledger: any Ledger) throws(CLIFailure) {
        guard let postgres = ledger as? PostgresLedger else {
            throw .refused("grant-access is for PostgreSQL ledgers: a file ledger's access is its directory's permissions; nothing was changed")
        }
        do { try postgres.grantAccess(role) } catch { throw .ledger(error) }
    }

    /// R18: the role that really acts for `actor` (the context's `by`): on PostgreSQL the
    /// authenticated role when `--as` names someone else; nil on a file ledger, where `--as` is a claim.
    static func actingRole(for actor: String, on ledger: any Ledger) -> String? {
        (ledger as? PostgresLedger)?.actingRole(for: actor)
    }

    /// On PostgreSQL the connecting role becomes the first support agent; `init --as` someone
    /// else is refused (exit 1), before anything is created.
    private static func checkCreator(_ actor: String, _ url: PostgresLocation) throws(LedgerError) {
        let role = PostgresCredentials.resolve(url, environment: RunEnvironment.allVariables).user
        guard actor != role else { return }
        throw .database(problem: "not permitted: on PostgreSQL the role connecting (\(role)) becomes the first support agent, not \(actor); nothing was created", refused: true)
    }

    /// Decodes a PostgreSQL ledger's catalog, as the file ledger decodes `catalog.json`.
    static func catalog(_ bytes: [UInt8]) throws(LedgerError) -> Catalog {
        try CatalogLoader.decode(bytes, source: "the ledger's catalog")
    }

    /// Opens the ledger at `location`; with `workspaces`, only those are loaded.
    static func open(_ location: LedgerLocation, workspaces: Set<String>? = nil) throws(LedgerError) -> any Ledger {
        switch location {
        case .directory(let path): return try FileLedger.open(directory: path, workspaces: workspaces)
        case .postgres(let url): return try PostgresLedger.open(url, credentials: credentials(url), workspaces: workspaces, decodeCatalog: catalog)
        }
    }

    /// Opens the ledger at `location` to list every workspace without loading them all.
    static func openForSummaries(_ location: LedgerLocation) throws(LedgerError) -> any Ledger {
        switch location {
        case .directory(let path): return try FileLedger.openForSummaries(directory: path)
        case .postgres(let url): return try PostgresLedger.open(url, credentials: credentials(url), workspaces: [], decodeCatalog: catalog)
        }
    }

    /// Creates a new ledger at `location` priced by `catalogBytes`; `actor` becomes its first
    /// support agent; `clock: .test` makes a test-clock ledger (R27).
    static func create(_ location: LedgerLocation, catalogBytes: [UInt8], catalogSource: String, actor: String,
                       time: Timestamp, clock: LedgerClock) throws(LedgerError) -> any Ledger {
        switch location {
        case .directory(let path):
            return try FileLedger.create(directory: path, catalogBytes: catalogBytes, catalogSource: catalogSource,
                                         actor: actor, time: time, clock: clock)
        case .postgres(let url):
            try checkCreator(actor, url)
            let catalog = try CatalogLoader.decode(catalogBytes, source: catalogSource, checkingText: true)
            return try PostgresLedger.create(url, credentials: credentials(url), catalogBytes: catalogBytes, catalog: catalog,
                                             time: time, clock: clock)
        }
    }

    /// Verifies the ledger at `location` without opening it for use, so a damaged one is named.
    static func verify(_ location: LedgerLocation, expectedHead: (seq: Int64, hash: String)?) throws(LedgerError) -> VerifyReport {
        switch location {
        case .directory(let path): return try FileLedger.verify(directory: path, expectedHead: expectedHead)
        case .postgres(let url):
            let ledger = try PostgresLedger.open(url, credentials: credentials(url), decodeCatalog: catalog)
            defer { ledger.close() }
            return try ledger.verify(expectedHead: expectedHead)
        }
    }

    /// Copies the file ledger in directory `source` into the new directory `destination` (the
    /// demo's shipped ledger into a scratch folder); the source is only read.
    static func copyDirectory(_ source: String, to destination: String) throws(LedgerError) {
        try FileLedger.copy(directory: source, to: destination)
    }

    /// What opening found that a person should know (a checkpoint ignored and rebuilt).
    static func openingNotes(_ ledger: any Ledger) -> [String] {
        (ledger as? FileLedger)?.checkpointProblem.map { [$0] } ?? (ledger as? PostgresLedger)?.storedStateProblems ?? []
    }

    /// What the last write repaired before it wrote (a half-written tail it cut back).
    static func recoveryNotes(_ ledger: any Ledger) -> [String] {
        guard let tail = (ledger as? FileLedger)?.cutTail else { return [] }
        return ["recovered: cut \(CountText.count(tail.length, "byte")) of a half-written record after seq \(tail.afterSeq)"]
    }

    /// Brings the ledger's caches up to date after a long run of writes (`generate`): the file
    /// ledger writes its checkpoint. A failure leaves the records standing.
    static func saveCaches(_ ledger: any Ledger) throws(LedgerError) {
        try (ledger as? FileLedger)?.saveCheckpoint()
    }

    /// Where an alert's message was put for people to read, and under which name, as the CLI
    /// reports it (`alert email written: PATH`); nil when the backend did not put it anywhere.
    static func mailPlace(of alert: AlertMessage, in ledger: any Ledger) -> (name: String, path: String)? {
        guard let file = ledger as? FileLedger, let delivered = file.delivery(of: alert) else { return nil }
        return (delivered.fileName, delivered.path)
    }

    /// The ledger's own queue of alert emails, for a backend that keeps them in the ledger
    /// (PostgreSQL: `creditdesk.outbox`); nil for the file ledger, whose Maildir outbox is a folder.
    static func mailQueue(of ledger: any Ledger) -> PostgresLedger? {
        ledger as? PostgresLedger
    }

    /// The folder beside the alert messages where their hand-over to sendmail is logged
    /// (`DIR/outbox`); nil for a backend without one.
    static func mailFolder(of ledger: any Ledger) -> String? {
        (ledger as? FileLedger)?.paths.outbox
    }
}
