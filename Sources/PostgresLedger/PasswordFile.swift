#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who connects and with which password: the role from the URL, else PGUSER, else the login
/// name; the password from PGPASSWORD, else the libpq password file (PGPASSFILE, else
/// ~/.pgpass), never from the command line.
public struct PostgresCredentials: Equatable, Sendable {
    public var user: String
    public var password: String?
    /// Why the password file was ignored (libpq's 0600 rule), to be told as a warning.
    public var note: String?

    /// Resolves the credentials for `location` from `environment` (passed in: the executable
    /// owns the environment).
    public static func resolve(_ location: PostgresLocation, environment: [String: String]) -> PostgresCredentials {
        let user = location.user ?? environment["PGUSER"] ?? environment["USER"] ?? environment["LOGNAME"] ?? systemUserName() ?? "postgres"
        if let password = environment["PGPASSWORD"] { return PostgresCredentials(user: user, password: password, note: nil) }
        guard let path = environment["PGPASSFILE"] ?? environment["HOME"].map({ $0 + "/.pgpass" }) else {
            return PostgresCredentials(user: user, password: nil, note: nil)
        }
        switch PasswordFile.read(path: path) {
        case .missing: return PostgresCredentials(user: user, password: nil, note: nil)
        case .tooOpen(let mode):
            let note = "password file \(path) has group or world access (mode \(String(mode, radix: 8))); it is ignored: chmod 0600 it"
            return PostgresCredentials(user: user, password: nil, note: note)
        case .lines(let lines):
            return PostgresCredentials(user: user, password: PasswordFile.password(in: lines, for: location, user: user), note: nil)
        }
    }
}

/// The libpq password file: lines `host:port:database:user:password`, `*` matching anything,
/// `\:` and `\\` escaped, `#` comments. Ignored unless its mode is 0600 or stricter.
enum PasswordFile {
    /// The largest file read, in bytes.
    static let sizeMax = 1 << 20

    enum Contents: Equatable {
        case missing
        case tooOpen(mode: UInt32)
        case lines([[String]])
    }

    static func read(path: String) -> Contents {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return .missing }
        let mode = UInt32(info.st_mode) & 0o777
        guard mode & 0o077 == 0 else { return .tooOpen(mode: mode) }
        guard let file = fopen(path, "r") else { return .missing }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while bytes.count < sizeMax {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return .lines(text.split(separator: "\n").compactMap { fields(of: $0) })
    }

    /// The five fields of a line, unescaped; nil for a comment or a short line.
    static func fields(of line: Substring) -> [String]? {
        guard !line.hasPrefix("#") else { return nil }
        var fields: [String] = [""]
        var escaped = false
        for character in line where character != "\r" {
            if escaped { fields[fields.count - 1].append(character); escaped = false; continue }
            switch character {
            case "\\": escaped = true
            case ":" where fields.count < 5: fields.append("")
            default: fields[fields.count - 1].append(character)
            }
        }
        return fields.count == 5 ? fields : nil
    }

    /// The password of the first line matching; a socket connection matches host `localhost`
    /// or the socket folder, as libpq does.
    static func password(in lines: [[String]], for location: PostgresLocation, user: String) -> String? {
        let hosts = location.socketDirectory.map { ["localhost", $0] } ?? [location.host ?? "localhost"]
        for line in lines {
            func matches(_ field: String, _ values: [String]) -> Bool { field == "*" || values.contains(field) }
            if matches(line[0], hosts) && matches(line[1], ["\(location.port)"]) && matches(line[2], [location.database])
                && matches(line[3], [user]) {
                return line[4]
            }
        }
        return nil
    }
}

/// The name of the user this process runs as (`getpwuid(geteuid())`), which libpq connects as
/// when neither the URL, PGUSER, USER nor LOGNAME names a role.
func systemUserName() -> String? {
    guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
    return String(cString: name)
}
