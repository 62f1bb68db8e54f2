import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The console on a damaged ledger: it refuses to open, says why in one line, exits 2.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func consoleRefusesAJournalShorterThanItsCheckpoint() throws {
        let directory = NSTemporaryDirectory() + "creditdesk-console-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let generated = try Programs.run(Programs.creditdesk, [
            "generate", "--ledger", directory, "--workspaces", "2", "--entries", "200", "--days", "10",
            "--now", ConsoleLedger.now, "--as", "maria",
        ])
        #expect(generated.status == 0, "\(generated.output)")
        #expect(FileManager.default.fileExists(atPath: directory + "/checkpoint"), "generate wrote no checkpoint")
        let journal = directory + "/journal.jsonl"
        let full = try Data(contentsOf: URL(fileURLWithPath: journal))
        let kept = try #require(full.prefix(full.count / 2).lastIndex(of: 10)) + 1
        #expect(truncate(journal, off_t(kept)) == 0)
        // The desk, which writes, says nothing was written; a read-only desk, which cannot, does not.
        for (flags, says) in [("", "records were removed; nothing was written. Restore"), (" --read-only", "records were removed. Restore")] {
            let session = try TmuxSession("\(Programs.creditdesk) --ledger \(directory) --as maria --now \(ConsoleLedger.now)\(flags)", width: 400)
            defer { session.kill() }
            let screen = try session.wait(for: "EXITED 2")
            #expect(screen.contains(says), "\(flags): \(screen)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: journal)) == full.prefix(kept), "the console wrote to a cut journal")
    }
}
