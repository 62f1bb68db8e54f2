import ConsoleTerminal
import ConsoleUI
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// SGR (1006) mouse reports through curses and the real binary. In the serialized suite,
/// since curses is process-global.
extension ConsoleEndToEndTests {
    /// Starts a headless terminal of `term` that reads from a pipe, writes each chunk into it
    /// (as a terminal writes each report), and returns what the terminal reads.
    static func readThroughCurses(term: String, chunks: [String]) throws -> [TerminalInput] {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let terminal = Terminal(options: TerminalOptions(color: .never, mouse: true))
        try terminal.startHeadless(term: term, width: 250, height: 70, theme: .standard, input: ends[0])
        defer { terminal.stop(); close(ends[1]) }
        var read: [TerminalInput] = []
        for chunk in chunks {
            let bytes = Array(chunk.utf8)
            #expect(write(ends[1], bytes, bytes.count) == bytes.count)
            // An ignored report (a release) reads as nothing, like a timeout: read a few times.
            read += (0..<2).compactMap { _ in terminal.read(timeout: 50) }
        }
        return read
    }

    @Test(arguments: ["tmux-256color", "xterm-256color"])
    func sgrClickBeyondColumn223IsReadOnEveryTerminal(term: String) throws {
        let read = try Self.readThroughCurses(term: term, chunks: ["\u{1B}[<0;240;5M", "\u{1B}[<0;240;5m", "\u{1B}[<65;230;9M", "j"])
        #expect(read == [.mouse(.click(x: 239, y: 4)), .mouse(.wheelDown(x: 229, y: 8)), .key(.character("j"))], "\(term): \(read)")
    }

    @Test(.enabled(if: Programs.hasTmux))
    func sgrClickSelectsAndOpensAWorkspaceAtColumn240() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        try ledger.cli(["workspace", "create", "zeta", "--name", "Zeta Prints", "--owner", "kim", "--plan", "pro", "--as", "maria"])
        let session = try TmuxSession(Self.console(ledger, as: "maria"), width: 250, height: 40)
        defer { session.kill() }
        try session.wait(for: "(1/2)")
        // The second row of the table is screen row 4, column 240: a click past X10's reach.
        func click() throws { try session.tmux(["send-keys", "-H"] + Array("\u{1B}[<0;240;5M\u{1B}[<0;240;5m".utf8).map { String($0, radix: 16) }) }
        try click()
        try session.wait(for: "(2/2)")
        try click()
        try session.wait(for: "Credit history")
        #expect(try session.capture().contains("zeta"))
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }
}
