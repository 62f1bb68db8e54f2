import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shared helpers for the LedgerStore tests: a scratch directory per test, the shipped catalogs,
/// a clock that only moves forward, and byte-level access to the journal.

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` with a fresh directory made by mkdtemp under /tmp, and removes it afterwards.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    var template = Array("/tmp/ledgerstore-tests-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    guard let made else { throw FixtureError("mkdtemp failed: errno \(errno)") }
    let path = String(cString: made)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// The permission bits of whatever is at `path` (following a link), nil when nothing is.
func permissions(_ path: String) -> mode_t? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return info.st_mode & 0o777
}

enum Fixture {
    /// The package root, found from this file: Tests/LedgerStoreTests/<file>.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The bytes of a shipped catalog (`konfiwear`, `sofia`).
    static func catalogBytes(_ name: String) throws -> [UInt8] {
        let url = packageRoot.appendingPathComponent("Data/catalogs/\(name).json")
        return [UInt8](try Data(contentsOf: url))
    }

    /// 2026-11-22T05:30:00Z, a Sunday.
    static let epoch = Timestamp(iso8601: "2026-11-22T05:30:00Z")!

    static func time(minute: Int64) -> Timestamp {
        Timestamp(secondsSinceEpoch: epoch.secondsSinceEpoch + minute * 60)
    }

    static let support = "alice"
    static let owner = "bob"
    static let member = "carol"
}

/// A ledger plus a clock that moves one minute per command.
final class LedgerScript {
    var ledger: FileLedger
    let directory: String
    var minute: Int64 = 0

    /// Creates a new ledger in `directory` priced by the `catalog` file; `alice` is support.
    init(creating directory: String, catalog: String = "konfiwear") throws {
        self.directory = directory
        ledger = try FileLedger.create(directory: directory, catalogBytes: try Fixture.catalogBytes(catalog),
                                       catalogSource: "\(catalog).json", actor: Fixture.support,
                                       time: Fixture.time(minute: 0))
    }

    /// Opens an existing ledger, continuing the clock from `minute`.
    init(reopening directory: String, minute: Int64) throws {
        self.directory = directory
        self.minute = minute
        ledger = try FileLedger.open(directory: directory)
    }

    var journalPath: String { ledger.paths.journal }

    /// Submits `command` as `actor`, one minute after the last command.
    func submit(_ command: Command, as actor: String) throws(LedgerError) -> SubmitOutcome {
        minute += 1
        return try ledger.submit(command, context: CommandContext(actor: actor, time: Fixture.time(minute: minute)))
    }

    /// Submits `command` and insists that it was recorded; returns the entries written.
    @discardableResult
    func record(_ command: Command, as actor: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [Entry] {
        let outcome = try submit(command, as: actor)
        guard case .recorded(let entries, _) = outcome else {
            Issue.record("expected \(command) to be recorded, got \(outcome)", sourceLocation: sourceLocation)
            throw FixtureError("not recorded: \(command)")
        }
        return entries
    }

    /// Creates workspace `acme` (owner bob, plan pro).
    func createAcme(plan: String = "pro") throws {
        try record(.createWorkspace(id: "acme", name: "Acme Tees", owner: Fixture.owner, plan: plan, trial: false),
                   as: Fixture.support)
    }
}

/// Whether two states agree on everything the journal determines.
func sameState(_ a: LedgerState, _ b: LedgerState) -> Bool {
    a.catalog == b.catalog && a.operators == b.operators && a.workspaces == b.workspaces
        && a.lastSeq == b.lastSeq && a.lastTime == b.lastTime && a.lastHash == b.lastHash
}

/// Checks two states field by field, so a failure says which part differs.
func expectSameState(_ actual: LedgerState, _ expected: LedgerState, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.catalog == expected.catalog, "catalog", sourceLocation: sourceLocation)
    #expect(actual.operators == expected.operators, "operators", sourceLocation: sourceLocation)
    #expect(actual.removedOperators == expected.removedOperators, "removed operators", sourceLocation: sourceLocation)
    #expect(actual.workspaces == expected.workspaces, "workspaces", sourceLocation: sourceLocation)
    #expect(actual.lastSeq == expected.lastSeq, "lastSeq", sourceLocation: sourceLocation)
    #expect(actual.lastTime == expected.lastTime, "lastTime", sourceLocation: sourceLocation)
    #expect(actual.lastHash == expected.lastHash, "lastHash", sourceLocation: sourceLocation)
}

/// Opens the ledger and returns the error it refuses with, or nil when it opens.
func openFailure(_ directory: String) -> LedgerError? {
    do {
        _ = try FileLedger.open(directory: directory)
        return nil
    } catch {
        return error
    }
}

// MARK: - The journal as bytes

enum JournalBytes {
    static func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Replaces the file's contents in place (same inode, same mode).
    static func overwrite(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_TRUNC)
        guard descriptor >= 0 else { throw FixtureError("open \(path): errno \(errno)") }
        defer { close(descriptor) }
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + done, bytes.count - done) }
            guard wrote > 0 else { throw FixtureError("write \(path): errno \(errno)") }
            done += wrote
        }
    }

    static func cut(_ path: String, to length: Int) throws {
        guard truncate(path, off_t(length)) == 0 else { throw FixtureError("truncate \(path): errno \(errno)") }
    }

    /// The byte range of every line, newline excluded.
    static func lines(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 10 {
            ranges.append(start..<index)
            start = index + 1
        }
        if start < bytes.count { ranges.append(start..<bytes.count) }
        return ranges
    }

    /// `records` chained again from the genesis hash and encoded as a journal (one record per
    /// commit): a forgery whose every checksum and link is sound, for what only the rule replay finds.
    static func rechained(_ records: [Entry]) -> [UInt8] {
        var rebuilt: [UInt8] = []
        var prev = JournalFormat.genesisHash
        for record in records {
            let (line, hash) = JournalFormat.encode(record, prev: prev, more: false)
            rebuilt += line + [10]
            prev = hash
        }
        return rebuilt
    }

    /// The error `FileLedger.verify` stops with (reading `runBytes` at a time, when given); nil
    /// when it passes.
    static func verifyFailure(_ directory: String, runBytes: Int? = nil) -> LedgerError? {
        do {
            if let runBytes { _ = try FileLedger.verify(directory: directory, runBytes: runBytes) } else {
                _ = try FileLedger.verify(directory: directory)
            }
            return nil
        } catch {
            return error
        }
    }

    /// Joins lines back into a journal, each ended by a newline.
    static func join(_ lines: [[UInt8]]) -> [UInt8] {
        lines.reduce(into: []) { out, line in out += line; out.append(10) }
    }

    /// Decodes one line with its checksum checked.
    static func decode(_ line: [UInt8]) throws -> JournalFormat.DecodedRecord {
        try line.withUnsafeBufferPointer { try JournalFormat.decode($0) }
    }

    /// An independent check of a whole journal: every line decodes with a good checksum, seqs
    /// run 1, 2, 3..., each `prev` is the hash of the line before, and the file ends in a newline.
    static func verify(_ bytes: [UInt8]) -> String? {
        guard bytes.last == 10 else { return "the journal does not end in a newline" }
        var prev = JournalFormat.genesisHash
        for (index, range) in lines(bytes).enumerated() {
            guard let record = try? decode(Array(bytes[range])) else { return "line \(index + 1) does not decode" }
            guard record.entry.seq == Int64(index + 1) else { return "line \(index + 1) has seq \(record.entry.seq)" }
            guard record.prev == prev else { return "line \(index + 1) breaks the chain" }
            prev = record.entry.hash
        }
        return nil
    }
}
