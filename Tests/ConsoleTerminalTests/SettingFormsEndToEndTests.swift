import Foundation
import Testing

/// R37 and R40 in the real binary: the owner sets the auto top-up rule and a member's limit
/// through the console's forms, and the command line's `show --json` reads what was recorded.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func R37_ownerSetsTheAutoTopUpRuleAtTheConsole() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let session = try TmuxSession(Self.console(ledger, as: "sam"), width: 120, height: 40)
        defer { session.kill() }
        try session.wait(for: "welcome credits")
        try session.send("u")
        try session.wait(for: "When available is at or below")
        try session.send("1", "0", "0", "Tab", "Right", "Tab", "2", "5", "0", "Enter")
        try session.wait(for: "Confirm auto top-up rule")
        try session.wait(for: "topup_100 ($100.00 → 1,000 credits)")
        try session.send("y")
        try session.wait(for: "Auto top-up rule set")
        let shown = try ledger.cli(["auto-topup", "show", "acme", "--json", "--as", "sam"])
        #expect(shown.contains(#""status":"active","below":100,"pack":"topup_100","monthly_cap_cents":25000"#), "\(shown)")
        // Off from the same form.
        try session.send("u")
        try session.wait(for: "In force:")
        try session.send("o")
        try session.wait(for: "Switch auto top-up off")
        try session.send("y")
        try session.wait(for: "Auto top-up switched off")
        let off = try ledger.cli(["auto-topup", "show", "acme", "--json", "--as", "sam"])
        #expect(off.contains(#""status":"off""#), "\(off)")
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }

    @Test(.enabled(if: Programs.hasTmux))
    func R40_ownerSetsAMembersLimitAtTheConsole() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let session = try TmuxSession(Self.console(ledger, as: "sam"), width: 120, height: 40)
        defer { session.kill() }
        try session.wait(for: "welcome credits")
        try session.send("m")
        try session.wait(for: "sam (owner)")
        try session.send("j", "2", "0", "0", "Enter")
        try session.wait(for: "Limit lee in acme to 200 credits a month.")
        try session.send("y")
        try session.wait(for: "lee's monthly limit set to 200 credits")
        try session.wait(for: "lee 0 of 200")
        let shown = try ledger.cli(["member-limit", "show", "acme", "--json", "--as", "sam"])
        #expect(shown.contains(#""member":"lee","limit":200"#), "\(shown)")
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }
}
