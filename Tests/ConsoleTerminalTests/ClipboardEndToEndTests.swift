import Foundation
import Testing

/// OSC 52 from the real binary: tmux with `set-clipboard on` takes the sequence the console
/// writes and keeps its text as a paste buffer, as a local terminal would put it on the clipboard.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func copyAnEntryAndItsHashWithOSC52() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.tmux(["set-option", "-g", "set-clipboard", "on"])
        try session.wait(for: "acme")
        try session.send("Enter")
        try session.wait(for: "welcome credits")
        try session.send("Enter")
        try session.wait(for: "y copy")
        try session.send("y")
        try session.wait(for: "copied entry #")
        let buffer = try session.tmux(["show-buffer"])
        #expect(buffer.contains("acme adjustment +8 (balance 8) by maria: welcome credits"), "buffer: \(buffer.debugDescription)")
        #expect(buffer.hasPrefix("#"), "buffer: \(buffer.debugDescription)")
        try session.send("H")
        try session.wait(for: "copied the hash")
        let hash = try session.tmux(["show-buffer"])
        let journal = try String(contentsOfFile: ledger.directory + "/journal.jsonl", encoding: .utf8)
        #expect(hash.count == 64 && journal.contains("\"hash\":\"\(hash)\""), "buffer: \(hash.debugDescription)")
        try session.send("q", "q", "q")
        try session.wait(for: "EXITED 0")
    }
}
