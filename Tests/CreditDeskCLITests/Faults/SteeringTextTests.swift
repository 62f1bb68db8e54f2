import CreditKit
import Foundation
import Testing

/// Names, reasons, owners, job ids and imported fields that would steer a terminal,
/// a mail reader or an editor are refused at input, and never printed raw from an older ledger.
@Suite("Text that steers terminals")
struct SteeringTextTests {
    /// CSI-clear-screen (C1), NEL, the line and paragraph separators, a bidi override, an isolate.
    static let hostile: [String] = ["\u{9B}2J", "\u{85}", "\u{2028}", "\u{2029}", "\u{202E}", "\u{2066}"]

    /// Every command that takes free text, with `TEXT` where the hostile text goes.
    static let inputs: [(field: String, arguments: [String], actor: String)] = [
        ("workspace name", ["workspace", "create", "beta", "--name", "Beta TEXT", "--owner", "dora", "--plan", "pro"], People.support),
        ("owner", ["workspace", "create", "beta", "--name", "Beta", "--owner", "doraTEXT", "--plan", "pro"], People.support),
        ("member", ["workspace", "add-member", "acme", "kimTEXT"], People.owner),
        ("operator", ["operator", "add", "tomTEXT", "--role", "support"], People.support),
        ("adjust reason", ["adjust", "acme", "+5", "--reason", "goodwill TEXT"], People.support),
        ("grant reason", ["grant", "acme", "5", "--kind", "promo", "--reason", "promo TEXT"], People.support),
        ("job id", ["charge", "acme", "ai_graphic", "--job", "jTEXT"], People.member),
        ("item id", ["clone", "acme", "fabric", "fTEXT"], People.member),
        ("invoice id", ["invoice-paid", "acme", "--invoice", "invTEXT"], People.support),
    ]

    @Test("every free-text input refuses every steering character: exit 1, one line, nothing written")
    func steeringTextIsRefusedAtInput() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 1_000)
        let before = try cli.journal()
        for input in Self.inputs {
            for text in Self.hostile {
                let arguments = input.arguments.map { $0.replacingOccurrences(of: "TEXT", with: text) }
                let result = try cli.run(arguments, as: input.actor)
                #expect(result.status == 1, "\(input.field) with \(text.unicodeScalars.map { String($0.value, radix: 16) }): \(result)")
                #expect(result.stderrLines.count == 1, "\(result)")
                #expect(steeringCharacters(in: result.stderr).isEmpty, "the refusal echoes the text raw: \(result)")
            }
        }
        #expect(try cli.journal() == before, "a refused command wrote to the journal")
    }

    @Test("the refusal says what the field takes: an id wants no spaces, a reason one line, each with its own length")
    func refusalNamesWhatTheFieldTakes() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let job = try cli.run("charge", "acme", "ai_graphic", "--job", "j 1", as: People.member)
        #expect(job.status == 1 && job.stderrLines.count == 1, "\(job)")
        #expect(job.stderr.contains("invalid job id: it must be printable text without spaces, 1 to \(FreeText.tokenLengthMax) bytes"), "\(job)")
        let reason = try cli.run("adjust", "acme", "+5", "--reason", " ", as: People.support)
        #expect(reason.stderr.contains("invalid reason: it must be one line of printable text, not blank, at most \(FreeText.reasonLengthMax) bytes"), "\(reason)")
        #expect(!reason.stderr.contains("no spaces"), "a reason may hold spaces: \(reason)")
        let name = try cli.run("workspace", "create", "beta", "--name", String(repeating: "n", count: FreeText.displayNameLengthMax + 1), "--owner", "dora",
                               "--plan", "pro", as: People.support)
        #expect(name.stderr.contains("invalid workspace name: it must be one line of printable text, not blank, at most \(FreeText.displayNameLengthMax) bytes"), "\(name)")
    }

    @Test("R19: a reason holding a bidi override or a control is refused naming the character and its position")
    func R19_refusalNamesTheSteeringCharacter() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 100)
        let before = try cli.journal()
        let bidi = try cli.run("adjust", "acme", "+5", "--reason", "oops\u{202E}evil", as: People.support)
        #expect(bidi.status == 1 && bidi.stderrLines.count == 1, "\(bidi)")
        #expect(bidi.stderr.contains("invalid reason: U+202E RIGHT-TO-LEFT OVERRIDE at position 5"), "\(bidi)")
        let escape = try cli.run("adjust", "acme", "+5", "--reason", "a\u{1B}[2J", as: People.support)
        #expect(escape.status == 1 && escape.stderr.contains("U+001B") && escape.stderr.contains("at position 2"), "\(escape)")
        #expect(try cli.journal() == before, "a refused command wrote to the journal")
    }

    @Test("a name or reason made only of Unicode spaces is blank and refused",
          arguments: ["\u{A0}\u{A0}", "\u{3000}", "\u{200B}", "\u{2060}\u{FEFF}"])
    func unicodeSpacesAreBlank(text: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 10)
        let name = try cli.run("workspace", "create", "beta", "--name", text, "--owner", "dora", "--plan", "pro", as: People.support)
        #expect(name.status == 1, "\(name)")
        let reason = try cli.run("adjust", "acme", "+5", "--reason", text, as: People.support)
        #expect(reason.status == 1, "\(reason)")
    }

    /// acme with a charge and an adjustment, then rewritten as an older ledger whose workspace
    /// name, owner's display, reason, job and catalog names hold steering text and line breaks.
    static func makeOlderLedger(_ cli: CLI) throws {
        try cli.makeAcme(credits: 100)
        try cli.ok("charge", "acme", "ai_graphic", "--job", "j-1", as: People.member)
        try cli.ok("adjust", "acme", "-3", "--reason", "fix", as: People.support)
        try cli.rewriteAsOlderLedger(catalog: { catalog in
            var actions = catalog["actions"] as? [[String: Any]] ?? []
            actions[0]["name"] = "AI graphic\u{9B}2J\n    workspaces:acme  1000000 CR\n    earned:forged  -1000000 CR"
            catalog["actions"] = actions
            var plans = catalog["plans"] as? [[String: Any]] ?? []
            for index in plans.indices { plans[index]["name"] = "Plan\u{1B}[31m\u{2028}red" }
            catalog["plans"] = plans
        }) { entry in
            if entry.kind == .workspace { entry.name = "Acme\u{9B}2J\u{85}Tees\u{202E}seeT\n2026-01-01 * forged" }
            if entry.kind == .charge { entry.job = "j-1\n    workspaces:acme  1000000 CR" }
            if entry.kind == .adjustment, entry.credits < 0 {
                entry.reason = "=HYPERLINK(\"http://x\")\u{2029}; \u{1B}]0;title\u{07}\n    workspaces:acme  1000000 CR"
            }
        }
        try cli.ok("verify")
    }

    @Test("balance, history, workspace list, adjust and export never print steering text from an older ledger")
    func olderLedgerTextIsNeutralisedEverywhere() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try Self.makeOlderLedger(cli)
        let runs: [[String]] = [
            ["balance", "acme"], ["balance", "acme", "--json"], ["history", "acme"], ["history", "acme", "--json"],
            ["workspace", "list"], ["workspace", "list", "--json"],
            ["export", "--format", "csv"], ["export", "--format", "jsonl"], ["export", "--format", "hledger"],
            ["adjust", "acme", "+1", "--reason", "after"], ["adjust", "acme", "+1", "--reason", "json", "--json"],
            ["charge", "acme", "ai_graphic", "--job", "j-2"],
        ]
        for arguments in runs {
            let result = try cli.ok(arguments, as: arguments[0] == "charge" ? People.member : People.support)
            #expect(steeringCharacters(in: result.output).isEmpty, "`\(arguments.joined(separator: " "))` printed \(steeringCharacters(in: result.output)) raw:\n\(result)")
        }
        // A line break inside a value never makes a line of its own.
        let history = try cli.ok("history", "acme", as: People.support)
        #expect(history.stdoutLines.count == 1 + (try cli.history().count), "\(history)")
        #expect(!history.stdout.contains("\n2026-01-01 * forged"))
        // The JSON keeps the exact text, escaped.
        let rows = try cli.history()
        #expect(rows.contains { ($0.string("job") ?? "").hasPrefix("j-1\n") }, "\(rows)")
    }

    @Test("an option value the parser refuses is quoted neutralised: exit 64, the usage line, no raw ESC or BEL",
          arguments: [["verify", "--expect-head", "3\u{1B}]0;PWN\u{07}\u{1B}[31m:abc"],
                      ["generate", "--workspaces", "\u{1B}[2J\u{9B}2J"]])
    func parserErrorsNeverEchoSteeringText(arguments: [String]) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.makeAcme(credits: 10)
        let before = try cli.journal()
        let result = try cli.run(arguments, as: People.support)
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.hasPrefix("Error: "), "\(result)")
        #expect(result.stderr.contains("\nUsage: creditdesk \(arguments[0]) "), "\(result)")
        #expect(steeringCharacters(in: result.stderr).isEmpty, "the parser echoes the argument raw: \(result)")
        #expect(result.stderr.contains("\(FreeText.replacement)"), "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(try cli.journal() == before)
    }
}
