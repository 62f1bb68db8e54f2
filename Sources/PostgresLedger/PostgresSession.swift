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
    private let connection: PostgresConnection
    private let logger = Logger(label: "creditdesk.postgres")

    /// How long a connection attempt may take, in seconds.
    static let connectTimeoutSeconds: Int64 = 10

    private init(location: PostgresLocation, role: String, group: MultiThreadedEventLoopGroup, connection: PostgresConnection) {
        self.location = location
        self.role = role
        self.group = group
        self.connection = connection
    }

    /// Connects to `location` as `credentials.user`.
    static func connect(_ location: PostgresLocation, credentials: PostgresCredentials) throws(PostgresProblem) -> PostgresSession {
        var configuration: PostgresConnection.Configuration
        if let socket = location.socketPath {
            configuration = .init(unixSocketPath: socket, username: credentials.user, password: credentials.password, database: location.database)
        } else {
            configuration = .init(host: location.host ?? "localhost", port: location.port, username: credentials.user,
                                  password: credentials.password, database: location.database, tls: .disable)
        }
        configuration.options.connectTimeout = .seconds(connectTimeoutSeconds)
        configuration.options.additionalStartupParameters = [("application_name", "creditdesk")]
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let connection = try PostgresConnection.connect(on: group.next(), configuration: configuration, id: 1,
                                                            logger: Logger(label: "creditdesk.postgres")).wait()
            return PostgresSession(location: location, role: credentials.user, group: group, connection: connection)
        } catch {
            try? group.syncShutdownGracefully()
            throw Self.connectProblem(error, location: location, role: credentials.user)
        }
    }

    private static func connectProblem(_ error: any Error, location: PostgresLocation, role: String) -> PostgresProblem {
        let named = PostgresProblem.from(error, lockSeconds: 0, role: role)
        switch named {
        case .connectionLost(let why): return .unreachable(location: location.description, why: why)
        case let .server(state, message) where state.hasPrefix("3D"): return .notInitialized(database: location.database + " (\(message))")
        default: return named
        }
    }

    /// Runs one statement with `binds` ($1, $2…) and returns its rows.
    @discardableResult
    func query(_ sql: String, _ binds: [any PostgresEncodable & Sendable] = []) throws(PostgresProblem) -> [PostgresRow] {
        var bindings = PostgresBindings(capacity: binds.count)
        do {
            for value in binds { try bindings.append(value, context: .default) }
            return try connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).wait().rows
        } catch {
            throw PostgresProblem.from(error, lockSeconds: lockSeconds, role: role)
        }
    }

    /// Runs `body` inside BEGIN … COMMIT; any error rolls back (best effort: a broken connection
    /// rolls back on the server by itself). The result stands only once COMMIT returned.
    func transaction<T>(_ body: () throws(PostgresProblem) -> T) throws(PostgresProblem) -> T {
        try query("BEGIN")
        let result: T
        do {
            result = try body()
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
        try query("COMMIT")
        return result
    }

    /// Closes the connection and stops the event loop.
    func close() {
        try? connection.close().wait()
        try? group.syncShutdownGracefully()
    }

    deinit {
        if !connection.isClosed { try? connection.close().wait() }
        try? group.syncShutdownGracefully()
    }
}
