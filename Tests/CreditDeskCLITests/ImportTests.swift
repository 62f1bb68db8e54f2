import Foundation
import Testing

/// `import FILE`: usage events in batches, one durable commit each, idempotent by job (R4–R6).
@Suite("Import")
struct ImportTests {
    /// acme (20 credits; owner sam, member lee) and beta (8 credits; owner dora).
    static func makeLedger(_ cli: CLI) throws {
        try cli.makeAcme(credits: 20)
        try cli.ok("workspace", "create", "beta", "--name", "Beta", "--owner", "dora", "--plan", "starter", as: People.support)
        try cli.ok("adjust", "beta", "+8", "--reason", "test seed", as: People.support)
    }

    /// workspace, action, job, outcome, actor (nil: the owner): repeats, a refund and its repeat,
    /// a failure never charged, a refusal of each kind, and alerts (low twice, empty).
    static let events: [(String, String, String, String, String?)] = [
        ("acme", "ai_graphic", "j1", "succeeded", nil),
        ("acme", "ai_graphic", "j1", "succeeded", nil),
        ("acme", "print_file", "j2", "succeeded", nil),
        ("acme", "print_file", "j2", "failed", nil),
        ("acme", "print_file", "j2", "failed", nil),
        ("acme", "ai_graphic", "never", "failed", nil),
        ("acme", "ai_graphic", "j3", "succeeded", nil),
        ("acme", "ai_graphic", "j4", "succeeded", People.member),
        ("acme", "ai_graphic", "j5", "succeeded", nil),
        ("nowhere", "ai_graphic", "x", "succeeded", nil),
        ("acme", "nope", "x", "succeeded", nil),
        ("acme", "print_file", "j6", "succeeded", People.stranger),
        ("beta", "print_file", "b1", "succeeded", nil),
        ("beta", "print_file", "b2", "succeeded", nil),
    ]

    static func jsonLines(_ events: [(String, String, String, String, String?)]) -> String {
        events.map { ws, action, job, outcome, actor in
            "{\"workspace\":\"\(ws)\",\"action\":\"\(action)\",\"job\":\"\(job)\",\"outcome\":\"\(outcome)\""
                + (actor.map { ",\"actor\":\"\($0)\"" } ?? "") + "}\n"
        }.joined()
    }

    @Test("an import reports and writes exactly what the same commands run one by one write", arguments: [1, 3, 100_000])
    func importWritesWhatSingleCommandsWrite(batch: Int) throws {
        let imported = try CLI()
        let single = try CLI()
        defer { imported.remove(); single.remove() }
        try Self.makeLedger(imported)
        try Self.makeLedger(single)
        let file = imported.scratch + "/events.jsonl"
        try Self.jsonLines(Self.events).write(toFile: file, atomically: true, encoding: .utf8)
        let report = try imported.ok("import", file, "--json", "--batch", String(batch), as: People.support).jsonObject()
        #expect(report.int("events") == 14)
        #expect(report.int("batches") == Int64((14 + batch - 1) / batch))
        #expect(report.int("charged") == 6)
        #expect(report.int("charged_credits") == 30)
        #expect(report.int("refunded") == 1)
        #expect(report.int("refunded_credits") == 4)
        #expect(report.int("already_recorded") == 2)
        #expect(report.int("nothing_to_record") == 1)
        let refused = try #require(report["refused"] as? [String: Any])
        #expect(refused.mapValues { ($0 as? NSNumber)?.intValue ?? -1 }
                == ["insufficient credits": 1, "unknown workspace": 1, "unknown action": 1, "not permitted": 1])

        let owners = ["acme": People.owner, "beta": "dora", "nowhere": People.owner]
        for (ws, action, job, outcome, actor) in Self.events {
            let arguments = outcome == "succeeded" ? ["charge", ws, action, "--job", job] : ["job-failed", ws, "--job", job]
            _ = try single.run(arguments, as: actor ?? owners[ws])
        }
        #expect(try imported.journal() == single.journal())
        #expect(imported.files(in: imported.ledger + "/outbox/new").count == 3)
        #expect(imported.files(in: imported.ledger + "/outbox/new") == single.files(in: single.ledger + "/outbox/new"))
        try imported.ok("verify")
    }

    @Test("R40: monthly-limit refusals count under one stable key, `monthly limit`, in JSON and in the text summary")
    func R40_monthlyLimitRefusalsCountUnderOneKey() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        try cli.ok("member-limit", "set", "acme", People.member, "8", as: People.owner)
        let events: [(String, String, String, String, String?)] = [
            ("acme", "ai_vectorize", "m1", "succeeded", People.member),
            ("acme", "ai_vectorize", "m2", "succeeded", People.member),
            ("acme", "ai_vectorize", "m3", "succeeded", People.member),
            ("acme", "ai_graphic", "m4", "succeeded", People.member),
        ]
        let file = cli.scratch + "/limits.jsonl"
        try Self.jsonLines(events).write(toFile: file, atomically: true, encoding: .utf8)
        let report = try cli.ok("import", file, "--json", as: People.support).jsonObject()
        let refused = try #require(report["refused"] as? [String: Any])
        #expect(refused.mapValues { ($0 as? NSNumber)?.intValue ?? -1 } == ["monthly limit": 2], "\(report)")
        let again = try cli.ok("import", file, as: People.support)
        #expect(again.stdout.contains("refused 2: 2 monthly limit"), "\(again)")
    }

    @Test("one event, one job, one refund: every count in the summary agrees with its noun")
    func aSummaryOfOneSaysEventJobAndCreditInTheSingular() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 20)
        let file = cli.scratch + "/one.jsonl"
        try Self.jsonLines([("acme", "ai_graphic", "j1", "succeeded", nil)]).write(toFile: file, atomically: true, encoding: .utf8)
        let one = try cli.ok("import", file, as: People.support)
        #expect(one.stdout.hasPrefix("imported 1 event in 1 batch ("), "\(one)")
        #expect(one.stdout.contains("  charged 1 job, 6 credits\n"), "\(one)")
        try Self.jsonLines([("acme", "ai_graphic", "j1", "failed", nil), ("acme", "ai_graphic", "j2", "succeeded", nil)])
            .write(toFile: file, atomically: true, encoding: .utf8)
        let two = try cli.ok("import", file, as: People.support)
        #expect(two.stdout.hasPrefix("imported 2 events in 1 batch (") && two.stdout.contains("  refunded 1 failed job, 6 credits\n"), "\(two)")
    }

    @Test("a bad line stops the import at its batch: the batches before it stand, nothing of its own is written")
    func aBadLineStopsAtItsBatch() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.makeLedger(cli)
        let good = Self.jsonLines(Array(Self.events.prefix(7)))
        let file = cli.scratch + "/events.jsonl"
        try (good + "{\"workspace\":\"acme\",\"job\":\"j9\",\"outcome\":\"succeeded\"}\n" + Self.jsonLines([Self.events[7]]))
            .write(toFile: file, atomically: true, encoding: .utf8)
        let before = try cli.journal()
        let result = try cli.run("import", file, "--batch", "3", as: People.support)
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("line 8"), "\(result)")
        #expect(result.stderr.contains("\"action\" is missing"), "\(result)")
        #expect(result.stdout.contains("imported 6 events in 2 batches"), "\(result)")
        let added = try cli.journal().count - before.count
        #expect(added > 0)
        // The seventh event (charge j3) was in the bad line's batch: not written.
        #expect(!(String(data: try cli.journal(), encoding: .utf8) ?? "").contains("\"job\":\"j3\""))
    }
}
