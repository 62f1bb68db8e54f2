import Foundation
import Testing

/// docs/LEDGER-FORMAT.md says enough for another tool to read a journal. `docs/read-journal.py`
/// is such a tool, written from that page alone (Python, no CreditDesk code): these tests run it
/// over ledgers the real binary wrote and hold what it computes (every hash, the chain, the
/// commits, the torn tail, the balances) to what `verify` and `workspace list` say.
@Suite("The ledger format as documented")
struct LedgerFormatDocTests {
    static let python = CLI.which("python3")

    /// `docs/read-journal.py`, found from this file: Tests/CreditDeskCLITests/ → the package root.
    static let reader = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/read-journal.py").path

    /// Runs the reader over `directory`.
    static func read(_ cli: CLI, _ directory: String) throws -> CLIResult {
        try cli.runTool(try #require(python), [reader, directory])
    }

    /// Every record kind the format defines.
    static let allKinds: Set<String> = ["init", "operator", "workspace", "member", "plan", "trial", "cancel", "copilot",
                                        "alert", "grant", "topup", "charge", "refund", "adjustment", "expiry", "clock_reset",
                                        "hold", "release", "void", "auto_topup", "auto_topup_off", "topup_declined", "member_limit",
                                        "member_removed", "operator_removed"]

    /// Konfiwear: operators, members, a pack bought by support for the owner, a charge and its
    /// refund, a clone, Copilot, a plan change, a trial, a cancellation, an import batch, and
    /// the low and empty alerts (each in a commit with the entry that caused it); on beta a hold
    /// captured by its charge, one released by its job's failure, and a promotion voided (R35, R36);
    /// a member's monthly limit (R40); a member and a support agent removed (R42).
    static func writeKonfiwear(_ cli: CLI) throws {
        let maria = People.support
        try cli.makeAcme()
        try cli.ok("operator", "add", People.support2, "--role", "support", as: maria)
        try cli.ok("invoice-paid", "acme", "--invoice", "inv-1", as: maria)
        try cli.ok("topup", "acme", "topup_50", as: maria)
        try cli.ok("topup", "acme", "topup_50", "--payment", "ord-1", as: People.owner)
        try cli.ok("grant", "acme", "5", "--kind", "promo", "--reason", "survey", "--request", "s-1", as: maria)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)
        try cli.ok("job-failed", "acme", "--job", "j-1", as: People.member)
        try cli.ok("clone", "acme", "design", "d-1", as: People.member)
        try cli.ok("copilot", "acme", "--messages", "3", as: People.member)
        try cli.ok("member-limit", "set", "acme", People.member, "500", as: People.owner)
        try cli.ok("plan", "acme", "enterprise", as: People.owner)
        let events = cli.scratch + "/usage.jsonl"
        try """
        {"workspace":"acme","action":"ai_vectorize","job":"u-1","outcome":"succeeded"}
        {"workspace":"acme","action":"print_file","job":"u-2","outcome":"succeeded","actor":"lee"}
        {"workspace":"acme","action":"print_file","job":"u-2","outcome":"failed"}
        """.write(toFile: events, atomically: true, encoding: .utf8)
        try cli.ok("import", events, as: maria)
        try cli.ok("adjust", "acme", "-939", "--reason", "move to \"acme-2\", per ticket 7", as: maria)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-2", as: People.member)   // 12 → 6: low alert
        try cli.ok("adjust", "acme", "-6", "--reason", "closing", "--request", "t-9", as: maria)  // 6 → 0: empty alert
        try cli.ok("cancel", "acme", as: People.owner)
        try cli.ok("workspace", "create", "beta", "--name", "Beta Ünïcode", "--owner", "bo", "--plan", "starter", "--trial", as: maria)
        try cli.ok("trial", "beta", "end", as: maria)
        try cli.ok("grant", "beta", "20", "--kind", "promo", "--reason", "welcome", as: maria)
        let promo = try #require(try cli.journalRecords().last?["seq"] as? Int)
        try cli.ok("hold", "beta", "ai_graphic", "--job", "h-1", "--ttl", "2h", as: "bo")
        try cli.ok("charge", "beta", "ai_graphic", "--job", "h-1", as: "bo")
        try cli.ok("hold", "beta", "print_file", "--job", "h-2", as: "bo")
        try cli.ok("job-failed", "beta", "--job", "h-2", as: "bo")
        try cli.ok("void", "beta", "\(promo)", "--reason", "welcome withdrawn", as: maria)
        // R37, R39: a rule set at 0 available asks at once; billing declines; the owner switches it off.
        try cli.ok("auto-topup", "set", "beta", "--below", "5", "--pack", "topup_50", "--monthly-cap", "100", as: "bo")
        let request = try #require(try cli.journalRecords().last?["request"] as? String)
        try cli.ok("topup-declined", "beta", "--request", request, "--reason", "card expired", as: maria)
        try cli.ok("auto-topup", "off", "beta", as: "bo")
        try cli.ok("workspace", "add-member", "beta", "nia", as: "bo")
        try cli.ok("workspace", "remove-member", "beta", "nia", "--reason", "left Beta", as: "bo")
        try cli.ok("operator", "remove", People.support2, "--reason", "moved to sales", as: maria)
    }

    /// Sofia: a plan grant and a pack that expire, a promotional grant, the warning before it
    /// expires, its expiry, and plan credits expiring at renewal (several records in one commit).
    static func writeSofia(_ cli: CLI) throws {
        let maria = People.support
        try cli.ok("init", "--catalog", "sofia", as: maria)
        try cli.ok("workspace", "create", "acme", "--name", "Acme", "--owner", People.owner, "--plan", "pro", as: maria)
        try cli.ok("invoice-paid", "acme", "--invoice", "inv-1", as: maria)
        try cli.ok("topup", "acme", "pack_100", as: People.owner)
        try cli.ok("grant", "acme", "20", "--kind", "promo", "--reason", "launch", "--expires", "2026-01-20T00:00:00Z", as: maria)
        try cli.ok("charge", "acme", "image", "--job", "i-1", "--now", "2026-01-10T10:00:00Z", as: People.owner)
        try cli.ok("charge", "acme", "image", "--job", "i-2", "--now", "2026-01-15T10:00:00Z", as: People.owner)
        try cli.ok("charge", "acme", "image", "--job", "i-3", "--now", "2026-01-25T10:00:00Z", as: People.owner)
        try cli.ok("invoice-paid", "acme", "--invoice", "inv-2", "--now", "2026-02-09T10:00:00Z", as: maria)
        // A test clock set back behind the last record: the one record dated before the one it follows.
        try cli.ok("clock", "reset", "--reason", "clock set back", "--now", "2026-02-01T00:00:00Z", as: maria)
    }

    /// What the reader printed, parsed.
    static func summary(_ result: CLIResult) throws -> [String: Any] {
        try #require(result.status == 0, "the reader refused the journal: \(result)")
        return try result.jsonObject()
    }

    /// The reader's head, record count and balances agree with `verify --json` and `workspace list --json`.
    static func expectAgreement(_ cli: CLI, _ summary: [String: Any]) throws {
        let verified = try cli.ok("verify", "--json", as: People.support).jsonObject()
        #expect(summary.int("head_seq") == verified.int("head_seq"))
        #expect(summary.string("head_hash") == verified.string("head_hash"))
        #expect(summary.int("records") == verified.int("records"))
        #expect(summary.int("journal_bytes") == verified.int("journal_bytes"))
        let rows = try cli.ok("workspace", "list", "--json", as: People.support).jsonArray()
        let folded = try #require(summary["workspaces"] as? [String: [String: Any]])
        #expect(Set(folded.keys) == Set(rows.compactMap { $0.string("workspace") }))
        for row in rows {
            let id = row.string("workspace") ?? "?"
            let mine = try #require(folded[id], "the reader did not see workspace \(id)")
            for key in ["balance", "earned", "spent"] {
                #expect(mine.int(key) == row.int(key), "\(id) \(key): reader \(mine.int(key) ?? -1), creditdesk \(row.int(key) ?? -1)")
            }
        }
    }

    @Test("every hash, the chain, the commits and the balances of both catalogs' journals recompute from the docs",
          .enabled(if: python != nil, "python3 is not on PATH: the independent reader cannot run"))
    func theDocumentedFormatReadsWhatTheBinaryWrote() throws {
        var kinds: Set<String> = []
        for write in [Self.writeKonfiwear, Self.writeSofia] {
            let cli = try CLI()
            defer { cli.remove() }
            try write(cli)
            let summary = try Self.summary(try Self.read(cli, cli.ledger))
            #expect(summary.int("torn_tail_bytes") == 0)
            #expect((summary.int("multi_record_commits") ?? 0) >= 2, "\(summary)")
            try Self.expectAgreement(cli, summary)
            kinds.formUnion(((summary["kinds"] as? [String: Any]) ?? [:]).keys)
        }
        #expect(kinds == Self.allKinds, "kinds never written by the sessions: \(Self.allKinds.subtracting(kinds))")
    }

    @Test("the shipped demo journals read cleanly and end at the head verify names",
          .enabled(if: python != nil, "python3 is not on PATH: the independent reader cannot run"))
    func theDemoJournalsReadCleanly() throws {
        let root = URL(fileURLWithPath: Self.reader).deletingLastPathComponent().deletingLastPathComponent()
        for name in ["konfiwear", "sofia"] {
            let cli = try CLI()
            defer { cli.remove() }
            for file in ["journal.jsonl", "catalog.json"] {
                let shipped = root.appendingPathComponent("Data/demo/\(name)/\(file)")
                try FileManager.default.copyItem(atPath: shipped.path, toPath: cli.ledger + "/" + file)
            }
            let summary = try Self.summary(try Self.read(cli, cli.ledger))
            let verified = try cli.ok("verify", "--json").jsonObject()
            #expect(summary.string("head_hash") == verified.string("head_hash"), "\(name)")
            #expect(summary.int("head_seq") == verified.int("head_seq"), "\(name)")
        }
    }

    @Test("a torn tail is measured as verify measures it, and an edited amount is named by its line",
          .enabled(if: python != nil, "python3 is not on PATH: the independent reader cannot run"))
    func tornTailsAndEditsAreSeenAsTheDocsSay() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 16)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)   // 16 → 10: charge + alert
        let whole = try cli.journal()
        let lines = whole.split(separator: 10, omittingEmptySubsequences: false).map { Data($0) }
        let before = try Self.summary(try Self.read(cli, cli.ledger))

        // The last commit (charge, then alert) cut inside the alert: the charge alone is not a whole commit.
        let alertLine = lines[lines.count - 2]
        try (whole.prefix(whole.count - alertLine.count / 2 - 1)).write(to: URL(fileURLWithPath: cli.journalPath))
        let torn = try Self.summary(try Self.read(cli, cli.ledger))
        let verified = try cli.ok("verify", "--json").jsonObject()
        #expect(torn.int("torn_tail_bytes") == verified.int("torn_tail_bytes"))
        #expect((torn.int("torn_tail_bytes") ?? 0) > alertLine.count / 2, "the charge's line belongs to the torn tail too")
        #expect(torn.int("head_seq") == (before.int("head_seq") ?? 0) - 2)
        #expect(torn.string("head_hash") == verified.string("head_hash"))

        // An amount edited in the middle of the journal: the reader names that line, as verify does.
        var edited = lines
        let index = try #require(edited.firstIndex { String(decoding: $0, as: UTF8.self).contains("\"kind\":\"adjustment\"") })
        edited[index] = Data(String(decoding: edited[index], as: UTF8.self).replacingOccurrences(of: "\"credits\":16", with: "\"credits\":61").utf8)
        try Data(edited.joined(separator: [10])).write(to: URL(fileURLWithPath: cli.journalPath))
        let refused = try Self.read(cli, cli.ledger)
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("line \(index + 1):") && refused.stderr.contains("checksum"), "\(refused)")
        #expect(try cli.run("verify").status == 2)
    }
}
