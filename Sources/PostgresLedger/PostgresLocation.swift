/// Where a PostgreSQL ledger lives, parsed from `--ledger`: `postgresql://[USER@]HOST[:PORT]/DB`,
/// `postgresql://[USER@]/DB?host=/socket/dir` (a Unix socket folder, as libpq reads it), or the
/// same with `postgres://`. A password is never taken from the URL (PGPASSWORD or ~/.pgpass).
public struct PostgresLocation: Equatable, Sendable, CustomStringConvertible {
    /// The role to connect as; nil means PGUSER, else the login name (as libpq does).
    public var user: String?
    /// A TCP host name or address; nil when `socketDirectory` is used.
    public var host: String?
    /// The TCP port, or the number in the socket file's name (`.s.PGSQL.PORT`).
    public var port: Int
    /// The folder holding the server's Unix socket.
    public var socketDirectory: String?
    /// The database name.
    public var database: String

    /// The port PostgreSQL listens on unless told otherwise.
    public static let defaultPort = 5432
    /// The schemes accepted, as libpq accepts them.
    public static let schemes = ["postgresql://", "postgres://"]
    /// The longest URL accepted, in bytes.
    public static let lengthMax = 1_024

    /// Whether `text` names a PostgreSQL ledger (by its scheme) rather than a directory.
    public static func isURL(_ text: String) -> Bool {
        schemes.contains { text.hasPrefix($0) }
    }

    /// The socket file for a Unix-socket location.
    public var socketPath: String? {
        socketDirectory.map { $0 + "/.s.PGSQL.\(port)" }
    }

    /// The URL again, without a password (there never is one), for messages.
    public var description: String {
        let who = user.map { $0 + "@" } ?? ""
        if let socketDirectory { return "postgresql://\(who)/\(database)?host=\(socketDirectory)" + (port == Self.defaultPort ? "" : "&port=\(port)") }
        let where_ = host ?? "localhost"
        return "postgresql://\(who)\(where_)" + (port == Self.defaultPort ? "" : ":\(port)") + "/\(database)"
    }
}

/// Why a `postgresql://` URL was refused (exit 64: the command line is wrong).
public enum PostgresLocationProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case notPostgresURL
    case tooLong(Int)
    /// `user:password@`: passwords come from PGPASSWORD or ~/.pgpass, never a command line.
    case passwordInURL
    case missingDatabase
    case badPort(String)
    case unknownParameter(String)
    case badEscape(String)
    /// Neither a host nor a `host=` socket folder: say which server.
    case missingHost

    public var description: String {
        switch self {
        case .notPostgresURL: return "not a PostgreSQL URL (expected postgresql://[USER@]HOST[:PORT]/DB or postgresql:///DB?host=/socket/dir)"
        case .tooLong(let length): return "the PostgreSQL URL is \(length) bytes, longer than \(PostgresLocation.lengthMax)"
        case .passwordInURL: return "the PostgreSQL URL holds a password: give it in PGPASSWORD or ~/.pgpass, never on the command line"
        case .missingDatabase: return "the PostgreSQL URL names no database (postgresql://HOST/DB)"
        case .badPort(let text): return "the PostgreSQL URL's port \"\(text)\" is not a number from 1 to 65535"
        case .unknownParameter(let name): return "the PostgreSQL URL's parameter \"\(name)\" is not supported (only host and port)"
        case .badEscape(let text): return "the PostgreSQL URL has a bad %-escape in \"\(text)\""
        case .missingHost: return "the PostgreSQL URL names no server: give a host (postgresql://HOST/DB) or a socket folder (?host=/run/postgresql)"
        }
    }
}

extension PostgresLocation {
    /// Parses `text` (see the type's comment). Percent-escapes are decoded in every part.
    public static func parse(_ text: String) throws(PostgresLocationProblem) -> PostgresLocation {
        guard text.utf8.count <= lengthMax else { throw .tooLong(text.utf8.count) }
        guard let scheme = schemes.first(where: { text.hasPrefix($0) }) else { throw .notPostgresURL }
        var rest = Substring(text.dropFirst(scheme.count))
        var query = Substring("")
        if let mark = rest.firstIndex(of: "?") { query = rest[rest.index(after: mark)...]; rest = rest[..<mark] }
        guard let slash = rest.firstIndex(of: "/") else { throw .missingDatabase }
        let authority = rest[..<slash]
        let database = try decoded(rest[rest.index(after: slash)...])
        guard !database.isEmpty, !database.contains("/") else { throw .missingDatabase }
        var location = PostgresLocation(user: nil, host: nil, port: defaultPort, socketDirectory: nil, database: database)
        try location.take(authority: authority)
        try location.take(query: query)
        guard location.host != nil || location.socketDirectory != nil else { throw .missingHost }
        return location
    }

    private mutating func take(authority: Substring) throws(PostgresLocationProblem) {
        var hostPart = authority
        if let at = authority.lastIndex(of: "@") {
            let userPart = authority[..<at]
            guard !userPart.contains(":") else { throw .passwordInURL }
            user = try Self.decoded(userPart)
            hostPart = authority[authority.index(after: at)...]
        }
        if let colon = hostPart.lastIndex(of: ":"), !hostPart.hasSuffix("]") {
            port = try Self.port(hostPart[hostPart.index(after: colon)...])
            hostPart = hostPart[..<colon]
        }
        if !hostPart.isEmpty {
            let name = try Self.decoded(hostPart)
            if name.hasPrefix("/") { socketDirectory = name } else { host = name }
        }
    }

    private mutating func take(query: Substring) throws(PostgresLocationProblem) {
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let value = try Self.decoded(parts.count > 1 ? parts[1] : "")
            switch name {
            case "host":
                if value.hasPrefix("/") { socketDirectory = value; host = nil } else { host = value; socketDirectory = nil }
            case "port": port = try Self.port(Substring(value))
            case "user": user = value
            case "password": throw .passwordInURL
            default: throw .unknownParameter(name)
            }
        }
    }

    private static func port(_ text: Substring) throws(PostgresLocationProblem) -> Int {
        guard let number = Int(text), (1...65_535).contains(number) else { throw .badPort(String(text)) }
        return number
    }

    /// `%XX` decoded; anything else as written.
    static func decoded(_ text: Substring) throws(PostgresLocationProblem) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == 37 else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw .badEscape(String(text))
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self), !decoded.utf8.contains(0) else { throw .badEscape(String(text)) }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }
}
