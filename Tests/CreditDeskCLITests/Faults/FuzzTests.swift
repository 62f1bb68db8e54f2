import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Seeded, bounded fuzzing of the journal reader: the line decoder alone, and whole journals
/// through `FileLedger.open`. The reader must never crash, must answer every damaged input with a
/// `LedgerError` naming the line, and must never skip a damaged record to open "cleanly".
@Suite("Journal reader fuzz")
struct FuzzTests {
    /// A small but varied real journal: init, operators, workspaces, members, adjustments, charges,
    /// a refund, top-ups, Copilot messages, a multi-record commit (an alert), built in-process.
    static func baseJournal(in directory: String) throws -> [UInt8] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let catalog = [UInt8](try Data(contentsOf: root.appendingPathComponent("Data/catalogs/konfiwear.json")))
        var minute: Int64 = 0
        func context(_ actor: String) -> CommandContext {
            minute += 1
            return CommandContext(actor: actor, time: Timestamp(secondsSinceEpoch: 1_790_000_000 + minute * 60))
        }
        let ledger = try FileLedger.create(directory: directory, catalogBytes: catalog, catalogSource: "konfiwear.json",
                                           actor: "maria", time: Timestamp(secondsSinceEpoch: 1_790_000_000))
        let commands: [(Command, String)] = [
            (.addOperator(name: "tom", role: .support), "maria"),
            (.createWorkspace(id: "acme", name: "Acme Tees \u{2014} caf\u{e9}", owner: "sam", plan: "pro", trial: false), "maria"),
            (.createWorkspace(id: "beta", name: "Beta", owner: "ann", plan: "starter", trial: false), "maria"),
            (.addMember(workspace: "acme", member: "lee"), "sam"),
            (.adjust(workspace: "acme", amount: 120, reason: "seed \"quoted\" \\ reason"), "maria"),
            (.adjust(workspace: "beta", amount: 40, reason: "seed"), "tom"),
            (.copilot(workspace: "acme", messages: 3), "lee"),
            (.charge(workspace: "acme", action: "ai_graphic", job: "j-1"), "lee"),
            (.charge(workspace: "acme", action: "print_file", job: "j-2"), "sam"),
            (.jobFailed(workspace: "acme", job: "j-1"), "lee"),
            (.topUp(workspace: "beta", pack: "topup_50"), "ann"),
            (.copilot(workspace: "acme", messages: 2), "lee"),
            (.charge(workspace: "beta", action: "ai_vectorize", job: "b-1"), "ann"),
            (.adjust(workspace: "acme", amount: -100, reason: "clawback"), "maria"),
            (.charge(workspace: "acme", action: "ai_graphic", job: "j-3"), "lee"),
            (.charge(workspace: "acme", action: "ai_graphic", job: "j-4"), "lee"),
            (.adjust(workspace: "beta", amount: 7, reason: "goodwill"), "maria"),
            (.charge(workspace: "beta", action: "ai_graphic", job: "b-2"), "ann"),
        ]
        for (command, actor) in commands {
            let outcome = try ledger.submit(command, context: context(actor))
            guard case .recorded = outcome else { throw FuzzError("not recorded: \(command): \(outcome)") }
        }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: ledger.paths.journal)))
    }

    struct FuzzError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: 10, omittingEmptySubsequences: false).dropLast().map(Array.init)
    }

    static func decode(_ line: [UInt8]) -> Result<JournalFormat.DecodedRecord, JournalFormat.LineProblem> {
        line.withUnsafeBufferPointer { buffer in
            do throws(JournalFormat.LineProblem) { return .success(try JournalFormat.decode(buffer)) } catch { return .failure(error) }
        }
    }

    /// The line with its `prev` replaced and its hash recomputed: what a forger (or a buggy
    /// writer) who knows the format would produce.
    static func rehash(_ line: [UInt8], prev: String? = nil) -> [UInt8] {
        var body = Array(line.dropLast(JournalFormat.hashSuffixLength))
        if let prev, let range = find(Array(",\"prev\":\"".utf8), in: body) {
            body.replaceSubrange(range.upperBound..<(range.upperBound + 64), with: Array(prev.utf8))
        }
        let hash = SHA256Hex.digest(body)
        return body + Array(",\"hash\":\"\(hash)\"}".utf8)
    }

    static func hash(of line: [UInt8]) -> String {
        String(decoding: line.suffix(JournalFormat.hashSuffixLength).dropFirst(9).prefix(64), as: UTF8.self)
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start..<(start + needle.count)
        }
        return nil
    }

    /// One damaged variant of a valid line, by a seeded mutation; the name says which.
    static func mutate(_ line: [UInt8], _ random: inout Seeded) -> (String, [UInt8]) {
        var out = line
        switch random.int(0..<9) {
        case 0:
            return ("random bytes", random.bytes(random.int(0...400)))
        case 1:
            let index = random.int(0..<out.count)
            out[index] ^= UInt8(1) << UInt8(random.int(0..<8))
            return ("bit flip", out)
        case 2:
            return ("truncation", Array(out.prefix(random.int(0..<out.count))))
        case 3:
            // A key repeated before "prev" (the checksum no longer matches).
            let keys = [",\"v\":1", ",\"seq\":1", ",\"credits\":500", ",\"ws\":\"acme\"", ",\"kind\":\"charge\"", ",\"hash\":\"00\""]
            let insertAt = find(Array(",\"prev\":".utf8), in: out)?.lowerBound ?? 1
            out.insert(contentsOf: Array(random.pick(keys).utf8), at: insertAt)
            return ("duplicated key", out)
        case 4:
            // A number replaced by one too large for 64 bits, or by the extremes.
            let huge = ["99999999999999999999", "9223372036854775808", "-9223372036854775809", "9223372036854775807",
                        "-9223372036854775808", "1" + String(repeating: "0", count: 400), "-0", "007", "1e400"]
            guard let range = find(Array("\"seq\":".utf8), in: out) else { return ("huge number", out + [0]) }
            var end = range.upperBound
            while end < out.count, out[end] >= 48 && out[end] <= 57 { end += 1 }
            out.replaceSubrange(range.upperBound..<end, with: Array(random.pick(huge).utf8))
            return ("huge number", out)
        case 5:
            // Bytes that are not UTF-8 inside a string value.
            let bad: [[UInt8]] = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0x80]]
            let quote = (0..<out.count).filter { out[$0] == 34 }
            let at = quote.isEmpty ? 0 : random.pick(quote) + 1
            out.insert(contentsOf: random.pick(bad), at: min(at, out.count))
            return ("non-UTF-8", out)
        case 6:
            // An enormous line: a string value padded past 16 KB.
            let at = find(Array("\"actor\":\"".utf8), in: out)?.upperBound ?? 1
            out.insert(contentsOf: [UInt8](repeating: 97, count: random.int(16_400...70_000)), at: at)
            return ("enormous line", out)
        case 7:
            for _ in 0..<random.int(2...8) { out[random.int(0..<out.count)] = random.byte() }
            if out == line { out.append(32) }
            return ("scattered bytes", out)
        default:
            // A byte inserted or removed.
            if random.chance(0.5) {
                out.insert(random.byte(), at: random.int(0...out.count))
            } else {
                out.remove(at: random.int(0..<out.count))
            }
            return ("insert/delete", out)
        }
    }

    @Test("decode: 20,000 seeded damaged lines (random bytes, bit flips, truncations, duplicated keys, huge numbers, non-UTF-8, lines of 16–70 KB, scattered bytes, insertions/deletions): all refused, none crashes")
    func decodeRefusesEveryDamagedLine() throws {
        let base = try withTemporaryFolder { try Self.baseJournal(in: $0) }
        let valid = Self.lines(base)
        for line in valid { #expect((try? Self.decode(line).get()) != nil) }
        var random = Seeded(20_000)
        var counts: [String: Int] = [:]
        var accepted: [String] = []
        for _ in 0..<20_000 {
            let (kind, damaged) = Self.mutate(random.pick(valid), &random)
            counts[kind, default: 0] += 1
            if damaged.contains(10) || valid.contains(damaged) { counts["(unchanged or split)", default: 0] += 1; continue }
            if case .success = Self.decode(damaged) {
                accepted.append("\(kind): \(String(decoding: damaged.prefix(300), as: UTF8.self))")
            }
        }
        #expect(accepted.isEmpty, "\(accepted.count) damaged lines decoded: \(accepted.prefix(5))")
        #expect(counts.filter { $0.key != "(unchanged or split)" }.values.reduce(0, +) == 20_000)
        print("decode fuzz: 20000 cases: \(counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); accepted \(accepted.count)")
    }

    @Test("decode: 2,000 re-hashed lines with a duplicated key should be refused (a record means one thing to every JSON reader)")
    func decodeRefusesDuplicatedKeysEvenWithAGoodChecksum() throws {
        let base = try withTemporaryFolder { try Self.baseJournal(in: $0) }
        let valid = Self.lines(base)
        var random = Seeded(2_000)
        var accepted: [String] = []
        for _ in 0..<2_000 {
            var line = random.pick(valid)
            let keys = [",\"v\":1", ",\"v\":2", ",\"seq\":99", ",\"credits\":500", ",\"ws\":\"beta\"", ",\"kind\":\"topup\"", ",\"actor\":\"eve\"", ",\"more\":true", ",\"more\":false"]
            let key = random.pick(keys)
            // Only a key the record already has makes a duplicate.
            let name = Array(key.utf8.prefix { $0 != 58 }.dropFirst()) + [58]
            guard Self.find(name, in: line) != nil else { continue }
            let insertAt = Self.find(Array(",\"prev\":".utf8), in: line)!.lowerBound
            line.insert(contentsOf: Array(key.utf8), at: insertAt)
            let forged = Self.rehash(line)
            if case .success = Self.decode(forged) { accepted.append(String(decoding: forged, as: UTF8.self)) }
        }
        // A repeated key is refused even in a properly re-hashed line, so no two JSON readers can
        // disagree on what a record says.
        #expect(accepted.isEmpty, "\(accepted.count) of 2000 re-hashed lines with a repeated key decoded, e.g. \(accepted.prefix(1))")
    }

    @Test("open: 4,000 seeded damaged journals (one middle record mutated as above, or a garbage line inserted): every one refused naming exactly that line")
    func openNamesTheDamagedMiddleRecord() throws {
        try withTemporaryFolder { folder in
            let base = try Self.baseJournal(in: folder)
            let valid = Self.lines(base)
            let journal = folder + "/journal.jsonl"
            var random = Seeded(4_000)
            var counts: [String: Int] = [:]
            var misses: [String] = []
            for _ in 0..<4_000 {
                var lines = valid
                let target = random.int(0..<(valid.count - 1)) // any record but the last: there, damage may look like a torn write
                let kind: String
                if random.chance(0.15) {
                    kind = "garbage line inserted"
                    var garbage = random.bytes(random.int(1...200))
                    garbage.removeAll { $0 == 10 }
                    if garbage.isEmpty { garbage = [120] }
                    lines.insert(garbage, at: target)
                } else {
                    let (mutation, damaged) = Self.mutate(valid[target], &random)
                    kind = mutation
                    lines[target] = damaged
                }
                counts[kind, default: 0] += 1
                try JournalBytesIO.write(lines.flatMap { $0 + [10] }, to: journal)
                do throws(LedgerError) {
                    let opened = try FileLedger.open(directory: folder)
                    misses.append("\(kind) in line \(target + 1) opened cleanly with \(opened.recordCount) records")
                } catch {
                    guard case let .damaged(line, _, _) = error, line == target + 1,
                          error.description.contains("line \(target + 1))") || error.description.contains("journal.jsonl line \(target + 1):") else {
                        misses.append("\(kind) in line \(target + 1): \(error)")
                        continue
                    }
                }
            }
            #expect(misses.isEmpty, "\(misses.count) of 4000: \(misses.prefix(5))")
            print("open fuzz (middle damage): 4000 cases: \(counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        }
    }

    @Test("open: 2,000 seeded cuts and tails (the journal cut anywhere, or with random bytes appended): a clean open holds exactly the whole commits before the damage, never more, never fewer")
    func openAfterACutOrAppendedBytesKeepsExactlyTheWholeCommits() throws {
        try withTemporaryFolder { folder in
            let base = try Self.baseJournal(in: folder)
            let valid = Self.lines(base)
            // Byte offset just past each whole commit, and the hash of its last record.
            var commitEnds: [(end: Int, records: Int, hash: String)] = []
            var offset = 0
            for (index, line) in valid.enumerated() {
                offset += line.count + 1
                if Self.find(Array(",\"more\":true".utf8), in: line) == nil {
                    commitEnds.append((offset, index + 1, Self.hash(of: line)))
                }
            }
            let journal = folder + "/journal.jsonl"
            var random = Seeded(2_001)
            var misses: [String] = []
            var counts: [String: Int] = [:]
            for _ in 0..<2_000 {
                var bytes: [UInt8]
                var appendedLine = false
                if random.chance(0.5) {
                    bytes = Array(base.prefix(random.int(1...base.count)))
                    counts["cut", default: 0] += 1
                } else {
                    var extra = random.bytes(random.int(1...(random.chance(0.1) ? 40_000 : 300)))
                    // Without a newline the extra bytes are a torn tail; with one, a damaged line.
                    if random.chance(0.5) { extra.removeAll { $0 == 10 } } else { extra.insert(10, at: random.int(0...extra.count)) }
                    appendedLine = extra.contains(10)
                    bytes = base + extra
                    counts[appendedLine ? "appended line" : "appended tail", default: 0] += 1
                }
                try JournalBytesIO.write(bytes, to: journal)
                let wholeEnd = (bytes.lastIndex(of: 10) ?? -1) + 1
                let lastCommit = commitEnds.last { $0.end <= min(wholeEnd, base.count) }
                do throws(LedgerError) {
                    let opened = try FileLedger.open(directory: folder)
                    guard !appendedLine, let expected = lastCommit else {
                        misses.append("opened cleanly with \(opened.recordCount) records: \(appendedLine ? "an appended line" : "a cut inside the init record")")
                        continue
                    }
                    // A clean open: exactly the whole commits, and everything after them is one torn tail.
                    if opened.recordCount != expected.records || opened.state.lastHash != expected.hash
                        || Int(opened.scanner.end) != expected.end
                        || Int(opened.scanner.end) + Int(opened.tornTail?.length ?? 0) != bytes.count {
                        misses.append("opened with \(opened.recordCount) records, end \(opened.scanner.end), tail \(opened.tornTail?.length ?? 0), file \(bytes.count); expected \(expected.records) records ending at \(expected.end)")
                    }
                } catch {
                    guard case let .damaged(line, _, _) = error else { misses.append("\(error)"); continue }
                    if appendedLine {
                        if line != valid.count + 1 { misses.append("an appended line named as line \(line), not \(valid.count + 1): \(error)") }
                    } else if lastCommit != nil {
                        misses.append("a cut at byte \(bytes.count) refused: \(error)")
                    } else {
                        counts["cut inside init, refused", default: 0] += 1
                    }
                }
            }
            #expect(misses.isEmpty, "\(misses.count) of 2000: \(misses.prefix(5))")
            print("open fuzz (cuts and tails): 2000 cases: \(counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        }
    }

    @Test("open: 1,000 seeded forged journals (a number in a record set to an extreme and the chain re-hashed after it): refused or opened, never a crash")
    func forgedButConsistentJournalsNeverCrashTheReader() throws {
        try withTemporaryFolder { folder in
            let base = try Self.baseJournal(in: folder)
            let valid = Self.lines(base)
            let journal = folder + "/journal.jsonl"
            var random = Seeded(1_000)
            let extremes: [Int64] = [Int64.max, Int64.min, Int64.max - 1, -1, 0, 1_000_000_000_001, -1_000_000_000_001, 4_611_686_018_427_387_904]
            var refused = 0
            for _ in 0..<1_000 {
                var lines = valid
                let target = random.int(1..<valid.count)
                // Every integer field of the record: seq, credits, balance, messages, price_cents, ref...
                let text = String(decoding: lines[target], as: UTF8.self)
                let keys = ["seq", "credits", "balance", "messages", "price_cents", "ref"].filter { text.contains("\"\($0)\":") }
                guard let key = keys.isEmpty ? nil : random.pick(keys), let range = Self.find(Array("\"\(key)\":".utf8), in: lines[target]) else { continue }
                var end = range.upperBound
                if end < lines[target].count, lines[target][end] == 45 { end += 1 }
                while end < lines[target].count, lines[target][end] >= 48 && lines[target][end] <= 57 { end += 1 }
                lines[target].replaceSubrange(range.upperBound..<end, with: Array(String(random.pick(extremes)).utf8))
                // Re-chain from the forged record on, as a forger would.
                for index in target..<lines.count {
                    lines[index] = Self.rehash(lines[index], prev: Self.hash(of: lines[index - 1]))
                }
                // Some forgeries also repeat the forged record's neighbour to push sums further.
                try JournalBytesIO.write(lines.flatMap { $0 + [10] }, to: journal)
                if (try? FileLedger.open(directory: folder)) == nil { refused += 1 }
            }
            print("forged journals: 1000 cases, \(refused) refused, none crashed")
        }
    }

    @Test("open: Copilot counts forged to the edge of 64 bits (chain re-hashed) are refused, not an arithmetic trap")
    func forgedCopilotCountsDoNotOverflow() throws {
        try withTemporaryFolder { folder in
            let base = try Self.baseJournal(in: folder)
            var lines = Self.lines(base)
            let copilot = lines.indices.filter { String(decoding: lines[$0], as: UTF8.self).contains("\"messages\":") }
            try #require(copilot.count == 2)
            let first = copilot[0]
            let text = String(decoding: lines[first], as: UTF8.self).replacingOccurrences(of: "\"messages\":3", with: "\"messages\":\(Int64.max)")
            lines[first] = Array(text.utf8)
            for index in first..<lines.count { lines[index] = Self.rehash(lines[index], prev: Self.hash(of: lines[index - 1])) }
            try JournalBytesIO.write(lines.flatMap { $0 + [10] }, to: folder + "/journal.jsonl")
            // Before the fix this trapped ("arithmetic overflow") when the second Copilot record was folded.
            let error = try #require(throws: LedgerError.self) { try FileLedger.open(directory: folder) }
            guard case let .damaged(line, _, _) = error else { Issue.record("\(error)"); return }
            #expect(line == first + 1, "\(error)")
        }
    }
}

enum JournalBytesIO {
    static func write(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_TRUNC | O_CREAT, 0o600)
        guard descriptor >= 0 else { throw FuzzTests.FuzzError("open \(path): errno \(errno)") }
        defer { close(descriptor) }
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, bytes.count - done) }
            guard wrote > 0 else { throw FuzzTests.FuzzError("write \(path): errno \(errno)") }
            done += wrote
        }
    }
}

/// Runs `body` with a fresh directory under /tmp, removed afterwards.
func withTemporaryFolder<T>(_ body: (String) throws -> T) throws -> T {
    var template = Array("/tmp/ledger-fault-XXXXXX".utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
        throw FuzzTests.FuzzError("mkdtemp: errno \(errno)")
    }
    let path = String(cString: made)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}
