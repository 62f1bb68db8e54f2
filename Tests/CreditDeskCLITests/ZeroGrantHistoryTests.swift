import Foundation
import Testing

/// A paid invoice on a plan with no grant (Starter) records a grant of 0 in the journal (R10),
/// where it keeps the invoice id; no history shows it (R22).
@Suite struct ZeroGrantHistoryTests {
    @Test("R22: a grant of 0 stays in the journal but shows in no history, with the checkpoint or without")
    func R22_aGrantOfZeroShowsInNoHistory() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 30)
        try cli.ok("plan", "acme", "starter", as: People.support)
        try cli.ok("invoice-paid", "acme", "--invoice", "inv-1", as: People.support)
        let zero = try cli.journalRecords().filter { $0.string("kind") == "grant" }
        #expect(zero.count == 1 && zero.first?.int("credits") ?? -1 == 0, "the journal keeps the grant of 0: \(zero)")
        let again = try cli.run("invoice-paid", "acme", "--invoice", "inv-1", as: People.support)
        #expect(again.status == 0 && again.stdout.contains("already"), "R10: the invoice id is still known: \(again)")
        for (round, adjustments) in [("tail", 1), ("checkpoint", 3)] {
            let history = try cli.history()
            #expect(history.map { $0.string("kind") } == Array(repeating: "adjustment", count: adjustments), "\(round): \(history)")
            #expect(try cli.history("acme", ["--kind", "grant"]).isEmpty, "\(round)")
            // The second round reads the history through a rebuilt checkpoint.
            try? FileManager.default.removeItem(atPath: cli.ledger + "/checkpoint")
            try cli.ok("adjust", "acme", "+1", "--reason", "nudge", as: People.support)
            try cli.ok("adjust", "acme", "-1", "--reason", "nudge back", as: People.support)
            try cli.ok("verify")
        }
    }
}
