import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A live console on a file ledger whose journal is damaged under it: the header stops saying
/// LIVE, the status line names the record, line and seq as the command line does, writes are
/// refused with that line, and a repaired journal brings LIVE back.
extension ConsoleEndToEndTests {
    /// The journal's last line with its seq one higher: a record that breaks the chain.
    static func forgedNextLine(_ journal: Data) throws -> Data {
        let text = String(decoding: journal, as: UTF8.self)
        let last = try #require(text.split(separator: "\n").last.map(String.init))
        let match = try #require(last.firstMatch(of: /"seq":(\d+)/))
        let seq = try #require(Int(match.1))
        return Data((last.replacingCharacters(in: match.range, with: "\"seq\":\(seq + 1)") + "\n").utf8)
    }

    @Test(.enabled(if: Programs.hasTmux))
    func aDamagedJournalIsNamedWritesAreRefusedAndARepairBringsLiveBack() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let journal = ledger.directory + "/journal.jsonl"
        let good = try Data(contentsOf: URL(fileURLWithPath: journal))
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "acme")
        try session.wait(for: "↻ ")
        try session.send("Enter")
        try session.wait(for: "welcome credits")

        // A forged line appended under the console.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: journal))
        try handle.seekToEnd()
        try handle.write(contentsOf: try Self.forgedNextLine(good))
        try handle.close()
        var screen = try session.wait(for: "DAMAGED")
        var header = String(screen.split(separator: "\n").first ?? "")
        #expect(!header.contains("LIVE"), "\(header)")
        #expect(screen.contains("ledger damaged: record seq 5 (journal.jsonl line 5)"), "\(screen)")
        #expect(screen.contains("welcome credits"), "the last screen stays readable: \(screen)")
        try session.send("a")
        screen = try session.wait(for: "nothing was written")
        #expect(!screen.contains("Adjust"), "the adjust form opened on a damaged journal: \(screen)")

        // The forged line removed: live again.
        try good.write(to: URL(fileURLWithPath: journal))
        screen = try session.wait(for: "reads cleanly again")
        header = String(screen.split(separator: "\n").first ?? "")
        #expect(header.contains("LIVE") && !header.contains("DAMAGED"), "\(header)")

        // Cut short under the console (its last record removed), then put back.
        let cut = try #require(good.dropLast().lastIndex(of: 10)) + 1
        #expect(truncate(journal, off_t(cut)) == 0)
        screen = try session.wait(for: "the journal is shorter")
        #expect(screen.contains("DAMAGED"), "\(screen)")
        try good.write(to: URL(fileURLWithPath: journal))
        try session.wait(for: "reads cleanly again")
        try ledger.cli(["adjust", "acme", "3", "--reason", "after the repair", "--as", "maria"])
        try session.wait(for: "after the repair")
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }
}
