import Foundation
import Testing

/// S3 and R21 through the real binary: every view gives the same balance at the same time, and
/// expired credits leave by an expiry entry the history shows (pending until a write records it).
@Suite("Expiry in every view (S3)")
struct ExpiryViewsTests {
    /// Every view's balance of `workspace` at `now`, as support.
    static func views(_ cli: CLI, _ workspace: String, now: String) throws -> [String: Int64] {
        let at = ["--now", now]
        let balance = try cli.ok(["balance", workspace, "--json"] + at, as: People.support).jsonObject()
        let list = try cli.ok(["workspace", "list", "--json"] + at, as: People.support).jsonArray()
        let history = try cli.ok(["history", workspace, "--json"] + at, as: People.support).jsonArray()
        let jsonl = try cli.ok(["export", workspace, "--format", "jsonl"] + at, as: People.support).stdoutLines
            .map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let csv = try cli.ok(["export", workspace, "--format", "csv"] + at, as: People.support).stdoutLines
        let hledger = try cli.ok(["export", workspace, "--format", "hledger"] + at, as: People.support).stdoutLines
        let csvBalance = try #require(csv.last?.split(separator: ",", omittingEmptySubsequences: false)[5])
        let hledgerSum = hledger.filter { $0.hasPrefix("    workspaces:") }
            .compactMap { Int64($0.split(separator: " ").dropLast().last ?? "") }.reduce(0, +)
        return [
            "balance": try #require(balance.int("balance")),
            "list": try #require(list.first { $0.string("workspace") == workspace }?.int("balance")),
            "history": try #require(history.first?.int("balance")),
            "export jsonl": try #require(jsonl.last?.int("balance")),
            "export csv": try #require(Int64(csvBalance)),
            "export hledger": hledgerSum,
        ]
    }

    @Test("S3: the issue's sofia commands; at 2027-01-02 every view says 0, the expiry is in the history, no unsent alert")
    func S3_theIssueScenarioAgreesInEveryView() throws {
        let cli = try CLI()
        defer { cli.remove() }
        cli.environment["CREDITDESK_NOW"] = ""
        try cli.ok("init", "--catalog", "sofia", "--as", "maria", "--now", "2026-12-01T00:00:00Z")
        try cli.ok("workspace", "create", "s1", "--name", "S1", "--owner", "sam", "--plan", "pro", "--as", "maria", "--now", "2026-12-01T00:00:00Z")
        try cli.ok("grant", "s1", "10", "--kind", "promo", "--reason", "promo", "--expires", "2027-01-01T00:00:00Z", "--as", "maria", "--now", "2026-12-01T00:00:01Z")
        try cli.ok("charge", "s1", "image", "--job", "i1", "--as", "sam", "--now", "2026-12-31T23:59:59Z")

        let before = try Self.views(cli, "s1", now: "2026-12-31T23:59:59Z")
        #expect(Set(before.values) == [9], "\(before)")

        let now = "2027-01-02T00:00:00Z"
        let journal = try cli.journal()
        let views = try Self.views(cli, "s1", now: now)
        #expect(Set(views.values) == [0], "\(views)")
        #expect(try cli.journal() == journal, "reads write nothing")
        let history = try cli.ok("history", "s1", "--json", "--now", now, as: People.support).jsonArray()
        #expect(history.first?.string("kind") == "expiry")
        #expect(history.first?.int("credits") == -9)
        #expect(history.first?["pending"] as? Bool == true)
        #expect(history.dropFirst().allSatisfy { $0["pending"] == nil })
        let balance = try cli.ok("balance", "s1", "--json", "--now", now, as: People.support).jsonObject()
        #expect(balance.int("spent") == 10)
        #expect(balance.string("alert_empty") == "armed", "no out-of-credits alert was written: \(balance)")
        let text = try cli.ok("balance", "s1", "--now", now, as: People.support)
        #expect(!text.stdout.contains("sent"), "\(text)")
        #expect(try cli.ok("history", "s1", "--now", now, as: People.support).stdout.contains("pending"))

        // A charge is refused at the balance every view gave.
        let charge = try cli.run("charge", "s1", "image", "--job", "i2", "--as", "sam", "--now", now)
        #expect(charge.status == 1 && charge.stderr.contains("the balance is 0"), "\(charge)")
        // The next write records the expiry first; the history then shows it written, and the views agree again.
        try cli.ok("topup", "s1", "pack_100", "--as", "sam", "--now", now)
        let written = try cli.ok("history", "s1", "--json", "--now", now, as: People.support).jsonArray()
        let expiry = try #require(written.first { $0.string("kind") == "expiry" })
        #expect(expiry["pending"] == nil && expiry.int("seq") != nil && expiry.int("credits") == -9)
        #expect(Set(try Self.views(cli, "s1", now: now).values) == [100])
        try cli.ok("verify")
    }
}
