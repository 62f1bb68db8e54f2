import ArgumentParser
import CreditKit
import LedgerCore

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Change the plan; the next paid invoice grants the new plan's amount, nothing is clawed back (owner or support; R13).",
        discussion: "On a cancelled workspace, choosing a plan resubscribes it.")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String
    @Argument(help: "starter, pro or enterprise.") var plan: String

    func run() throws {
        try CommandRunner.submit(.changePlan(workspace: workspace, plan: plan), ledger: ledger, output: output)
    }
}

struct TrialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trial", abstract: "Start or end a free trial (owner or support; R12).")
    enum Step: String, ExpressibleByArgument, CaseIterable { case start, end }
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String
    @Argument(help: "start or end.") var step: Step

    func run() throws {
        let command: Command = step == .start ? .startTrial(workspace: workspace) : .endTrial(workspace: workspace)
        try CommandRunner.submit(command, ledger: ledger, output: output)
    }
}

struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel the subscription; the balance stays usable (owner or support; R14).")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String

    func run() throws {
        try CommandRunner.submit(.cancel(workspace: workspace), ledger: ledger, output: output)
    }
}

struct CopilotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copilot",
        abstract: "Record Copilot messages against the plan's monthly allowance; never touches credits (owner or member; R9).")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String
    @Option(parsing: .unconditional, help: ArgumentHelp("How many messages.", valueName: "count")) var messages: String = "1"

    func run() throws {
        let count = try NumberArgument.whole(messages, .messages)
        try CommandRunner.submit(.copilot(workspace: workspace, messages: count), ledger: ledger, output: output)
    }
}
