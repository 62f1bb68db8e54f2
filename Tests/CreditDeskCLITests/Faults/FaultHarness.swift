import CreditKit
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Processes started with posix_spawn and reaped with waitpid by the test itself, so that a test
/// can SIGKILL one at an exact moment and tell "exited 0 before the kill" from "killed", and can
/// pass arguments that are not valid UTF-8 (Foundation's `Process` takes only Strings).
struct RawProcess {
    enum Ending: Equatable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)
        var description: String {
            switch self {
            case .exited(let status): return "exit \(status)"
            case .signaled(let signal): return "signal \(signal)"
            }
        }
    }

    struct Result: CustomStringConvertible {
        var ending: Ending
        var stdout: String
        var stderr: String
        var seconds: Double
        var status: Int32? { if case .exited(let status) = ending { return status } else { return nil } }
        var description: String { "\(ending) after \(String(format: "%.3f", seconds)) s\n--- stdout ---\n\(stdout.prefix(2000))--- stderr ---\n\(stderr.prefix(2000))" }
    }

    let pid: pid_t
    let started: Double
    let stdoutPath: String
    let stderrPath: String

    /// Starts `executable` with raw byte arguments (argv[0] is the executable's path).
    /// `rawEnvironment` adds `NAME=value` entries as raw bytes (a value that is not UTF-8),
    /// each replacing a variable of `environment` of the same name.
    static func spawn(_ executable: String, _ arguments: [[UInt8]], environment: [String: String],
                      rawEnvironment: [(name: String, value: [UInt8])] = [], captureIn directory: String) throws -> RawProcess {
        let name = UUID().uuidString
        let out = directory + "/" + name + ".stdout"
        let err = directory + "/" + name + ".stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        func cString(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar>? {
            let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            for (index, byte) in bytes.enumerated() { pointer[index] = CChar(bitPattern: byte) }
            pointer[bytes.count] = 0
            return pointer
        }
        let argv = ([Array(executable.utf8)] + arguments).map(cString) + [nil]
        let replaced = Set(rawEnvironment.map(\.name))
        let envp = environment.filter { !replaced.contains($0.key) }.map { cString(Array("\($0.key)=\($0.value)".utf8)) }
            + rawEnvironment.map { cString(Array("\($0.name)=".utf8) + $0.value) } + [nil]
        defer {
            for pointer in argv { pointer?.deallocate() }
            for pointer in envp { pointer?.deallocate() }
        }
        var pid: pid_t = 0
        let started = monotonic()
        let code = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO) }
        return RawProcess(pid: pid, started: started, stdoutPath: out, stderrPath: err)
    }

    func kill(_ signal: Int32 = SIGKILL) { _ = Glibc.kill(pid, signal) }

    /// Reaps the process, SIGKILLing it first if it outlives `timeout` (recorded as an issue).
    func wait(timeout: Double = 60, sourceLocation: SourceLocation = #_sourceLocation) -> Result {
        let deadline = RawProcess.monotonic() + timeout
        var status: Int32 = 0
        var ended = 0.0
        while true {
            let got = waitpid(pid, &status, WNOHANG)
            if got == pid { ended = RawProcess.monotonic(); break }
            if got < 0 && errno != EINTR { Issue.record("waitpid: errno \(errno)", sourceLocation: sourceLocation); break }
            if RawProcess.monotonic() > deadline {
                Issue.record("process \(pid) still running after \(timeout) s; killed", sourceLocation: sourceLocation)
                kill()
            }
            usleep(500)
        }
        let low = status & 0x7f
        let ending: Ending = low == 0 ? .exited((status >> 8) & 0xff) : .signaled(low)
        let out = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        unlink(stdoutPath)
        unlink(stderrPath)
        return Result(ending: ending, stdout: out, stderr: err, seconds: ended - started)
    }

    static func monotonic() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

extension CLI {
    /// Starts the real binary with raw arguments, as `actor`.
    func spawn(_ arguments: [[UInt8]], as actor: String? = nil, environment extra: [String: String] = [:],
               rawEnvironment: [(name: String, value: [UInt8])] = []) throws -> RawProcess {
        var env = environment
        if let actor { env["CREDITDESK_OPERATOR"] = actor }
        env.merge(extra) { $1 }
        return try RawProcess.spawn(CLI.binary, arguments, environment: env, rawEnvironment: rawEnvironment, captureIn: scratch)
    }

    func spawn(_ arguments: [String], as actor: String? = nil, environment extra: [String: String] = [:]) throws -> RawProcess {
        try spawn(arguments.map { Array($0.utf8) }, as: actor, environment: extra)
    }

    /// The journal's bytes (empty if there is none).
    func journalBytes() -> [UInt8] {
        (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: journalPath)))) ?? []
    }

    /// Every whole line of the journal (a torn tail after the last newline is left out), parsed.
    func wholeRecords() throws -> [[String: Any]] {
        let bytes = journalBytes()
        guard let last = bytes.lastIndex(of: 10) else { return [] }
        return try bytes[..<last].split(separator: 10, omittingEmptySubsequences: false).map {
            try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any], "not a JSON record")
        }
    }

    /// Bytes after the last newline: a half-written record.
    func tornTailLength() -> Int {
        let bytes = journalBytes()
        return bytes.count - ((bytes.lastIndex(of: 10) ?? -1) + 1)
    }

    /// What the journal says each workspace holds: the sum of its credit-moving records.
    func foldedBalances() throws -> [String: Int64] {
        var sums: [String: Int64] = [:]
        for record in try wholeRecords() {
            guard let ws = record.string("ws"), let credits = record.int("credits") else { continue }
            sums[ws, default: 0] += credits
        }
        return sums
    }

    /// `workspace list --json` as support: balance by workspace.
    func listedBalances(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Int64] {
        let result = try run("workspace", "list", "--json", as: People.support, sourceLocation: sourceLocation)
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        var out: [String: Int64] = [:]
        for row in try result.jsonArray(sourceLocation: sourceLocation) {
            out[row.string("workspace") ?? "?"] = row.int("balance")
        }
        return out
    }

    /// `export --format jsonl` as support: credits summed by workspace.
    func exportedBalances(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Int64] {
        let result = try run("export", "--format", "jsonl", as: People.support, sourceLocation: sourceLocation)
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        var sums: [String: Int64] = [:]
        for line in result.stdoutLines {
            let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard let ws = row.string("workspace") ?? row.string("ws"), let credits = row.int("credits") else { continue }
            sums[ws, default: 0] += credits
        }
        return sums
    }

    /// Checks the three views of every balance agree: the journal's fold, `export`, `workspace list`,
    /// and that each workspace's history, oldest first, is a running sum that never goes below zero.
    func expectBalancesEqualTheFold(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let folded = try foldedBalances()
        let listed = try listedBalances(sourceLocation: sourceLocation)
        let exported = try exportedBalances(sourceLocation: sourceLocation)
        for (ws, balance) in listed {
            #expect(balance == folded[ws, default: 0], "\(ws): listed \(balance), journal fold \(folded[ws, default: 0])", sourceLocation: sourceLocation)
            #expect(exported[ws, default: 0] == folded[ws, default: 0], "\(ws): export sums to \(exported[ws, default: 0])", sourceLocation: sourceLocation)
            #expect(balance >= 0, sourceLocation: sourceLocation)
        }
        #expect(Set(folded.keys).isSubset(of: Set(listed.keys)), sourceLocation: sourceLocation)
    }

    /// `verify` exits 0 and reports no half-written tail.
    func expectCleanVerify(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let verify = try run("verify", "--json", sourceLocation: sourceLocation)
        #expect(verify.status == 0, "\(verify)", sourceLocation: sourceLocation)
        if verify.status == 0 {
            let report = try verify.jsonObject(sourceLocation: sourceLocation)
            #expect(report["torn_tail_bytes"] == nil, "\(report)", sourceLocation: sourceLocation)
        }
    }
}

/// SplitMix64 over a seed: the same seed, the same kill points and fuzz cases on every run.
struct Seeded {
    var generator: SeededRandom
    init(_ seed: UInt64) { generator = SeededRandom(seed: seed) }
    mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &generator) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
    mutating func double(_ range: Range<Double>) -> Double { Double.random(in: range, using: &generator) }
    mutating func byte() -> UInt8 { UInt8.random(in: 0...255, using: &generator) }
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in byte() } }
    mutating func chance(_ p: Double) -> Bool { double(0..<1) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0..<items.count)] }
}

func sleepSeconds(_ seconds: Double) {
    guard seconds > 0 else { return }
    usleep(UInt32(seconds * 1_000_000))
}
