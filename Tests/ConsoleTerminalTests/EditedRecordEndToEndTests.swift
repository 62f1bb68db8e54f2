import Foundation
import Testing

/// A record edited inside what the checkpoint stands for, read by the console: the history that
/// reaches it says so on the status line, naming the record in a read's words, rather than
/// showing its rows as if they were still coming.
@Suite struct EditedRecordEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func theHistoryThatReachesAnEditedRecordNamesIt() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        // A generated ledger in its place, closed by a checkpoint the console opens from.
        try FileManager.default.removeItem(atPath: ledger.directory)
        try ledger.cli(["generate", "--catalog", "konfiwear", "--workspaces", "2", "--entries", "200", "--days", "30", "--as", "maria"])
        let path = ledger.directory + "/journal.jsonl"
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        let index = try #require(lines.indices.dropFirst(20).first { lines[$0].contains("\"kind\":\"charge\"") })
        let record = try #require(try JSONSerialization.jsonObject(with: Data(lines[index].utf8)) as? [String: Any])
        let (seq, workspace, balance) = (try #require(record["seq"] as? Int), try #require(record["ws"] as? String), try #require(record["balance"] as? Int))
        lines[index] = lines[index].replacingOccurrences(of: "\"balance\":\(balance),", with: "\"balance\":\(balance + 1),")
        try lines.joined(separator: "\n").write(toFile: path, atomically: false, encoding: .utf8)

        let session = try TmuxSession(ConsoleEndToEndTests.console(ledger, as: "maria"), width: 160, height: 40)
        defer { session.kill() }
        try session.wait(for: "2 workspaces")
        try session.send("/")
        try session.send("-l", workspace)
        try session.send("Enter")
        try session.send("Enter")
        try session.wait(for: "Credit history")
        try session.send("G")
        let screen = try session.wait(for: "the history could not be read: ledger damaged: record seq \(seq) (byte ")
        #expect(!screen.contains("nothing was written"), "a read says nothing of writing:\n\(screen)")
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }
}
