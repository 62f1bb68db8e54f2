import Foundation
import Testing

/// What one run of a program left behind: its exit status and everything it printed.
struct CLIResult: CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    let stdout: String
    let stderr: String

    /// Standard output and standard error together, for "does it say X anywhere".
    var output: String { stdout + stderr }
    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }

    var description: String {
        "`\(arguments.joined(separator: " "))` exited \(status)\n--- stdout ---\n\(stdout)--- stderr ---\n\(stderr)"
    }

    /// Standard output parsed as one JSON value.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
    }

    func jsonObject(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        try #require(try json() as? [String: Any], "not a JSON object: \(self)", sourceLocation: sourceLocation)
    }

    func jsonArray(sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        try #require(try json() as? [[String: Any]], "not a JSON array of objects: \(self)", sourceLocation: sourceLocation)
    }
}

/// A process started but not yet waited for (for concurrent writers).
struct RunningProgram {
    let arguments: [String]
    let process: Process
    let stdoutPath: String
    let stderrPath: String

    /// Waits (polling, with a deadline so that a hung child fails the test instead of hanging it).
    func wait(timeout: Double = 60, sourceLocation: SourceLocation = #_sourceLocation) -> CLIResult {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(2_000) }
        if process.isRunning {
            process.terminate()
            Issue.record("`\(arguments.joined(separator: " "))` still running after \(timeout) s; terminated", sourceLocation: sourceLocation)
            while process.isRunning { usleep(2_000) }
        }
        // terminationStatus is only meaningful once the process is reaped.
        process.waitUntilExit()
        let out = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: stdoutPath)
        try? FileManager.default.removeItem(atPath: stderrPath)
        return CLIResult(arguments: arguments, status: process.terminationStatus, stdout: out, stderr: err)
    }
}

/// Runs the real, built `creditdesk` binary against a private temporary ledger.
///
/// Each test makes its own `CLI` (a fresh `mkdtemp` ledger directory plus a scratch directory for
/// captured output) and calls `remove()` when done.
final class CLI: @unchecked Sendable {
    /// The fixed test clock every command runs at unless told otherwise.
    static let defaultNow = "2026-01-10T09:00:00Z"

    /// The ledger directory (`CREDITDESK_LEDGER`): empty until `init`.
    let ledger: String
    /// A directory for captured output and anything else a test wants to write.
    let scratch: String
    /// The environment every run gets (nothing is inherited but `PATH`).
    var environment: [String: String]

    init(now: String = CLI.defaultNow) throws {
        ledger = try CLI.makeTemporaryDirectory("creditdesk-ledger")
        scratch = try CLI.makeTemporaryDirectory("creditdesk-scratch")
        environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": scratch,
            "XDG_DATA_HOME": scratch + "/xdg",
            "LANG": "C.UTF-8",
            "CREDITDESK_LEDGER": ledger,
            "CREDITDESK_NOW": now,
            // A crash of the binary under test shows Swift's whole report, never a prompt.
            "SWIFT_BACKTRACE": "enable=yes,interactive=no",
        ]
    }

    /// Removes the ledger and the scratch directory.
    func remove() {
        try? FileManager.default.removeItem(atPath: ledger)
        try? FileManager.default.removeItem(atPath: scratch)
    }

    // MARK: Running

    /// Runs `creditdesk ARGUMENTS` as `actor` (`CREDITDESK_OPERATOR`) and waits for it.
    func run(_ arguments: [String], as actor: String? = nil, environment extra: [String: String] = [:],
             sourceLocation: SourceLocation = #_sourceLocation) throws -> CLIResult {
        try start(arguments, as: actor, environment: extra).wait(sourceLocation: sourceLocation)
    }

    func run(_ arguments: String..., as actor: String? = nil, environment extra: [String: String] = [:],
             sourceLocation: SourceLocation = #_sourceLocation) throws -> CLIResult {
        try run(arguments, as: actor, environment: extra, sourceLocation: sourceLocation)
    }

    /// Runs a command that must succeed (exit 0), recording an issue with its output if not.
    @discardableResult
    func ok(_ arguments: String..., as actor: String? = nil, environment extra: [String: String] = [:],
            sourceLocation: SourceLocation = #_sourceLocation) throws -> CLIResult {
        let result = try run(arguments, as: actor, environment: extra, sourceLocation: sourceLocation)
        #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return result
    }

    @discardableResult
    func ok(_ arguments: [String], as actor: String? = nil, environment extra: [String: String] = [:],
            sourceLocation: SourceLocation = #_sourceLocation) throws -> CLIResult {
        let result = try run(arguments, as: actor, environment: extra, sourceLocation: sourceLocation)
        #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return result
    }

    /// Starts `creditdesk ARGUMENTS` without waiting.
    func start(_ arguments: [String], as actor: String? = nil, environment extra: [String: String] = [:]) throws -> RunningProgram {
        var env = environment
        if let actor { env["CREDITDESK_OPERATOR"] = actor }
        env.merge(extra) { $1 }
        return try CLI.launch(executable: CLI.binary, arguments: arguments, environment: env, captureIn: scratch)
    }

    /// Runs any program (e.g. `hledger`) with this CLI's environment, capturing its output.
    func runTool(_ executable: String, _ arguments: [String]) throws -> CLIResult {
        try CLI.launch(executable: executable, arguments: arguments, environment: environment, captureIn: scratch).wait()
    }

    private static func launch(executable: String, arguments: [String], environment: [String: String],
                               captureIn directory: String) throws -> RunningProgram {
        let name = UUID().uuidString
        let stdoutPath = directory + "/" + name + ".stdout"
        let stderrPath = directory + "/" + name + ".stderr"
        FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        // Files rather than pipes: no buffer to fill, and no pipe end inherited by a sibling
        // process started at the same moment can hold back an end of file.
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        defer { try? out.close(); try? err.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return RunningProgram(arguments: [URL(fileURLWithPath: executable).lastPathComponent] + arguments,
                              process: process, stdoutPath: stdoutPath, stderrPath: stderrPath)
    }

    // MARK: The ledger on disk

    var journalPath: String { ledger + "/journal.jsonl" }
    var outboxNew: String { ledger + "/outbox/new" }

    func journal() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: journalPath)) }

    /// The journal's records, parsed.
    func journalRecords() throws -> [[String: Any]] {
        try String(decoding: journal(), as: UTF8.self).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    func files(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    // MARK: Finding programs

    /// The `creditdesk` executable built next to this test bundle.
    static let binary: String = {
        var folders: [URL] = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        // macOS: the .xctest bundle sits in the build folder.
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        // A build inside the source tree: Tests/CreditDeskCLITests/CLIHarness.swift → package root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        folders.append(root.appendingPathComponent(".build/debug"))
        for folder in folders {
            let candidate = folder.appendingPathComponent("creditdesk").path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return root.appendingPathComponent(".build/debug/creditdesk").path
    }()

    /// The full path of `name` on `PATH`, or nil.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = String(folder) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private static func makeTemporaryDirectory(_ prefix: String) throws -> String {
        let base = (ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp")
        var template = Array((base + "/" + prefix + ".XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            mkdtemp(buffer.baseAddress!) != nil
        }
        guard made else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}

// MARK: Small helpers for JSON values

extension Dictionary where Key == String, Value == Any {
    func int(_ key: String) -> Int64? {
        if let value = self[key] as? Int { return Int64(value) }
        if let value = self[key] as? Int64 { return value }
        if let value = self[key] as? NSNumber { return value.int64Value }
        return nil
    }
    func string(_ key: String) -> String? { self[key] as? String }
}

/// `2026-01-10T09:00:00Z`: ISO 8601 in UTC, to the second.
func isISO8601UTC(_ text: String) -> Bool {
    text.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"#, options: .regularExpression) != nil
}

/// The first whole number after `label` in `text` (e.g. "costs 500" → 500).
func number(after label: String, in text: String) -> Int64? {
    guard let range = text.range(of: label + #"\s*-?[0-9][0-9,]*"#, options: .regularExpression) else { return nil }
    let digits = text[range].dropFirst(label.count).filter { $0 == "-" || $0.isNumber }
    return Int64(String(digits))
}
