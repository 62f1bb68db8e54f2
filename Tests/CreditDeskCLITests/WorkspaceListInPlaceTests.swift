import Foundation
import Testing

/// `workspace list --json` for support reads its rows in place from the checkpoint's directory
/// (`FileLedger.summaryRows`): its text must be, byte for byte, the text the journal alone gives,
/// whatever the names hold, and a damaged directory must never reach it.
@Suite("Workspace list read in place")
struct WorkspaceListInPlaceTests {
    /// Names a JSON string escapes, names beyond ASCII, and a plain one.
    static let names = ["plain": "Plain Tees", "quoted": #"Say "hi" \ back"#, "cafe": "Café Zürich ☕", "unicode": "Ünïcode Ω Shop"]

    /// A ledger of `names`, each with credits and the cafe with an open hold (R35), and its checkpoint.
    static func ledger(_ cli: CLI) throws {
        try cli.makeAcme(credits: 40)
        for (id, name) in names.sorted(by: { $0.key < $1.key }) {
            try cli.ok("workspace", "create", id, "--name", name, "--owner", People.owner, "--plan", "pro", as: People.support)
            try cli.ok("adjust", id, "+25", "--reason", "seed", as: People.support)
        }
        try cli.ok("hold", "cafe", "ai_graphic", "--job", "held-1", "--ttl", "1h", as: People.owner)
        // A checkpoint that is not one is ignored, and the next write writes it afresh (it is a cache).
        try Data("not a checkpoint\n".utf8).write(to: URL(fileURLWithPath: cli.ledger + "/checkpoint"))
        try cli.ok("adjust", "acme", "+1", "--reason", "rebuild the checkpoint", as: People.support)
        try #require(FileManager.default.fileExists(atPath: cli.ledger + "/checkpoint"))
    }

    /// `workspace list --json` as `actor` at `now`: its standard output, after a clean exit.
    static func list(_ cli: CLI, as actor: String = People.support, now: String = CLI.defaultNow,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try cli.run("workspace", "list", "--json", "--now", now, as: actor, sourceLocation: sourceLocation)
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// The same lists read from the journal alone (the checkpoint moved away, then put back).
    static func fromJournal(_ cli: CLI, _ body: () throws -> Void) throws {
        let path = cli.ledger + "/checkpoint", aside = cli.scratch + "/checkpoint"
        try FileManager.default.moveItem(atPath: path, toPath: aside)
        try body()
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: aside, toPath: path)
    }

    @Test("R18, R35: the list read in place is the journal's text byte for byte: escaped and non-ASCII names, a tail, a hold before and after its time")
    func R18_listReadInPlaceIsTheJournalsText() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.ledger(cli)
        // A tail after the checkpoint: a new first and last workspace, and a changed one.
        try cli.ok("workspace", "create", "aaa", "--name", "Ärger \"first\"", "--owner", People.owner, "--plan", "pro", as: People.support)
        try cli.ok("workspace", "create", "zzz", "--name", "Last", "--owner", People.owner, "--plan", "starter", as: People.support)
        try cli.ok("adjust", "plain", "-5", "--reason", "after the checkpoint", as: People.support)
        let times = [CLI.defaultNow, "2026-01-12T09:00:00Z"]
        let inPlace = try times.map { try Self.list(cli, now: $0) }
        let owners = try Self.list(cli, as: People.owner)
        var journal: [String] = [], journalOwners = ""
        try Self.fromJournal(cli) {
            journal = try times.map { try Self.list(cli, now: $0) }
            journalOwners = try Self.list(cli, as: People.owner)
        }
        #expect(inPlace == journal)
        #expect(owners == journalOwners)
        #expect(inPlace[0] != inPlace[1], "the hold is open at first and released two days on: \(inPlace)")
        for name in Self.names.values { #expect(inPlace[0].contains(Self.quotedJSON(name)), "\(name) in \(inPlace[0])") }
        #expect(try JSONSerialization.jsonObject(with: Data(inPlace[0].utf8)) is [Any])
    }

    @Test("a directory page damaged under a name: the list answers from the journal, the same text, with a note, never the damaged bytes")
    func damagedDirectoryPageIsNotListed() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.ledger(cli)
        let before = try Self.list(cli)
        try CheckpointDirectoryFaultTests.damage(cli) { bytes, references in
            // The byte after the blob reference: the first byte of the name's length, so the
            // damage would make the name's length absurd if it were read.
            bytes[references["quoted"]! + 48 + 1] ^= 0x40
        }
        let result = try cli.run("workspace", "list", "--json", as: People.support)
        #expect(result.status == 0 && result.stdout == before, "\(result)")
        #expect(result.stderr.contains("checkpoint"), "the ignored checkpoint is noted: \(result)")
    }

    /// `text` as a JSON string: quotes and backslashes escaped, the rest as it is.
    static func quotedJSON(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
