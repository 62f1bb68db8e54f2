import ArgumentParser
import CreditKit

/// `reverse WS SEQ --reason TEXT`: undoes a mistaken adjustment or grant by a linked adjustment
/// (support only; R34). A second reversal of the same entry answers with the first (exit 0).
struct ReverseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reverse",
        abstract: "Undo a mistaken adjustment or grant by a linked entry with a reason (support only; R34).",
        discussion: """
        Writes an adjustment of the opposite amount that carries `reverses` (the entry's seq); \
        `history` then shows both. Charges are refunded with `job-failed` and top-ups are not \
        reversed; a reversal that would take the balance below zero is refused (exit 1). \
        Reversing an entry twice changes nothing and names the first reversal (exit 0).
        """)
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String
    /// Captured raw so that `-1` is read (and refused) as a seq, not as an option.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The seq of the entry to reverse (as `history` shows it: 42 or #42).", valueName: "seq")) var seqs: [String] = []
    @Option(help: "Why (required; recorded in the history).") var reason: String

    func run() throws {
        try CommandRunner.submit(.reverse(workspace: workspace, seq: try EntrySeqArgument.number(OneArgument.value(seqs, named: "seq", example: "reverse acme 42 --reason \"...\"")), reason: reason), ledger: ledger, output: output)
    }
}
