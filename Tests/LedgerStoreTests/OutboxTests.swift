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

/// R24 alerts leave as RFC 5322 messages in the ledger's Maildir outbox: one per crossing,
/// delivered into `new/` only once their commit is durable, readable by the owner alone.
@Suite struct OutboxTests {
    private func names(_ path: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    /// acme (owner bob) holding 14 credits: above the alert level of 10, so the low alert is armed.
    private func armedLedger(_ root: String) throws -> LedgerScript {
        let script = try LedgerScript(creating: root + "/ledger")
        try script.createAcme()
        try script.record(.adjust(workspace: "acme", amount: 14, reason: "seed"), as: Fixture.support)
        #expect(script.ledger.state.workspaces["acme"]?.alerts.lowArmed == true)
        return script
    }

    @Test func crossingTheLowLevelDeliversOneMessage() throws {
        try withTemporaryDirectory { root in
            let script = try armedLedger(root)
            let outbox = script.ledger.paths.outbox
            #expect(try names(outbox + "/new").isEmpty)

            let outcome = try script.submit(.charge(workspace: "acme", action: "ai_graphic", job: "job-1"), as: Fixture.owner)
            guard case .recorded(let entries, let alerts) = outcome else {
                Issue.record("expected recorded, got \(outcome)")
                return
            }
            #expect(entries.map(\.kind) == [.charge, .alert])
            let alert = entries[1]
            #expect((alert.alert, alert.balance, alert.ref) == (.low, 8, entries[0].seq))
            #expect(alerts.count == 1)

            let delivered = try names(outbox + "/new")
            #expect(delivered.count == 1)
            #expect(try names(outbox + "/tmp").isEmpty)
            #expect(try names(outbox + "/cur").isEmpty)
            let name = try #require(delivered.first)
            let delivery = try #require(alerts.first.flatMap(script.ledger.delivery))
            #expect(name == delivery.fileName)
            #expect(delivery.path == outbox + "/new/" + name)
            #expect(name.contains(".S\(alert.seq)_low"))
            #expect(FileLedger.alertSeq(inFileName: name) == alert.seq)

            let text = try String(contentsOfFile: outbox + "/new/" + name, encoding: .utf8)
            #expect(text == alerts.first?.text)
            let parts = text.components(separatedBy: "\n\n")
            let headerLines = try #require(parts.first).components(separatedBy: "\n")
            var headers: [String: String] = [:]
            for line in headerLines {
                let colon = try #require(line.firstIndex(of: ":"), "header line without a colon: \(line)")
                let name = String(line[..<colon])
                #expect(!name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") },
                        "header name \(name)")
                #expect(headers[name] == nil, "\(name) appears twice")
                headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            #expect(headers["To"] == "\"bob\" <bob@localhost>")
            #expect(headers["From"]?.contains("@") == true)
            #expect(headers["Subject"]?.contains("running low") == true)
            #expect(headers["Subject"]?.contains("8") == true)
            // The alert came at minute 3: Sunday 22 November 2026, 05:33.
            #expect(headers["Date"] == "Sun, 22 Nov 2026 05:33:00 +0000")
            let messageID = try #require(headers["Message-ID"])
            #expect(messageID.range(of: #"^<[^<>@\s]+@[^<>@\s]+>$"#, options: .regularExpression) != nil, "\(messageID)")
            #expect(headers["MIME-Version"] == "1.0")
            #expect(headers["Content-Type"]?.hasPrefix("text/plain") == true)

            let body = parts.dropFirst().joined(separator: "\n\n")
            #expect(body.contains("Balance: 8 credits"))
            #expect(body.contains("acme"))
            #expect(text.allSatisfy { $0 != "\r" })
            #expect(text.utf8.split(separator: 10).allSatisfy { $0.count <= 998 }, "RFC 5322 line length")
        }
    }

    @Test func aRepeatCrossingWithoutReArmingDeliversNothing() throws {
        try withTemporaryDirectory { root in
            let script = try armedLedger(root)
            let new = script.ledger.paths.outbox + "/new"
            try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-1"), as: Fixture.owner) // 14 -> 8
            #expect(try names(new).count == 1)

            // Still at or below 10 and not re-armed: no second message.
            let outcome = try script.submit(.charge(workspace: "acme", action: "ai_graphic", job: "job-2"), as: Fixture.owner) // -> 2
            guard case .recorded(let entries, let alerts) = outcome else {
                Issue.record("expected recorded, got \(outcome)")
                return
            }
            #expect(entries.map(\.kind) == [.charge])
            #expect(alerts.isEmpty)
            #expect(try names(new).count == 1)
            #expect(try names(script.ledger.paths.outbox + "/tmp").isEmpty)

            // A reopened ledger knows the alert is spent, too.
            let reopened = try LedgerScript(reopening: script.directory, minute: script.minute)
            try reopened.record(.adjust(workspace: "acme", amount: 2, reason: "small"), as: Fixture.support) // -> 4
            #expect(try names(new).count == 1)

            // Back above 10 re-arms it; the next crossing sends again.
            try reopened.record(.adjust(workspace: "acme", amount: 20, reason: "refill"), as: Fixture.support) // -> 24
            try reopened.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-3"), as: Fixture.owner) // -> 18
            #expect(try names(new).count == 1)
            try reopened.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-4"), as: Fixture.owner) // -> 12
            #expect(try names(new).count == 1)
            let again = try reopened.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-5"), as: Fixture.owner) // -> 6
            #expect(again.map(\.kind) == [.charge, .alert])
            #expect(try names(new).count == 2)
        }
    }

    @Test func aMessageStagedBeforeACrashIsDeliveredOnlyIfItsCommitLanded() throws {
        try withTemporaryDirectory { root in
            let script = try armedLedger(root)
            let outbox = script.ledger.paths.outbox
            try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-1"), as: Fixture.owner)
            let landed = try #require(try names(outbox + "/new").first)
            // A crash after the commit, before delivery: the message is still in tmp/.
            #expect(rename(outbox + "/new/" + landed, outbox + "/tmp/" + landed) == 0)
            // A crash before the commit: a message for a record that never reached the journal.
            let orphan = "1795000000.S99_low.creditdesk"
            #expect(FileManager.default.createFile(atPath: outbox + "/tmp/" + orphan, contents: Data("x".utf8)))

            let reopened = try LedgerScript(reopening: script.directory, minute: script.minute)
            try reopened.record(.adjust(workspace: "acme", amount: 1, reason: "any write"), as: Fixture.support)
            #expect(try names(outbox + "/new") == [landed])
            #expect(try names(outbox + "/tmp").isEmpty)
        }
    }

    @Test func filesAreOwnerOnlyAndDirectoriesPrivate() throws {
        try withTemporaryDirectory { root in
            let script = try armedLedger(root)
            try script.record(.charge(workspace: "acme", action: "ai_graphic", job: "job-1"), as: Fixture.owner)
            let paths = script.ledger.paths
            let message = try #require(try names(paths.outbox + "/new").first)
            for file in [paths.journal, paths.catalog, paths.lock, paths.outbox + "/new/" + message] {
                #expect(permissions(file) == 0o600, "\(file)")
            }
            for directory in [paths.directory, paths.outbox, paths.outbox + "/new", paths.outbox + "/tmp", paths.outbox + "/cur"] {
                #expect(permissions(directory) == 0o700, "\(directory)")
            }
            #expect(!FileManager.default.fileExists(atPath: paths.catalog + ".tmp"))
        }
    }

    @Test func rfc5322DatesMatchFoundation() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        var generator = SplitMix64(seed: 7)
        var samples: [Int64] = [0, -1, 86_399, 86_400, 951_782_400, 1_709_164_800, 4_102_444_799, -86_401]
        for _ in 0..<500 { samples.append(Int64(generator.next() % 8_000_000_000) - 2_000_000_000) }
        for seconds in samples {
            let expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(AlertMail.rfc5322Date(Timestamp(secondsSinceEpoch: seconds)) == expected, "\(seconds)")
        }
    }
}
