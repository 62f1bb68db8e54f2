import CreditKit
import Foundation
import LedgerCore

/// Everything the command line takes from the outside world: the clock, the environment,
/// the login name, and where the shipped data lives. The only place that reads them.
enum RunEnvironment {
    /// The process's environment variables, each read when asked (`getenv(3)`): building
    /// Foundation's whole dictionary costs every new process about half a millisecond.
    static let variables = EnvironmentVariables()

    /// The environment variables CreditDesk reads (CONTRACT.md, "Where things are"; libpq's
    /// `PGUSER`, `PGPASSWORD`, `PGPASSFILE`; the terminal's and the locale's).
    static let readNames = [
        "CREDITDESK_LEDGER", "CREDITDESK_OPERATOR", "CREDITDESK_NOW", "CREDITDESK_LOCK_TIMEOUT", "CREDITDESK_HOME",
        "CREDITDESK_SENDMAIL", "CREDITDESK_SENDMAIL_TIMEOUT", "CREDITDESK_FRAME_STATS", "CREDITDESK_TOUR_PACE", "XDG_DATA_HOME", "HOME", "USER", "LOGNAME",
        "PGUSER", "PGPASSWORD", "PGPASSFILE", "NO_COLOR", "ESCDELAY", "TERM", "LANG", "LC_ALL", "LC_CTYPE",
    ]

    /// The first variable of `readNames` that is set to bytes that are not UTF-8: read as unset,
    /// it would send a command to the default ledger, as the login name, or at the real time,
    /// so it is a bad command line (64) as such an argument is.
    static func variableNotUTF8() -> String? {
        readNames.first { name in getenv(name).map { String(validatingCString: $0) == nil } ?? false }
    }

    /// Every environment variable at once, for a reader that takes a dictionary.
    static var allVariables: [String: String] { ProcessInfo.processInfo.environment }

    /// `--ledger`, else `CREDITDESK_LEDGER`, else `$XDG_DATA_HOME/creditdesk`, else `~/.local/share/creditdesk`.
    static func ledgerDirectory(_ option: String?) -> String {
        if let option, !option.isEmpty { return option }
        if let fromEnvironment = variables["CREDITDESK_LEDGER"], !fromEnvironment.isEmpty { return fromEnvironment }
        if let dataHome = variables["XDG_DATA_HOME"], !dataHome.isEmpty { return dataHome + "/creditdesk" }
        return (variables["HOME"] ?? NSHomeDirectory()) + "/.local/share/creditdesk"
    }

    /// `--as`, else `CREDITDESK_OPERATOR`, else the login name.
    static func actor(_ option: String?) -> String {
        if let option, !option.isEmpty { return option }
        for key in ["CREDITDESK_OPERATOR", "USER", "LOGNAME"] {
            if let value = variables[key], !value.isEmpty { return value }
        }
        return NSUserName()
    }

    /// The machine's clock.
    static var realNow: Timestamp { Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) }

    /// Whether a time was given (`--now`, else `CREDITDESK_NOW`) rather than left to the clock.
    static func nowGiven(_ option: String?) -> Bool { !(option ?? variables["CREDITDESK_NOW"] ?? "").isEmpty }

    /// `--now`, else `CREDITDESK_NOW`, else the real clock.
    static func now(_ option: String?) throws(CLIFailure) -> Timestamp {
        let text = option ?? variables["CREDITDESK_NOW"]
        guard let text, !text.isEmpty else { return realNow }
        guard let parsed = Timestamp(iso8601: text) else {
            throw .usage("--now \"\(text)\" is not an ISO 8601 time such as 2026-11-22T09:30:00Z")
        }
        try recordable(parsed, option: "--now", text: text)
        return parsed
    }

    /// Refuses (64) a time given as `option` that no record can carry (`Timestamp.isRecordable`).
    static func recordable(_ time: Timestamp, option: String, text: String) throws(CLIFailure) {
        guard !time.isRecordable else { return }
        let bound = time > Timestamp.latestRecordable
            ? "after \(Timestamp.latestRecordable), the last time" : "before \(Timestamp.earliestRecordable), the first time"
        throw .usage("\(option) \"\(text)\" is \(time), \(bound) a ledger can hold")
    }

    /// Seconds a writer waits for another writer's lock unless `CREDITDESK_LOCK_TIMEOUT` says.
    static let lockTimeoutDefault: Double = 10
    /// The longest wait `CREDITDESK_LOCK_TIMEOUT` may ask for, in seconds (an hour).
    static let lockTimeoutMax: Double = 3_600

    /// Seconds a writer waits for another writer's lock: `CREDITDESK_LOCK_TIMEOUT`, a number from
    /// 0 to `lockTimeoutMax`, else 10. Anything else (`abc`, `inf`, `1e20`, `-1`) is refused (64).
    static func lockTimeout() throws(CLIFailure) -> Double {
        try seconds(named: "CREDITDESK_LOCK_TIMEOUT", from: 0, to: lockTimeoutMax, else: lockTimeoutDefault)
    }

    /// Seconds `CREDITDESK_SENDMAIL` may take over one message unless `CREDITDESK_SENDMAIL_TIMEOUT` says.
    static let mailerTimeoutDefault: Double = 30

    /// Seconds the mailer may take over one message before it is stopped (R24):
    /// `CREDITDESK_SENDMAIL_TIMEOUT`, a number from 1 to `lockTimeoutMax`, else 30; anything else is
    /// refused (64) before a command writes, since after its commit it could only be a warning.
    static func mailerTimeout() throws(CLIFailure) -> Double {
        try seconds(named: "CREDITDESK_SENDMAIL_TIMEOUT", from: 1, to: lockTimeoutMax, else: mailerTimeoutDefault)
    }

    /// The number of seconds in the variable `name`, from `least` to `most`, or `fallback` when unset.
    private static func seconds(named name: String, from least: Double, to most: Double, else fallback: Double) throws(CLIFailure) -> Double {
        guard let text = variables[name], !text.isEmpty else { return fallback }
        guard let seconds = Double(text), seconds.isFinite, seconds >= least, seconds <= most else {
            var failure = CLIFailure.usage("\(name)=\"\(text)\" is not a number of seconds from \(Int(least)) to \(Int(most))")
            failure.saysNothingWritten = true
            throw failure
        }
        return seconds
    }

    /// The folder holding the shipped `catalogs/` (and demo data): `CREDITDESK_HOME` (the folder
    /// that holds `Data/`, or `Data/` itself), the resource bundle beside the binary, or a `Data/`
    /// folder above the binary (a build inside the source tree).
    static func dataDirectory() -> String? {
        let fileManager = FileManager.default
        func hasCatalogs(_ path: String) -> Bool { fileManager.fileExists(atPath: path + "/catalogs") }
        if let home = variables["CREDITDESK_HOME"], !home.isEmpty {
            for candidate in [home + "/Data", home] where hasCatalogs(candidate) { return candidate }
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let binaryFolder = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent()
            ?? executable.deletingLastPathComponent()
        for bundle in ["creditdesk_creditdesk.resources", "CreditDesk_creditdesk.resources", "share/creditdesk"] {
            let candidate = binaryFolder.appendingPathComponent(bundle).appendingPathComponent("Data").path
            if hasCatalogs(candidate) { return candidate }
        }
        var folder = binaryFolder
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("Data").path
            if hasCatalogs(candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    /// The catalog file for `init --catalog NAME|PATH`.
    static func catalogPath(_ nameOrPath: String) throws(CLIFailure) -> String {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".json") { return nameOrPath }
        guard let data = dataDirectory() else {
            throw CLIFailure(status: 2, message: "cannot find the shipped catalogs: set CREDITDESK_HOME to the folder that holds Data/")
        }
        let path = data + "/catalogs/" + nameOrPath + ".json"
        guard FileManager.default.fileExists(atPath: path) else {
            let known = ((try? FileManager.default.contentsOfDirectory(atPath: data + "/catalogs")) ?? [])
                .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
            throw .usage("unknown catalog \"\(nameOrPath)\"; shipped catalogs: \(known.joined(separator: ", "))")
        }
        return path
    }
}

/// The environment read one variable at a time; `nil` for a variable that is not set or whose
/// value is not UTF-8.
struct EnvironmentVariables: Sendable {
    subscript(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(validatingCString: value)
    }
}
