import Foundation
import GoldenSupport
import Testing

/// How the golden tests run the binary and write down what it did, the same way on every machine.
enum GoldenRun {
    /// Columns swift-argument-parser wraps `--help` at.
    static let helpColumns = "80"

    /// A private ledger whose environment carries no clock (every step passes `--now`), a fixed
    /// locale and a fixed width.
    static func makeCLI() throws -> CLI {
        let cli = try CLI()
        cli.environment["CREDITDESK_NOW"] = nil
        cli.environment["LANG"] = "C.UTF-8"
        cli.environment["LC_ALL"] = "C.UTF-8"
        cli.environment["COLUMNS"] = helpColumns
        return cli
    }

    /// Every command path below `creditdesk` (the root is `[]`), read from the binary's own
    /// `--experimental-dump-help`; swift-argument-parser's `help` command is its own, not ours.
    static func commandPaths(_ cli: CLI) throws -> [[String]] {
        let dump = try cli.run("--experimental-dump-help")
        try #require(dump.status == 0, "\(dump)")
        let root = try #require(try dump.jsonObject()["command"] as? [String: Any], "\(dump)")
        return paths(below: root, at: [])
    }

    private static func paths(below command: [String: Any], at path: [String]) -> [[String]] {
        let children = (command["subcommands"] as? [[String: Any]]) ?? []
        return [path] + children.flatMap { child -> [[String]] in
            guard let name = child["commandName"] as? String, name != "help" else { return [] }
            return paths(below: child, at: path + [name])
        }
    }

    /// `creditdesk_workspace_create.txt` for `["workspace", "create"]`.
    static func helpName(_ path: [String]) -> String {
        (["creditdesk"] + path).joined(separator: "_") + ".txt"
    }

    /// What a run did, as a golden holds it: the command line, the exit status, standard output
    /// and standard error, each byte as printed except the temporary paths and elapsed seconds.
    static func transcript(_ result: CLIResult, cli: CLI) -> String {
        let command = result.arguments.map(quoted).joined(separator: " ")
        return normalised("$ \(command)\nexit \(result.status)\n--- stdout\n\(closed(result.stdout))--- stderr\n\(closed(result.stderr))",
                          cli: cli)
    }

    /// Records an issue with a diff when `text` is not the golden `name` in `folder`.
    static func expect(_ text: String, matches folder: URL, name: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        guard let failure = Golden.check(text, against: folder.appendingPathComponent(name)) else { return }
        Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation)
    }

    /// The ledger and scratch directories as `$LEDGER` and `$SCRATCH`; elapsed times as `‹s› s`.
    private static func normalised(_ text: String, cli: CLI) -> String {
        text.replacingOccurrences(of: cli.ledger, with: "$LEDGER")
            .replacingOccurrences(of: cli.scratch, with: "$SCRATCH")
            .replacingOccurrences(of: #"\b[0-9]+\.[0-9]+ s\b"#, with: "‹s› s", options: .regularExpression)
    }

    /// Output that does not end in a newline says so, so the next header stays on its own line.
    private static func closed(_ output: String) -> String {
        output.isEmpty || output.hasSuffix("\n") ? output : output + "⟨no newline⟩\n"
    }

    private static func quoted(_ argument: String) -> String {
        argument.contains(where: { " \"'$".contains($0) }) || argument.isEmpty ? "'\(argument)'" : argument
    }
}
