import Foundation
import Testing

/// R27: a read-only console writes nothing, so it opens as of any `--now`, from anyone, on a
/// real-clock ledger; a console that may write still takes `--now` only from support.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func R27_aReadOnlyConsoleTakesNowFromAnyoneOnARealClockLedger() throws {
        let directory = NSTemporaryDirectory() + "creditdesk-realclock-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = ["LANG": "C.UTF-8", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        for step in [["init", "--ledger", directory, "--as", "sup"],
                     ["workspace", "create", "acme", "--name", "A", "--owner", "sam", "--plan", "pro", "--ledger", directory, "--as", "sup"],
                     ["adjust", "acme", "30", "--reason", "gift", "--ledger", directory, "--as", "sup"],
                     ["charge", "acme", "ai_graphic", "--job", "j1", "--ledger", directory, "--as", "sam"]] {
            let result = try Programs.run(Programs.creditdesk, step, environment: environment)
            #expect(result.status == 0, "\(step): \(result.output)")
        }
        let readOnly = try TmuxSession("\(Programs.creditdesk) --ledger \(directory) --as sam --now 2099-01-01 --read-only")
        defer { readOnly.kill() }
        var screen = try readOnly.wait(for: "READ-ONLY")
        #expect(!screen.contains("not permitted"), "\(screen)")
        if !screen.contains("Lifetime earned") { try readOnly.send("Enter") }
        // As of 2099, sam's charge of this month is long past: the month shows no spending.
        screen = try readOnly.wait(for: "no spending")
        #expect(!screen.contains("sam 6"), "\(screen)")
        try readOnly.send("q", "q")
        try readOnly.wait(for: "EXITED 0")

        let writing = try TmuxSession("\(Programs.creditdesk) --ledger \(directory) --as sam --now 2099-01-01")
        defer { writing.kill() }
        let refused = try writing.wait(for: "EXITED 1")
        #expect(refused.contains("cannot set the time on a real-clock ledger"), "\(refused)")
    }
}
