import Foundation
import GoldenSupport
import Testing

/// The command line pinned byte for byte, as swift-argument-parser pins its examples: every
/// command's `--help`, and each command's text and `--json` output on a ledger built by a fixed
/// script on a test clock. The expected output lives in `Golden/`; `scripts/record-goldens`
/// rewrites it on purpose, and a missing golden fails like a different one.
@Suite("Golden: the command line (CONTRACT.md)")
struct GoldenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let helpFolder = folder.appendingPathComponent("help")
    static let commandsFolder = folder.appendingPathComponent("commands")

    /// Every command's `--help` at 80 columns, found by walking the binary's own command tree, so a
    /// new command without its golden fails here.
    @Test("--help of creditdesk and of every subcommand, nested ones included")
    func helpOfEveryCommand() throws {
        let cli = try GoldenRun.makeCLI()
        defer { cli.remove() }
        let paths = try GoldenRun.commandPaths(cli)
        #expect(paths.contains(["workspace", "create"]) && paths.contains(["operator", "add"]), "\(paths)")
        for path in paths {
            let result = try cli.run(path + ["--help"])
            #expect(result.status == 0, "\(result)")
            GoldenRun.expect(GoldenRun.transcript(result, cli: cli), matches: Self.helpFolder, name: GoldenRun.helpName(path))
        }
        let strays = Golden.strays(in: Self.helpFolder, expected: Set(paths.map(GoldenRun.helpName)))
        #expect(strays.isEmpty, "goldens of commands that no longer exist (scripts/record-goldens removes them): \(strays)")
    }

    /// The fixed script: each step's transcript (command, exit status, standard output and error)
    /// against its golden, and each step's exit status against the table.
    @Test("text and --json output of every command on a test-clock ledger")
    func outputOfEveryCommand() throws {
        let cli = try GoldenRun.makeCLI()
        defer { cli.remove() }
        try GoldenScript.writeUsageFiles(into: cli.scratch)
        var names = Set<String>()
        for (index, step) in GoldenScript.steps.enumerated() {
            #expect(names.insert(step.name).inserted, "two steps named \(step.name)")
            let arguments = GoldenScript.arguments(of: step, at: index, cli: cli)
            let result = try cli.run(arguments)
            #expect(result.status == step.status, "step \(step.name): \(result)")
            GoldenRun.expect(GoldenRun.transcript(result, cli: cli), matches: Self.commandsFolder, name: step.name + ".txt")
        }
        let strays = Golden.strays(in: Self.commandsFolder, expected: Set(names.map { $0 + ".txt" }))
        #expect(strays.isEmpty, "goldens of steps no longer in the script (scripts/record-goldens removes them): \(strays)")
    }
}

/// A golden is written only on purpose: without the record variable a missing one fails.
@Suite("Golden files")
struct GoldenFileTests {
    @Test func aMissingGoldenFailsAndIsNotWritten() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let url = URL(fileURLWithPath: cli.scratch).appendingPathComponent("missing.txt")
        let failure = try #require(Golden.check("anything\n", against: url, recording: false))
        #expect(failure.contains("no golden") && failure.contains("record-goldens"), "\(failure)")
        #expect(!FileManager.default.fileExists(atPath: url.path), "a missing golden was written")
        #expect(Golden.check("anything\n", against: url, recording: true) == nil)
        #expect(try String(contentsOf: url, encoding: .utf8) == "anything\n")
        #expect(Golden.check("anything\n", against: url, recording: false) == nil)
    }

    @Test func aDifferenceIsShownAsADiffWithLongJSONCutAtCommas() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let url = URL(fileURLWithPath: cli.scratch).appendingPathComponent("json.txt")
        let keys = (1...30).map { "\"key\($0)\":\($0)" }
        try Data(("{" + keys.joined(separator: ",") + "}\n").utf8).write(to: url)
        let changed = "{" + keys.joined(separator: ",").replacingOccurrences(of: "\"key7\":7", with: "\"key7\":70") + "}\n"
        let failure = try #require(Golden.check(changed, against: url, recording: false))
        let lines = failure.split(separator: "\n").map(String.init)
        #expect(lines.contains("-   ↪ \"key7\":7,") && lines.contains("+   ↪ \"key7\":70,"), "\(failure)")
        #expect(!lines.contains { $0.contains("key20") }, "unchanged pieces far from the change are shown:\n\(failure)")
        #expect(Golden.check("a\nb", against: url, recording: false)?.contains("⟨no newline⟩") == true)
    }

    @Test func aGoldenThatDiffersOnlyInItsLineEndingsStillFails() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let url = URL(fileURLWithPath: cli.scratch).appendingPathComponent("newline.txt")
        try Data("same\r\n".utf8).write(to: url)
        let failure = try #require(Golden.check("same\n", against: url, recording: false))
        #expect(failure.contains("- same⟨CR⟩") && failure.contains("+ same"), "\(failure)")
    }
}
