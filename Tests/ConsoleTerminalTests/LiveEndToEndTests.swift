import Foundation
import Testing

/// Live, visibly, in the real binary: the header shows the time of the last read of the
/// journal, and an entry another desk writes is marked on its row for a moment while the
/// selection stays on the entry it was on.
extension ConsoleEndToEndTests {
    @Test(.enabled(if: Programs.hasTmux))
    func anotherDesksEntryIsMarkedAndTheHeaderShowsTheRead() throws {
        let ledger = try ConsoleLedger()
        defer { ledger.remove() }
        try ledger.cli(["adjust", "acme", "40", "--reason", "second gift", "--as", "maria"])
        let session = try TmuxSession(Self.console(ledger, as: "maria"))
        defer { session.kill() }
        try session.wait(for: "acme")
        try session.send("Enter")
        try session.wait(for: "second gift")
        try session.send("j")
        try session.wait(for: "(2/2)")
        let header = try session.wait(for: "↻ ").split(separator: "\n")[0]
        #expect(header.contains("↻ "), "\(header)")
        try ledger.cli(["adjust", "acme", "3", "--reason", "from the desk next door", "--as", "maria"])
        let marked = try session.wait(for: "✚")
        let row = marked.split(separator: "\n").first { $0.contains("✚") } ?? ""
        #expect(row.contains("from the desk next door"), "\(marked)")
        #expect(marked.contains("(3/3)"), "the selection stays on its entry: \(marked)")
        try session.wait(for: "✚", absent: true)
        try session.send("q", "q")
        try session.wait(for: "EXITED 0")
    }
}
