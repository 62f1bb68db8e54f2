import ArgumentParser
import CreditKit

/// `hold WS ACTION --job ID [--ttl DURATION]`: reserves a job's cost against the available
/// balance until `charge` captures it, `job-failed` releases it or its time to live runs out (R35).
struct HoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold",
        abstract: "Reserve a long job's cost against the available balance (owner or member; R35, R8).",
        discussion: """
        The available balance is the balance less what holds reserve; a hold it cannot cover is \
        refused (exit 1) with the cost, the available balance and the shortfall. `charge` of the job \
        captures the hold (one charge entry), `job-failed` releases it, and a hold past its time to \
        live releases itself by an entry the next time the workspace is written. Holding a job \
        again exits 0 and names the hold; holding a job that was charged is refused.
        """)
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String
    @Argument(help: "The action id: ai_graphic, ai_vectorize, print_file (image in the sofia catalog).") var action: String
    @Option(help: "The job id (the same id `charge` and `job-failed` give).") var job: String
    @Option(parsing: .unconditional, help: ArgumentHelp("How long the hold lasts: 90s, 15m, 2h or seconds (default 1h, at most 24h).", valueName: "duration"))
    var ttl: String?

    func run() throws {
        let seconds = try ttl.map { (text) throws(CLIFailure) in try DurationArgument.seconds(text) }
        try CommandRunner.submit(.hold(workspace: workspace, action: action, job: job, ttlSeconds: seconds), ledger: ledger, output: output)
    }
}

/// `void WS SEQ --reason TEXT`: removes the unspent remainder of one grant (support only; R36).
struct VoidCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "void",
        abstract: "Remove the unspent remainder of one grant, with a reason (support only; R36).",
        discussion: """
        Writes a void entry of minus what is left of grant SEQ, pointing at it (`ref`); what was \
        spent stays spent, and the burn order (S3) decides what is left. Voiding a grant twice, \
        or one with nothing left, is refused (exit 1).
        """)
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String
    /// Captured raw so that `-1` is read (and refused) as a seq, not as an option.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The seq of the grant (as `history` shows it: 42 or #42).", valueName: "seq")) var seqs: [String] = []
    @Option(help: "Why (required; recorded in the history).") var reason: String

    func run() throws {
        try CommandRunner.submit(.void(workspace: workspace, seq: try EntrySeqArgument.number(OneArgument.value(seqs, named: "seq", example: "void acme 42 --reason \"...\"")), reason: reason), ledger: ledger, output: output)
    }
}

/// Parses a duration typed on the command line.
enum DurationArgument {
    /// `90s`, `15m`, `2h`, `3600` → seconds; a sign, fraction or word is a bad command line (64),
    /// and a duration outside R35's range, however many digits it has, its refusal (1).
    static func seconds(_ text: String) throws(CLIFailure) -> Int64 {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3_600]
        var digits = Substring(text)
        var unit: Int64 = 1
        if let last = digits.last, let scale = units[last] { unit = scale; digits = digits.dropLast() }
        let field = NumberArgument.Field.ttl
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw NumberArgument.shape(text, field) }
        guard let number = Int64(digits), case let (seconds, false) = number.multipliedReportingOverflow(by: unit),
              field.range.contains(seconds) else { throw NumberArgument.outOfRange(text, field) }
        return seconds
    }
}
