import Dispatch
import LedgerCore
import NIOConcurrencyHelpers
import NIOPosix
import PostgresNIO

/// One connection to the server, used synchronously: postgres-nio runs on an event loop group of
/// its own (one thread), and the caller, never on that loop, blocks on each future with `wait()`.
/// The `Ledger` protocol is synchronous; this is its one bridge to the asynchronous client.
final class PostgresSession {
    let location: PostgresLocation
    let role: String
    /// The lock timeout in force, in seconds, for naming a timeout.
    var lockSeconds: Double = 10
    private let group: MultiThreadedEventLoopGroup
    /// The connection in use; replaced only by `reconnect`, on the thread that uses the session.
    private(set) var connection: PostgresConnection
    private let credentials: PostgresCredentials
    private let logger = Logger(label: "creditdesk.postgres")
    private var closed = false
    /// Statements sent on this session so far: each is one round trip to the server.
    private(set) var statementsSent = 0
    /// The semaphore the using thread is blocked on in `waitFor`, if any: a connection's close
    /// signals it, because postgres-nio leaves statements still queued on a connection that
    /// closes unanswered (a pipelined run cut by a server crash would otherwise wait them out).
    private let waiter = NIOLockedValueBox<DispatchSemaphore?>(nil)

    /// How long a connection attempt may take, in seconds.
    static let connectTimeoutSeconds: Int64 = 10

    private init(location: PostgresLocation, credentials: PostgresCredentials, group: MultiThreadedEventLoopGroup,
                 connection: PostgresConnection) {
        self.location = location
        self.role = credentials.user
        self.credentials = credentials
        self.group = group
        self.connection = connection
        watchClose(connection)
    }

    /// Wakes the thread waiting in `waitFor` when `connection` closes.
    private func watchClose(_ connection: PostgresConnection) {
        let waiter = self.waiter
        connection.closeFuture.whenComplete { _ in
            waiter.withLockedValue { semaphore -> Void in _ = semaphore?.signal() }
        }
    }

    /// Connects to `location` as `credentials.user`.
    static func connect(_ location: PostgresLocation, credentials: PostgresCredentials) throws(PostgresProblem) -> PostgresSession {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let connection = try open(location, credentials: credentials, on: group, timeoutSeconds: connectTimeoutSeconds)
            return PostgresSession(location: location, credentials: credentials, group: group, connection: connection)
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    /// Connects again as the same role to the same place, within `timeoutSeconds`, and uses the
    /// new connection from now on (the old one is closed). Throws, changing nothing, when the
    /// server is still away.
    func reconnect(timeoutSeconds: Int64) throws(PostgresProblem) {
        let fresh = try Self.open(location, credentials: credentials, on: group, timeoutSeconds: timeoutSeconds)
        let old = connection
        connection = fresh
        watchClose(fresh)
        if !old.isClosed {
            let closing: EventLoopFuture<Void> = old.close()
            closing.whenComplete { _ in }
        }
    }

    /// One new connection on `group`.
    private static func open(_ location: PostgresLocation, credentials: PostgresCredentials, on group: MultiThreadedEventLoopGroup,
                             timeoutSeconds: Int64) throws(PostgresProblem) -> PostgresConnection {
        var configuration: PostgresConnection.Configuration
        if let socket = location.socketPath {
            configuration = .init(unixSocketPath: socket, username: credentials.user, password: credentials.password, database: location.database)
        } else {
            configuration = .init(host: location.host ?? "localhost", port: location.port, username: credentials.user,
                                  password: credentials.password, database: location.database, tls: .disable)
        }
        configuration.options.connectTimeout = .seconds(timeoutSeconds)
        configuration.options.additionalStartupParameters = [("application_name", "creditdesk")]
        do {
            return try PostgresConnection.connect(on: group.next(), configuration: configuration, id: 1,
                                                  logger: Logger(label: "creditdesk.postgres")).wait()
        } catch {
            throw Self.connectProblem(error, location: location, role: credentials.user)
        }
    }

    private static func connectProblem(_ error: any Error, location: PostgresLocation, role: String) -> PostgresProblem {
        let named = PostgresProblem.from(error, lockSeconds: 0, role: role)
        switch named {
        case .connectionLost(let why): return .unreachable(location: location.description, why: socketFailure(error, location: location) ?? why)
        case let .server(state, _) where state.hasPrefix("3D"): return .noDatabase(database: location.database)
        default: return named
        }
    }

    /// A socket call's failure in the system's words, naming the socket or host tried (NIO's own
    /// text names the call and the errno); nil for any other error.
    private static func socketFailure(_ error: any Error, location: PostgresLocation) -> String? {
        let tried = location.socketPath.map { "socket \($0)" } ?? "\(location.host ?? "localhost") port \(location.port)"
        var cause = (error as? PSQLError)?.underlying ?? error
        if let attempts = cause as? NIOConnectionError, let first = attempts.connectionErrors.first { cause = first.error }
        if cause is NIOConnectionError || cause is SocketAddressError { return "no such host (\(tried))" }
        guard let io = cause as? IOError else { return nil }
        return "\(SystemErrorText.text(io.errnoCode)) (\(tried))"
    }

    /// How long past the lock timeout a statement may go unanswered before the connection is
    /// given up for lost, in seconds (the server answers a lock wait by itself at the timeout).
    static let answerGraceSeconds: Double = 30

    /// Runs one statement with `binds` ($1, $2…) and returns its rows. A connection already
    /// closed fails at once; an answer that never comes fails after the lock timeout plus
    /// `answerGraceSeconds`, never hangs.
    @discardableResult
    func query(_ sql: String, _ binds: [any PostgresEncodable & Sendable] = []) throws(PostgresProblem) -> [PostgresRow] {
        guard !connection.isClosed else { throw .connectionLost(why: "the server closed the connection") }
        statementsSent += 1
        var bindings = PostgresBindings(capacity: binds.count)
        do {
            for value in binds { try bindings.append(value, context: .default) }
            let future = connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
            return try waitFor(future, seconds: lockSeconds + Self.answerGraceSeconds).rows
        } catch {
            throw PostgresProblem.from(error, lockSeconds: lockSeconds, role: role)
        }
    }

    /// One statement of a pipelined run: its SQL and its binds ($1, $2…).
    typealias Statement = (sql: String, binds: [any PostgresEncodable & Sendable])

    /// Runs `statements` in order on the connection, handed over all at once: postgres-nio queues
    /// them and sends each next one from its event loop as soon as the server answered the one
    /// before, so this thread waits once for the lot instead of once per statement. Each still
    /// runs as its own statement (its own snapshot under READ COMMITTED). Returns each one's rows;
    /// the first failure is thrown (inside a transaction the statements after it fail with it).
    func pipelined(_ statements: [Statement]) throws(PostgresProblem) -> [[PostgresRow]] {
        var rows: [[PostgresRow]] = []
        for answer in try answers(statements) { rows.append(try answer.get()) }
        return rows
    }

    /// Like `pipelined`, but each statement's own answer, failed or not: for a run whose later
    /// statements may fail by design (a table that may not exist yet). Throws only when the
    /// connection is already closed or a statement cannot be encoded.
    func answers(_ statements: [Statement]) throws(PostgresProblem) -> [Result<[PostgresRow], PostgresProblem>] {
        guard !connection.isClosed else { throw .connectionLost(why: "the server closed the connection") }
        var futures: [EventLoopFuture<PostgresQueryResult>] = []
        statementsSent += statements.count
        do {
            for statement in statements {
                var bindings = PostgresBindings(capacity: statement.binds.count)
                for value in statement.binds { try bindings.append(value, context: .default) }
                futures.append(connection.query(PostgresQuery(unsafeSQL: statement.sql, binds: bindings), logger: logger))
            }
        } catch {
            throw PostgresProblem.from(error, lockSeconds: lockSeconds, role: role)
        }
        return futures.map { future in
            do {
                return .success(try waitFor(future, seconds: lockSeconds + Self.answerGraceSeconds).rows)
            } catch {
                return .failure(PostgresProblem.from(error, lockSeconds: lockSeconds, role: role))
            }
        }
    }

    /// Blocks this (non-event-loop) thread until `future` completes, the connection closes with
    /// it unanswered (a lost connection), or `seconds` pass; on the deadline the connection is
    /// closed and the wait fails as a lost connection.
    private func waitFor<T: Sendable>(_ future: EventLoopFuture<T>, seconds: Double) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let box = NIOLockedValueBox<Result<T, any Error>?>(nil)
        future.whenComplete { result in
            box.withLockedValue { $0 = result }
            done.signal()
        }
        waiter.withLockedValue { $0 = done }
        defer { waiter.withLockedValue { $0 = nil } }
        let deadline = DispatchTime.now() + seconds
        while true {
            if let result = box.withLockedValue({ $0 }) { return try result.get() }
            // Answers reach their futures on the event loop before it handles the close, so a
            // closed connection with no answer here has none to give.
            if connection.isClosed { throw PostgresProblem.connectionLost(why: "the server closed the connection") }
            guard done.wait(timeout: deadline) == .success else {
                if let result = box.withLockedValue({ $0 }) { return try result.get() }
                let closing: EventLoopFuture<Void> = connection.close()
                closing.whenComplete { _ in }
                throw PostgresProblem.connectionLost(why: "no answer from the server in \(Int(seconds)) s")
            }
        }
    }

    /// Runs `body` inside BEGIN … COMMIT; any error rolls back (best effort: a broken connection
    /// rolls back on the server by itself). The result stands only once COMMIT returned.
    func transaction<T>(_ begin: String = "BEGIN", _ body: () throws(PostgresProblem) -> T) throws(PostgresProblem) -> T {
        try query(begin)
        let result: T
        do {
            result = try body()
        } catch {
            if !connection.isClosed { _ = try? query("ROLLBACK") }
            throw error
        }
        try query("COMMIT")
        return result
    }

    /// Runs `body` in one read-only snapshot of the database (REPEATABLE READ), so every row it
    /// reads stands at the same commit: an open's head, workspace states and their tails agree.
    func snapshot<T>(_ body: () throws(PostgresProblem) -> T) throws(PostgresProblem) -> T {
        try transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// Closes the connection and stops the event loop.
    func close() {
        guard !closed else { return }
        closed = true
        if !connection.isClosed {
            let closing: EventLoopFuture<Void> = connection.close()
            _ = try? waitFor(closing, seconds: Self.closeWaitSeconds)
        }
        group.shutdownGracefully { _ in }
    }

    /// How long closing waits for the server's goodbye, in seconds.
    static let closeWaitSeconds: Double = 2

    deinit { close() }
}
