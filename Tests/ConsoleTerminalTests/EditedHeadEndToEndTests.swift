import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The console's journal edited under it inside the last record it read, by a new file of the
/// same size (`sed -i`): the poll names the damage as the command line does, the header says
/// DAMAGED, and no write is appended after the edit.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func anEditInsideTheLastRecordReadIsDamageAndNothingIsWrittenAfterIt() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let journal = ledger.directory + "/journal.jsonl"
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "acme")
        try session.send("Enter")
        try session.wait(for: "welcome credits")

        // sed -i 's/"credits":8/"credits":9/': a new file, the same size, renamed over the journal.
        let text = try String(contentsOfFile: journal, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "\"credits\":8,", with: "\"credits\":9,")
        #expect(edited != text && edited.utf8.count == text.utf8.count)
        try edited.write(toFile: journal + ".sed", atomically: false, encoding: .utf8)
        #expect(rename(journal + ".sed", journal) == 0)

        let screen = try session.wait(for: "DAMAGED")
        let header = String(screen.split(separator: "\n").first ?? "")
        #expect(!header.contains("LIVE"), "\(header)")
        #expect(screen.contains("ledger damaged: record seq 4"), "\(screen)")
        // Adjusting is refused with that line; nothing reaches the journal.
        try session.send("a")
        try session.wait(for: "nothing was written")
        #expect(try String(contentsOfFile: journal, encoding: .utf8) == edited, "a record was appended after the edit")
        let cli = try Programs.run(Programs.creditdesk, ["adjust", "acme", "+5", "--reason", "cli", "--ledger", ledger.directory,
                                                         "--as", "maria", "--now", ConsoleLedger.now])
        #expect(cli.status == 2 && cli.output.contains("ledger damaged: record seq 4"), "\(cli.output)")
    }
}
