import Foundation
import Testing

/// R37–R38 in the real binary: a rule set from the command line shows on an open workspace
/// screen with its pending request, and the billing side's payment moves this month's spend.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func R37_aRuleSetFromTheCommandLineShowsItsPendingRequestAndThePaymentItsSpend() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let session = try TmuxSession(Self.console(ledger, as: "sam"), width: 120, height: 40)
        defer { session.kill() }
        // sam owns one workspace: the console opens on it.
        let before = try session.wait(for: "welcome credits")
        #expect(!before.contains("Auto top-up"), "\(before)")
        try ledger.cli(["auto-topup", "set", "acme", "--below", "20", "--pack", "topup_50", "--monthly-cap", "100", "--as", "sam"])
        let asked = try session.wait(for: "pending auto-", timeout: 1.0)
        #expect(asked.contains("Auto top-up pending auto-") && asked.contains("≤20 → topup_50 · $0 of $100 this month"), "\(asked)")
        try ledger.cli(["topup", "acme", "topup_50", "--payment", "pay-1", "--as", "maria"])
        let paid = try session.wait(for: "$50 of $100 this month", timeout: 1.0)
        #expect(!paid.contains("pending auto-"), "the payment answered the request: \(paid)")
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }
}
