import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C once a command's records are durable: the terminal interrupts the command, which stops
/// the mailer it waits on; the mailer's failure is a warning, and the command exits 0 saying it was
/// interrupted after the write, so a script never repeats a write that stands.
@Suite("An interrupt after the commit")
struct InterruptAfterCommitTests {
    @Test("SIGINT to the command and its hanging mailer after the charge is durable: exit 0, the charge stands, two warnings")
    func anInterruptAfterTheCommitIsAWarning() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 12)
        let mailer = "sleep 37.25"
        let running = try cli.start(["charge", "acme", "ai_graphic", "--job", "interrupted-1"], as: People.owner,
                                    environment: ["CREDITDESK_SENDMAIL": mailer])
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !((try? String(contentsOfFile: running.stdoutPath, encoding: .utf8)) ?? "").contains("alert email written") {
            usleep(50_000)
        }
        usleep(300_000)
        // What Ctrl-C does: SIGINT to the terminal's foreground group, the command's; the mailer
        // runs in a group of its own, so the command must stop it.
        kill(running.process.processIdentifier, SIGINT)
        let result = running.wait()
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("was not accepted by CREDITDESK_SENDMAIL (the command was stopped by the interrupt"), "\(result)")
        #expect(result.stderr.contains("warning: interrupted (signal 2) after the records were written: they stand"), "\(result)")
        let left = try cli.runTool("/usr/bin/pgrep", ["-f", "^\(mailer)$"])
        #expect(left.stdout.isEmpty, "the mailer outlived the command: \(left)")
        let history = try cli.run("history", "acme", "--json", as: People.support).jsonArray()
        #expect(history.contains { $0["job"] as? String == "interrupted-1" })
    }
}
