import ArgumentParser
import Testing
@testable import creditdesk

/// The plain command lines read without swift-argument-parser give exactly the command the
/// parser gives; every other form is left to the parser.
@Suite struct FastCommandLineTests {
    /// A command's parsed values, as text, whichever way it was read.
    static func values(_ command: any ParsableCommand) -> String? {
        func shared(_ ledger: LedgerOptions, _ output: OutputOptions) -> String {
            "ledger=\(ledger.ledger ?? "-") as=\(ledger.actor ?? "-") now=\(ledger.now ?? "-") json=\(output.json)"
        }
        switch command {
        case let charge as ChargeCommand:
            return "charge \(charge.workspace) \(charge.action) job=\(charge.job) " + shared(charge.ledger, charge.output)
        case let balance as BalanceCommand:
            return "balance \(balance.workspace) at=\(balance.at ?? "-") " + shared(balance.ledger, balance.output)
        case let history as HistoryCommand:
            return "history \(history.workspace) kind=\(history.kind) limit=\(history.limit ?? "-") "
                + shared(history.ledger, history.output)
        case let list as WorkspaceCommand.List:
            return "workspace list " + shared(list.ledger, list.output)
        default:
            return nil
        }
    }

    /// A plain command line's values, as text in the same form as `values(_:)`.
    static func values(_ plain: PlainCommandLine) -> String {
        let shared = "ledger=\(plain.ledger.ledger ?? "-") as=\(plain.ledger.actor ?? "-") now=\(plain.ledger.now ?? "-") json=\(plain.json)"
        switch plain.command {
        case let .charge(workspace, action, job): return "charge \(workspace) \(action) job=\(job) " + shared
        case let .balance(workspace, at): return "balance \(workspace) at=\(at ?? "-") " + shared
        case let .history(workspace, limit): return "history \(workspace) kind=[] limit=\(limit ?? "-") " + shared
        case .workspaceList: return "workspace list " + shared
        }
    }

    static let plainForms: [[String]] = [
        ["charge", "acme", "ai_graphic", "--job", "j-1"],
        ["charge", "--ledger", "/tmp/l", "acme", "--job=j-2", "print_file", "--as", "lee", "--json"],
        ["charge", "acme", "ai_graphic", "--job", "j-3", "--now", "2026-01-10T09:00:00Z", "--ledger=postgresql:///credits?host=/run/postgresql"],
        ["balance", "acme"],
        ["balance", "acme", "--at", "2026-01-01T00:00:00Z", "--json", "--as", "maria"],
        ["history", "acme", "--limit", "50", "--json"],
        ["history", "--as", "sam", "acme"],
        ["workspace", "list", "--json", "--ledger", "/tmp/l"],
        ["workspace", "list"],
    ]

    @Test("the plain forms of charge, balance, history and workspace list read as the parser reads them", arguments: plainForms)
    func plainFormsReadAsTheParserReadsThem(arguments: [String]) throws {
        let fast = try #require(FastCommandLine.parse(arguments), "not taken as a plain form: \(arguments)")
        let parsed = try CreditDeskCommand.parseAsRoot(arguments)
        #expect(Self.values(parsed) != nil)
        #expect(Self.values(fast) == Self.values(parsed))
    }

    static let otherForms: [[String]] = [
        [], ["charge"], ["charge", "acme", "ai_graphic"], ["charge", "acme", "ai_graphic", "--job"],
        ["charge", "acme", "ai_graphic", "--job", "j", "--job", "k"], ["charge", "--help"], ["charge", "-h"],
        ["charge", "acme", "ai_graphic", "--job", "-x"], ["charge", "acme", "ai_graphic", "--job="],
        ["charge", "acme", "ai_graphic", "--job", "j", "--", "x"], ["charge", "acme", "ai_graphic", "extra", "--job", "j"],
        ["charge", "acme", "ai_graphic", "--job", "j", "--json", "--json"], ["charge", "acme", "", "--job", "j"],
        ["charge", "acme", "ai_graphic", "--jobs", "j"], ["charge", "acme", "ai_graphic", "--job", "j", "--version"],
        ["balance"], ["balance", "acme", "--kind", "charge"], ["balance", "acme", "beta"],
        ["history", "acme", "--limit", "ten"], ["history", "acme", "--kind", "charge"], ["history", "acme", "--limit", "-1"],
        ["workspace"], ["workspace", "list", "extra"], ["workspace", "create", "acme"], ["verify"], ["--version"],
    ]

    @Test("anything else is left to the parser: help, errors and the other commands stay its", arguments: otherForms)
    func otherFormsAreLeftToTheParser(arguments: [String]) {
        #expect(FastCommandLine.parse(arguments) == nil, "taken as plain: \(arguments)")
    }
}
