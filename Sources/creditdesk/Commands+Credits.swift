import ArgumentParser
import CreditKit
import LedgerCore

struct ChargeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charge",
        abstract: "Charge a job that succeeded (owner or member; R4, R6, R8).",
        discussion: "A job id is charged at most once per workspace: a repeat exits 0 and says so. An action that costs more than the balance is refused (exit 1) with the cost, the balance, the shortfall and the smallest pack that covers it.")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String
    @Argument(help: "The action id: ai_graphic, ai_vectorize, print_file (image in the sofia catalog).") var action: String
    @Option(help: "The job id (stable across retries).") var job: String

    func run() throws {
        try CommandRunner.submit(.charge(workspace: workspace, action: action, job: job), ledger: ledger, output: output)
    }
}

struct JobFailedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job-failed",
        abstract: "Report a failed job: its charge, if any, is refunded in full, once (owner, member or support; R4, R5).")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String
    @Option(help: "The job id.") var job: String

    func run() throws {
        try CommandRunner.submit(.jobFailed(workspace: workspace, job: job), ledger: ledger, output: output)
    }
}

struct CloneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clone",
        abstract: "Clone a library product, fabric or design: charged once, owned for good (owner or member; R7, R8).")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String
    @Argument(help: "product, fabric or design.") var kind: String
    @Argument(help: "The library item's id.") var item: String

    func run() throws {
        try CommandRunner.submit(.clone(workspace: workspace, itemKind: kind, item: item), ledger: ledger, output: output)
    }
}

struct TopupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topup",
        abstract: "Buy a top-up pack; its credits land at once (owner, or support on the owner's behalf; R15).",
        discussion: "With --payment, the pack is bought once per payment reference in the workspace (R26): a script that retries after a timeout gives the same reference, and a repeat exits 0, says it was already recorded and names the entry that bought it (JSON key `payment`).")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String
    @Argument(help: "The pack id: topup_50, topup_100, topup_200, topup_400, topup_800 (pack_100, pack_300, pack_600 in sofia).") var pack: String
    @Option(help: ArgumentHelp("The payment or order reference: recorded once per workspace, so a retry never buys twice (R26).", valueName: "id")) var payment: String?

    func run() throws {
        try CommandRunner.submit(.topUp(workspace: workspace, pack: pack, payment: payment), ledger: ledger, output: output)
    }
}

struct InvoicePaidCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoice-paid",
        abstract: "Record a paid subscription invoice: grants the plan in force, once per invoice (support; R10–R13).")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String
    @Option(help: "The invoice id.") var invoice: String

    func run() throws {
        try CommandRunner.submit(.invoicePaid(workspace: workspace, invoice: invoice), ledger: ledger, output: output)
    }
}

struct AdjustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adjust",
        abstract: "Add or remove credits with a reason (support only; R19).",
        discussion: "Write the amount signed, e.g. `adjust acme +25 --reason \"...\"` or `adjust acme -10 --reason \"...\"`. With --request, the adjustment is recorded once per request id in the workspace (R26): a repeat exits 0 and says it was already recorded (JSON key `request`).")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String
    @Option(help: "Why (required; recorded in the history).") var reason: String
    @Option(help: ArgumentHelp("A request id: recorded once per workspace, so a retry never adjusts twice (R26).", valueName: "id")) var request: String?
    /// Captured raw so that `-10` is read as an amount, not as an option.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The signed amount: +25 or -10.", valueName: "amount")) var amounts: [String] = []

    func run() throws {
        guard amounts.count == 1, let amount = amounts.first else {
            throw CLIFailure.usage("give exactly one signed amount, e.g. `adjust acme +25 --reason \"...\"` (got \(amounts.count))")
        }
        let credits = try CreditsArgument.adjustment(amount)
        try CommandRunner.submit(.adjust(workspace: workspace, amount: credits, reason: reason, request: request), ledger: ledger, output: output)
    }
}

struct GrantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Grant promotional or trial credits, optionally expiring (support only; S3).",
        discussion: "With --request, the grant is recorded once per request id in the workspace (R26): a repeat exits 0 and says it was already recorded (JSON key `request`).")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String
    /// Captured raw so that `-5` is read (and refused) as an amount, not as an option.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("How many credits.", valueName: "amount")) var amounts: [String] = []
    @Option(help: "promo or trial.") var kind: String
    @Option(help: "Why (required).") var reason: String
    @Option(help: "When the credits expire (ISO 8601, UTC).") var expires: String?
    @Option(help: ArgumentHelp("A request id: recorded once per workspace, so a retry never grants twice (R26).", valueName: "id")) var request: String?

    func run() throws {
        let amount = try OneArgument.value(amounts, named: "amount", example: "grant acme 100 --kind promo --reason \"...\"")
        let credits = try NumberArgument.whole(amount, .grantAmount)
        guard let source = GrantSource(rawValue: kind), source != .plan else {
            throw CLIFailure.usage("--kind must be promo or trial")
        }
        var expiry: Timestamp?
        if let expires {
            guard let parsed = Timestamp(iso8601: expires) else {
                throw CLIFailure.usage("--expires \"\(expires)\" is not an ISO 8601 time")
            }
            try RunEnvironment.recordable(parsed, option: "--expires", text: expires)
            expiry = parsed
        }
        try CommandRunner.submit(.grant(workspace: workspace, amount: credits, source: source, reason: reason, expires: expiry,
                                        request: request),
                                 ledger: ledger, output: output)
    }
}

/// Parses amounts typed on the command line.
enum CreditsArgument {
    /// R19: `+25`, `-10`, `25` → the signed amount; anything else is a bad command line (64), and
    /// an amount past what one adjustment moves, however many digits, the rule's refusal (1).
    static func adjustment(_ text: String) throws(CLIFailure) -> Credits {
        let negative = text.hasPrefix("-")
        let magnitude = negative || text.hasPrefix("+") ? String(text.dropFirst()) : text
        let field = NumberArgument.Field(name: "the amount", shape: "a signed whole number such as +25 or -10", range: 0...Engine.adjustmentMax) { _ in
            "invalid amount \(text): at most \(CountText.credits(Engine.adjustmentMax)) at once"
        }
        guard !magnitude.isEmpty, magnitude.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .usage("the amount \"\(text)\" must be \(field.shape)")
        }
        let credits = try NumberArgument.whole(magnitude, field)
        return negative ? -credits : credits
    }
}
