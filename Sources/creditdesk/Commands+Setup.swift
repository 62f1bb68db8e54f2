import ArgumentParser
import CreditKit
import Foundation
import LedgerCore
import LedgerStore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty ledger; the caller becomes its first support agent.",
        discussion: "The catalog is copied into the ledger, so the ledger always prices with the catalog it was made with. With --now (or CREDITDESK_NOW) the ledger runs on a test clock and takes --now from anyone; without, it runs on the real clock (R27).")

    @OptionGroup var ledger: LedgerOptions
    @Option(help: ArgumentHelp("A shipped catalog (konfiwear, sofia) or the path of a catalog file.", valueName: "name|path"))
    var catalog = "konfiwear"

    func run() throws {
        let path = try RunEnvironment.catalogPath(catalog)
        let context = try ledger.context()
        let bytes: [UInt8]
        bytes = try readFile(path)
        let location = try ledger.location()
        do {
            let clock: LedgerClock = RunEnvironment.nowGiven(ledger.now) ? .test : .real
            let created = try LedgerBackend.create(location, catalogBytes: bytes, catalogSource: path,
                                                actor: context.actor, time: context.time, clock: clock)
            // The init record is durable: a standard output that fails from here is a warning.
            Console.committed = true
            Console.print("created a ledger in \(created.location) with catalog \(created.state.catalog.id); \(context.actor) is its support agent"
                + (clock == .test ? "; it runs on a test clock (--now)" : ""))
        } catch {
            throw CLIFailure.ledger(error)
        }
    }

    private func readFile(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIFailure(status: 2, message: "cannot read catalog \(path)")
        }
        return Array(data)
    }
}

struct OperatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator", abstract: "Manage the ledger's operators.", subcommands: [Add.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a support agent (support only, R18).")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The operator's name.") var name: String
        @Option(help: "The role to give: support.") var role: String = "support"

        func run() throws {
            guard role == Role.support.rawValue else {
                throw CLIFailure.usage("--role must be support (owners and members belong to workspaces: see `workspace create` and `workspace add-member`)")
            }
            try CommandRunner.submit(.addOperator(name: name, role: .support), ledger: ledger, output: output)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Remove a support agent, with a reason (support only, R42).",
            discussion: "The agent can no longer browse or act on the ledger; on PostgreSQL their role loses the desk. The last support agent stays (add another first); an agent may remove themselves while another remains. A repeat by a support agent says it was already removed (exit 0); the removed agent, no longer support, is refused (exit 1). `operator add` brings them back.")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The support agent's name.") var name: String
        @Option(help: "Why they are removed (one line, recorded in the journal).") var reason: String

        func run() throws {
            try CommandRunner.submit(.removeOperator(name: name, reason: reason), ledger: ledger, output: output)
        }
    }
}

/// `grant-access NAME`: on PostgreSQL, grants a person the ledger already has (a workspace's
/// owner, a member, an operator) the privileges a desk needs, once a DBA created their login role.
struct GrantAccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant-access",
        abstract: "Give a person's PostgreSQL role what a desk needs (support only; PostgreSQL ledgers).",
        discussion: "For a person the ledger already names whose login role was created later, e.g. a workspace's owner made with `workspace create --owner sam` before a DBA ran CREATE ROLE sam LOGIN. `workspace add-member` and `operator add` grant the role themselves. Idempotent. Refused (exit 1) from anyone but support, for a name the ledger does not know or a role the server lacks, and on a file ledger.")

    @OptionGroup var ledger: LedgerOptions
    @Argument(help: "The person's name, which is their database role.") var name: String

    func run() throws {
        let opened = try ledger.open()
        try LedgerBackend.grantAccess(name, on: opened)
        Console.print("granted \(name) a desk on \(opened.location): it sees and acts on its own workspaces (R18)")
    }
}

struct WorkspaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspace", abstract: "Create, list and staff workspaces.",
        subcommands: [Create.self, AddMember.self, RemoveMember.self, List.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a workspace (support only).")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The workspace id: lowercase letters, digits, '-', '_', '.'.") var workspace: String
        @Option(help: "The display name.") var name: String
        @Option(help: "The owner's name (their email address, if it is one, receives the alerts).") var owner: String
        @Option(help: "starter, pro or enterprise.") var plan: String
        @Flag(help: "Start in a free trial (no invoices, so no grants: R12).") var trial = false

        func run() throws {
            try CommandRunner.submit(.createWorkspace(id: workspace, name: name, owner: owner, plan: plan, trial: trial),
                                     ledger: ledger, output: output)
        }
    }

    struct AddMember: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-member", abstract: "Add a member to a workspace (owner or support; R17).")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The workspace id.") var workspace: String
        @Argument(help: "The member's name.") var name: String

        func run() throws {
            try CommandRunner.submit(.addMember(workspace: workspace, member: name), ledger: ledger, output: output)
        }
    }

    struct RemoveMember: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove-member", abstract: "Remove a member from a workspace, with a reason (owner or support; R42).",
            discussion: "The member can no longer see or act on the workspace, and their monthly limit (R40) ends; their past entries stay in the history. The owner cannot be removed. A repeat says it was already removed (exit 0); `workspace add-member` adds them again, afresh.")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The workspace id.") var workspace: String
        @Argument(help: "The member's name.") var name: String
        @Option(help: "Why they are removed (one line, recorded in the journal).") var reason: String

        func run() throws {
            try CommandRunner.submit(.removeMember(workspace: workspace, member: name, reason: reason), ledger: ledger, output: output)
        }
    }

    struct List: ParsableCommand, LedgerReading {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List workspaces: support sees all, others their own.")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try Self.show(ledger: ledger, json: output.json)
        }

        /// Prints the workspaces the actor may see (R18), each brought up to now; the command's
        /// whole work, whichever reader read its command line.
        static func show(ledger: some LedgerChoosing, json: Bool) throws(CLIFailure) {
            let opened: any Ledger
            let location = try ledger.location()
            do { opened = try LedgerBackend.openForSummaries(location) } catch { throw .ledger(error) }
            for note in LedgerBackend.openingNotes(opened) { Console.note(note) }
            let actor = ledger.actorName
            // S3: each row brought up to now, as `balance` shows it.
            let now = try ledger.readTime(for: opened)
            let state = opened.state
            let viewer = state.person(actor)
            // Support sees every row: read in place from the checkpoint when it can be.
            if json, viewer.isSupport, let file = opened as? FileLedger, let read = file.summaryRows(broughtUpTo: now) {
                var json = JSONTextWriter(capacity: read.rows.count * JSONTextWriter.workspaceRowBytes)
                json.beginArray()
                for row in read.rows { ContractJSON.writeWorkspaceRow(row, of: read, state: state, to: &json) }
                json.endArray()
                Console.writeLine(json: json.bytes)
                return
            }
            let all = opened.workspaceSummaries(broughtUpTo: now)
            let rows = all.filter { Permissions.allows(.seeWorkspace, by: viewer, in: WorkspacePeople($0)) }
            if json {
                var json = JSONTextWriter(capacity: rows.count * JSONTextWriter.workspaceRowBytes)
                json.beginArray()
                for row in rows { ContractJSON.writeWorkspaceRow(row, state: state, to: &json) }
                json.endArray()
                Console.writeLine(json: json.bytes)
                return
            }
            Console.print(TextTable.workspaces(rows, state: state, unicode: Console.unicode))
        }
    }
}
