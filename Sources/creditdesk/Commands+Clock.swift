import ArgumentParser
import CreditKit
import LedgerCore

struct ClockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clock",
        abstract: "The ledger's clock: which one it runs on, and putting it back after a record dated in the future (R27).",
        subcommands: [Show.self, Reset.self], defaultSubcommand: Show.self)

    struct Show: ParsableCommand, LedgerReading {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Say which clock the ledger runs on and when its last record is dated.")
        @OptionGroup var ledger: LedgerOptions

        func run() throws {
            let opened = try ledger.open(workspaces: [])
            let real = RunEnvironment.realNow
            Console.print("this ledger runs on the \(opened.clock == .test ? "test clock (--now from anyone)" : "real clock (--now only from support, within \(ClockPolicy.toleranceSeconds / 60) minutes)")")
            guard let last = opened.state.lastTime else { return }
            Console.print("last record #\(opened.state.lastSeq) is dated \(last); the machine's clock reads \(real)")
            if last.secondsSinceEpoch > real.secondsSinceEpoch + ClockPolicy.toleranceSeconds {
                Console.print("the last record is in the future: writes on the real clock are refused until support runs `creditdesk clock reset --reason TEXT`")
            }
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset",
            abstract: "Put the ledger's clock back to now after a record dated in the future (support only; R27).",
            discussion: """
            Records a `clock_reset` entry, dated now, with the reason and the record it puts the clock back \
            behind; nothing is edited or removed. Later records are dated from it, so writes on the real \
            clock work again. Exit 0 with nothing written when the clock is not ahead.
            """)
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Why the clock is put back (required; recorded).") var reason: String

        func run() throws {
            try CommandRunner.submit(.resetClock(reason: reason), ledger: ledger, output: output)
        }
    }
}
