import ArgumentParser
import CreditKit

/// `auto-topup set|show|off|resume WS`: an owner's rule that asks the billing side for a top-up
/// when the available balance falls to a threshold, within a monthly cap (R37–R39).
struct AutoTopUpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auto-topup",
        abstract: "Set, show, switch off or resume a workspace's auto top-up rule (owner or support; R37–R39).",
        discussion: """
        When a write leaves the available balance at or below the threshold, the same commit \
        writes a top-up request (an alert record with a request id, and a message in the outbox \
        for the billing side), once per crossing. The billing side answers with \
        `topup WS PACK --payment ID` (which answers the pending request of that pack) or \
        `topup-declined WS --request ID`. Auto top-ups never pass the monthly cap; warnings go \
        out at 80, 90 and 100 percent of it. After a decline no request is written for an hour, \
        then two, and the third decline in a row pauses the rule until it is set again or resumed.
        """,
        subcommands: [AutoTopUpSet.self, AutoTopUpShow.self, AutoTopUpOff.self, AutoTopUpResume.self])
}

/// `auto-topup set WS --below N (--pack P | --to-balance N) --monthly-cap DOLLARS`.
struct AutoTopUpSet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set (or replace) the rule; setting it again re-enables a paused rule (R37, R39).")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String
    @Option(parsing: .unconditional, help: ArgumentHelp("Ask for a top-up when the available balance is at or below this many credits.", valueName: "credits"))
    var below: String
    @Option(help: "The pack to ask for (topup_50 … topup_800).") var pack: String?
    @Option(name: .customLong("to-balance"), parsing: .unconditional, help: ArgumentHelp("Instead of a pack: the smallest pack that brings the available balance to this.", valueName: "credits"))
    var toBalance: String?
    @Option(name: .customLong("monthly-cap"), parsing: .unconditional, help: ArgumentHelp("At most this many dollars of auto top-ups per calendar month (UTC): 250 or 250.00.", valueName: "dollars"))
    var monthlyCap: String

    func run() throws {
        guard (pack == nil) != (toBalance == nil) else { throw CLIFailure.usage("give exactly one of --pack and --to-balance") }
        let threshold = try NumberArgument.whole(below, .below)
        let target = try toBalance.map { (text) throws(CLIFailure) in try NumberArgument.whole(text, .toBalance) }
        let cap = try DollarArgument.cents(monthlyCap)
        let rule = AutoTopUpRule(threshold: threshold, pack: pack, targetBalance: target, capCents: cap)
        try CommandRunner.submit(.setAutoTopUp(workspace: workspace, rule: rule), ledger: ledger, output: output)
    }
}

/// `auto-topup off WS`.
struct AutoTopUpOff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "off",
        abstract: "Switch the rule off; a pending request is dropped, this month's spend stays counted (R37).")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String

    func run() throws {
        try CommandRunner.submit(.autoTopUpOff(workspace: workspace), ledger: ledger, output: output)
    }
}

/// `auto-topup resume WS`.
struct AutoTopUpResume: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Re-enable a rule paused after declined payments, as it was (R39).")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String

    func run() throws {
        try CommandRunner.submit(.resumeAutoTopUp(workspace: workspace), ledger: ledger, output: output)
    }
}

/// `auto-topup show WS [--json]`.
struct AutoTopUpShow: ParsableCommand, LedgerReading {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "The rule, its state, this month's auto top-up spend against the cap and the pending request (support, owner or members).")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String

    func run() throws {
        let (_, ws, now) = try visibleWorkspace(workspace, ledger)
        let view = AutoTopUpView(ws.autoTopUp, at: now)
        Console.print(output.json ? AutoTopUpText.json(view, workspace: ws.id).text : AutoTopUpText.lines(view, workspace: ws.id).joined(separator: "\n"))
    }
}

/// `topup-declined WS --request ID [--reason TEXT]`: the billing side could not charge (R39).
struct TopUpDeclinedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topup-declined",
        abstract: "Record that the billing side could not charge for a top-up request (support; R39).",
        discussion: """
        ID must be the workspace's pending request (as `auto-topup show` names it). The rule backs \
        off: no new request for an hour after the first decline, then doubling; the third decline \
        in a row pauses the rule and mails the owner.
        """)
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String
    @Option(help: "The request id (auto-41).") var request: String
    @Option(help: "Why the payment failed (recorded).") var reason: String?

    func run() throws {
        try CommandRunner.submit(.topUpDeclined(workspace: workspace, request: request, reason: reason), ledger: ledger, output: output)
    }
}

/// Parses dollars typed on the command line.
enum DollarArgument {
    /// `250`, `250.5`, `250.00`, `$250` → cents; a sign, three decimals or a word is a bad
    /// command line (64), and an amount outside R37's cap range, however many digits, its refusal (1).
    static func cents(_ text: String) throws(CLIFailure) -> Int64 {
        let field = NumberArgument.Field.monthlyCap
        let plain = text.hasPrefix("$") ? Substring(text.dropFirst()) : Substring(text)
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty, whole.allSatisfy({ $0.isASCII && $0.isNumber }),
              parts.count == 1 || ((1...2).contains(parts[1].count) && parts[1].allSatisfy({ $0.isASCII && $0.isNumber })) else {
            throw NumberArgument.shape(text, field)
        }
        let fraction = parts.count == 2 ? (Int64(parts[1]) ?? 0) * (parts[1].count == 1 ? 10 : 1) : 0
        guard let dollars = Int64(whole), case let (cents, false) = dollars.multipliedReportingOverflow(by: 100),
              field.range.contains(cents + fraction) else { throw NumberArgument.outOfRange(text, field) }
        return cents + fraction
    }
}
