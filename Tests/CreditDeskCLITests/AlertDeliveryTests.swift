import Foundation
import Testing

/// R24 from the command line: the low-balance email lands in `outbox/new` once per crossing, and
/// with `CREDITDESK_SENDMAIL` it is piped to that command and the outcome logged.
@Suite("Alert emails (R24)")
struct AlertDeliveryTests {
    static let owner = "olga@example.com"

    /// acme owned by olga@example.com, with 20 credits.
    static func makeLedger(_ cli: CLI) throws {
        try cli.makeAcme(credits: 20, owner: owner)
    }

    /// The header lines of an RFC 5322 message (up to the first empty line).
    static func headers(_ message: String) -> [String] {
        var headers: [String] = []
        for line in message.components(separatedBy: "\n") {
            let trimmed = line.hasSuffix("\r") ? String(line.dropLast()) : line
            if trimmed.isEmpty { break }
            headers.append(trimmed)
        }
        return headers
    }

    @Test("R24: the charge that takes the balance to 10 or below leaves one message in outbox/new")
    func R24_lowBalanceLeavesOneMessage() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.makeLedger(cli)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)   // 14: above 10
        #expect(cli.files(in: cli.outboxNew).isEmpty)
        let crossing = try cli.ok("charge", "acme", "ai_graphic", "--job", "j-2", as: People.member)   // 8
        let files = cli.files(in: cli.outboxNew)
        #expect(files.count == 1, "\(files)")
        #expect(crossing.stdout.contains("outbox/new/"), "\(crossing)")
        let message = try String(contentsOfFile: cli.outboxNew + "/" + (files.first ?? "?"), encoding: .utf8)
        let headers = Self.headers(message)
        let to = try #require(headers.first { $0.hasPrefix("To:") }, "no To: header in\n\(message)")
        #expect(to.contains(Self.owner))
        #expect(headers.contains { $0.hasPrefix("Subject:") }, "no Subject: header in\n\(message)")
        #expect(message.contains("8"), "\(message)")
        #expect(cli.files(in: cli.ledger + "/outbox/tmp").isEmpty)
        // No CREDITDESK_SENDMAIL: nothing was piped anywhere.
        #expect(!FileManager.default.fileExists(atPath: cli.ledger + "/outbox/delivery.log"))

        // Still at or below 10: no second message.
        try cli.ok("charge", "acme", "ai_vectorize", "--job", "j-3", as: People.member)   // 4
        #expect(cli.files(in: cli.outboxNew).count == 1)

        // Re-armed by rising above 10, the next crossing sends again.
        try cli.ok("adjust", "acme", "+20", "--reason", "top", as: People.support)         // 24
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-4", as: People.member)      // 18
        #expect(cli.files(in: cli.outboxNew).count == 1)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-5", as: People.member)      // 12
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-6", as: People.member)      // 6
        #expect(cli.files(in: cli.outboxNew).count == 2)
    }

    @Test("R24: with CREDITDESK_SENDMAIL the message is piped to it and delivery.log records status 0")
    func R24_sendmailReceivesTheMessage() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.makeLedger(cli)
        let sent = cli.scratch + "/sent.eml"
        cli.environment["CREDITDESK_SENDMAIL"] = "cat > '\(sent)'"
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)   // 14
        #expect(!FileManager.default.fileExists(atPath: sent), "mail went out above the threshold")
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-2", as: People.member)   // 8

        let files = cli.files(in: cli.outboxNew)
        #expect(files.count == 1, "\(files)")
        let name = try #require(files.first)
        let stored = try String(contentsOfFile: cli.outboxNew + "/" + name, encoding: .utf8)
        let piped = try String(contentsOfFile: sent, encoding: .utf8)
        #expect(piped == stored)
        #expect(Self.headers(piped).contains { $0.hasPrefix("To:") && $0.contains(Self.owner) })
        #expect(Self.headers(piped).contains { $0.hasPrefix("Subject:") })

        let log = try String(contentsOfFile: cli.ledger + "/outbox/delivery.log", encoding: .utf8)
        let lines = log.split(separator: "\n")
        #expect(lines.count == 1, "\(log)")
        let record = try #require(try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any])
        #expect(record.int("status") == 0, "\(log)")
        #expect(record.string("message") == name, "\(log)")
        #expect(record.string("to") == Self.owner, "\(log)")
    }

    @Test("R24: a sendmail that fails is logged with its status; the charge still succeeds and the message stays")
    func R24_failingSendmailIsLogged() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.makeLedger(cli)
        cli.environment["CREDITDESK_SENDMAIL"] = "cat > /dev/null; exit 3"
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)
        let crossing = try cli.ok("charge", "acme", "ai_graphic", "--job", "j-2", as: People.member)
        #expect(crossing.stderr.contains("3"), "\(crossing)")
        #expect(cli.files(in: cli.outboxNew).count == 1)
        let log = try String(contentsOfFile: cli.ledger + "/outbox/delivery.log", encoding: .utf8)
        let record = try #require(try JSONSerialization.jsonObject(with: Data((log.split(separator: "\n").first ?? "").utf8)) as? [String: Any])
        #expect(record.int("status") == 3, "\(log)")
        #expect(try cli.balance().int("balance") == 8)
    }

    @Test("R24: a sendmail that exits 0 without reading the message has not accepted it: a warning, the message stays, the log says so")
    func R24_aSendmailThatReadsNothingHasNotAcceptedIt() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.makeLedger(cli)
        cli.environment["CREDITDESK_SENDMAIL"] = "sleep 0.2"
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)
        let crossing = try cli.ok("charge", "acme", "ai_graphic", "--job", "j-2", as: People.member)
        #expect(crossing.stderr.contains("was not accepted by CREDITDESK_SENDMAIL (the command did not read the message ("), "\(crossing)")
        #expect(crossing.stderr.contains("bytes left unread), status 0)"), "\(crossing)")
        let log = try String(contentsOfFile: cli.ledger + "/outbox/delivery.log", encoding: .utf8)
        #expect(log.contains("left unread"), "\(log)")
    }

    @Test("R24: a sendmail that hangs is stopped after CREDITDESK_SENDMAIL_TIMEOUT: the charge stands and exits 0, the message stays, the log says so")
    func R24_aSendmailThatHangsIsStoppedAtItsTimeout() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.makeLedger(cli)
        cli.environment["CREDITDESK_SENDMAIL"] = "sleep 60"
        cli.environment["CREDITDESK_SENDMAIL_TIMEOUT"] = "1"
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)
        let began = Date()
        let crossing = try cli.ok("charge", "acme", "ai_graphic", "--job", "j-2", as: People.member)
        #expect(Date().timeIntervalSince(began) < 20, "the mailer held the command for \(Date().timeIntervalSince(began)) s")
        #expect(crossing.stderr.contains("was not accepted by CREDITDESK_SENDMAIL (the command did not finish within 1 s and was stopped"), "\(crossing)")
        #expect(cli.files(in: cli.outboxNew).count == 1)
        let log = try String(contentsOfFile: cli.ledger + "/outbox/delivery.log", encoding: .utf8)
        #expect(log.contains("was stopped"), "\(log)")
        #expect(try cli.balance().int("balance") == 8)
    }
}
