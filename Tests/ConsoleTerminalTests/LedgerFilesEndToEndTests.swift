import Foundation
import Testing

/// Files the console writes where a person names them never land in the ledger's own folder:
/// the export prompt refuses the journal (or any name inside the folder) in one line, and
/// CREDITDESK_FRAME_STATS pointed at the journal leaves it as it was.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func theExportPromptRefusesANameInsideTheLedger() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let journal = ledger.directory + "/journal.jsonl"
        let before = try Data(contentsOf: URL(fileURLWithPath: journal))
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "acme")
        try session.send("Enter")
        try session.wait(for: "welcome credits")
        // A link named like an export to the journal, and a new name inside the folder via `..`.
        let link = ledger.directory + "-link.csv"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: journal)
        defer { try? FileManager.default.removeItem(atPath: link) }
        for name in [link, ledger.directory + "/../" + URL(fileURLWithPath: ledger.directory).lastPathComponent + "/acme.csv"] {
            try session.send("e")
            try session.wait(for: "Export what you see")
            try session.send("-l", name)
            try session.send("Enter")
            let screen = try session.wait(for: "inside the ledger")
            #expect(!screen.contains("This file is already there"))
            if screen.contains("Export what you see") { try session.send("Escape") }
            try session.wait(for: "Export what you see", absent: true)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: journal)) == before)
        #expect(!FileManager.default.fileExists(atPath: ledger.directory + "/acme.csv"))
        try session.send("q")
        try session.wait(for: "Accounts")
        try session.send("q")
        try session.wait(for: "EXITED 0")
        try ledger.cli(["verify"])
    }

    @Test(.enabled(if: Programs.hasTmux))
    func frameStatsAreNeverWrittenOverTheJournal() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let journal = ledger.directory + "/journal.jsonl"
        let before = try Data(contentsOf: URL(fileURLWithPath: journal))
        let session = try TmuxSession("CREDITDESK_FRAME_STATS=\(journal) " + Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "acme")
        try session.send("q")
        try session.wait(for: "EXITED 0")
        #expect(try Data(contentsOf: URL(fileURLWithPath: journal)) == before)
        try ledger.cli(["verify"])
    }
}
