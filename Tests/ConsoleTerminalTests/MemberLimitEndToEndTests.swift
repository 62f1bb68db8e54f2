import Foundation
import Testing

/// R40 in the real binary: a member's limit set from the command line shows on an open
/// workspace screen within a second, and the member's charges count against it there.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func R40_aLimitSetFromTheCommandLineShowsOnTheWorkspaceScreen() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        try ledger.cli(["adjust", "acme", "95", "--reason", "more credits", "--as", "maria"])
        let session = try TmuxSession(Self.console(ledger, as: "maria"), width: 120, height: 40)
        defer { session.kill() }
        try session.wait(for: "acme")
        try session.send("Enter")
        try session.wait(for: "more credits")
        try ledger.cli(["member-limit", "set", "acme", "lee", "10", "--as", "sam"])
        try session.wait(for: "lee 0 of 10", timeout: 1.0)
        try ledger.cli(["charge", "acme", "print_file", "--job", "p-1", "--as", "lee"])
        try ledger.cli(["charge", "acme", "print_file", "--job", "p-2", "--as", "lee"])
        let spent = try session.wait(for: "lee 8 of 10", timeout: 1.0)
        #expect(spent.contains("This month"), "\(spent)")
        let refused = try Programs.run(Programs.creditdesk, ["charge", "acme", "print_file", "--job", "p-3", "--as", "lee"], environment: [
            "CREDITDESK_LEDGER": ledger.directory, "CREDITDESK_NOW": ConsoleLedger.now, "LANG": "C.UTF-8",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ])
        #expect(refused.status == 1 && refused.output.contains("lee has 2 of 10 credits left this month in acme"), "\(refused.output)")
        try ledger.cli(["member-limit", "off", "acme", "lee", "--as", "sam"])
        let lifted = try session.wait(for: "of 10", absent: true, timeout: 1.0)
        #expect(lifted.contains("lee 8"), "the spend stays, the limit goes: \(lifted)")
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }
}
