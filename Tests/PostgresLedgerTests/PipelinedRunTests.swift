import Foundation
import Testing
@testable import PostgresLedger

/// A pipelined run cut by the server (a crash, a terminated backend) while statements are still
/// queued behind the one running fails at once as a lost connection: postgres-nio leaves the
/// queued statements of a closed connection unanswered, and the wait must not sit them out.
@Suite(.enabled(if: TestPostgres.isConfigured, TestPostgres.skipNote))
struct PipelinedRunTests {
    @Test("a backend terminated under a pipelined run ends the run at once as a lost connection, queued statements and all")
    func aCutRunFailsAtOnce() throws {
        let database = try TestPostgres.freshDatabase("pipelined")
        defer { database.drop() }
        let session = try TestPostgres.connect(database.location)
        defer { session.close() }
        let pid = try #require(try session.query("SELECT pg_backend_pid()").first?.decode(Int32.self))
        TestPostgres.cutWhenSleeping(pid, on: database.location)
        let started = Date()
        #expect(throws: PostgresProblem.self) {
            try session.pipelined([("SELECT pg_sleep(3)", []), ("SELECT 1", []), ("SELECT 2", []), ("SELECT 3", [])])
        }
        let waited = Date().timeIntervalSince(started)
        #expect(waited < 8, "the run waited \(waited) s after its connection was cut")
        #expect(session.connection.isClosed)
    }

    static let clusterScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/postgres-cluster").path

    /// Runs `scripts/postgres-cluster VERB DIR` and returns what it printed.
    @discardableResult
    static func cluster(_ verb: String, _ folder: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: clusterScript)
        process.arguments = [verb, folder]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a server crash under pipelined runs ends each at once as a lost connection, queued statements and all")
    func aCrashEndsEveryRunAtOnce() throws {
        let folder = "/tmp/creditdesk-pg-pipelined-" + UUID().uuidString
        defer {
            _ = try? Self.cluster("stop", folder)
            try? FileManager.default.removeItem(atPath: folder)
        }
        let url = try Self.cluster("start", folder)
        let location = try #require(try? PostgresLocation.parse(url))
        let sessions = try (0..<8).map { _ in try TestPostgres.connect(location) }
        defer { sessions.forEach { $0.close() } }
        let crasher = Thread {
            usleep(300_000)
            _ = try? Self.cluster("crash", folder)
        }
        crasher.start()
        let started = Date()
        let failures = NIOLockedCounter()
        nonisolated(unsafe) let each = sessions
        DispatchQueue.concurrentPerform(iterations: each.count) { index in
            do {
                _ = try each[index].pipelined([("SELECT pg_sleep(2)", []), ("SELECT 1", []), ("SELECT 2", []), ("SELECT 3", [])])
            } catch {
                failures.add()
            }
        }
        let waited = Date().timeIntervalSince(started)
        #expect(failures.value == sessions.count, "every run was cut by the crash")
        #expect(waited < 8, "the runs waited \(waited) s after the crash")
    }
}

/// A count shared between threads.
final class NIOLockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
