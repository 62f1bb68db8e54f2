import ArgumentParser
import CreditKit
import LedgerCore

/// `member-limit set|off|show`: members' monthly spending limits inside a workspace's pool (R40).
struct MemberLimitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member-limit",
        abstract: "Set, lift or show members' monthly spending limits (owner or support; R40).",
        discussion: """
        A member's charge, clone or hold beyond what is left of their limit this calendar month \
        (UTC) is refused (exit 1) with what is left; refunds of their charges give it back.
        """,
        subcommands: [Set.self, Off.self, Show.self], defaultSubcommand: Show.self)

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Limit what a member may spend a month (owner or support; R40).")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The workspace id.") var workspace: String
        @Argument(help: "The member's name (or the owner's).") var member: String
        /// Captured raw so that `-1` is read (and refused) as an amount, not as an option.
        @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Credits a month, 0 to 100,000,000.", valueName: "credits")) var credits: [String] = []

        func run() throws {
            let amount = try NumberArgument.whole(try OneArgument.value(credits, named: "credits a month", example: "member-limit set acme lee 200"),
                                                  .memberLimit)
            try CommandRunner.submit(.memberLimit(workspace: workspace, member: member, credits: amount), ledger: ledger, output: output)
        }
    }

    struct Off: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "off", abstract: "Lift a member's monthly limit (owner or support; R40).")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The workspace id.") var workspace: String
        @Argument(help: "The member's name.") var member: String

        func run() throws {
            try CommandRunner.submit(.memberLimit(workspace: workspace, member: member, credits: nil), ledger: ledger, output: output)
        }
    }

    struct Show: ParsableCommand, LedgerReading {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Each limited member's limit, spend this month, held and left (support, owner or members; R40).")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The workspace id.") var workspace: String

        func run() throws {
            let opened = try ledger.open(workspaces: [workspace])
            let now = try ledger.readTime(for: opened)
            let state = opened.state
            guard let ws = Engine.bringUp(workspace, in: state, to: now)?.workspace else { throw CLIFailure.refused(.unknownWorkspace(workspace)) }
            if let refusal = Permissions.refusal(.seeWorkspace, by: state.person(ledger.actorName), in: WorkspacePeople(ws)) {
                throw CLIFailure.refused(refusal)
            }
            // R40 as of `now`: the month's spend is read from the history, so a past time shows its own month.
            let spent: [MemberSpend]
            do { spent = try opened.memberSpend(of: ws.id, asOf: now) } catch { throw CLIFailure.ledger(error) }
            let standings = ws.limitStandings(spent: spent)
            if output.json {
                Console.print(JSONValue.array(standings.map { standing in
                    var object = JSONObjectBuilder()
                    object.add("member", standing.member)
                    object.add("limit", standing.limit)
                    object.add("spent", standing.spent)
                    object.add("held", standing.held)
                    object.add("left", standing.left)
                    object.add("month", String(now.monthStart.isoDate.prefix(7)))
                    return object.value
                }).text)
                return
            }
            guard !standings.isEmpty else {
                Console.print("no monthly limits in \(ws.id): every member spends from the pool freely")
                return
            }
            Console.print("monthly limits in \(ws.id), \(now.monthStart.isoDate) to now")
            for standing in standings {
                Console.print("  \(FreeText.shown(standing.member)): \(AmountFormat.grouped(standing.spent)) of \(AmountFormat.grouped(standing.limit)) spent"
                              + (standing.held > 0 ? ", \(AmountFormat.grouped(standing.held)) held" : "")
                              + ", \(AmountFormat.grouped(standing.left)) left")
            }
        }
    }
}
