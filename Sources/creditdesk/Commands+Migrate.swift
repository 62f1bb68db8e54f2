import ArgumentParser
import CreditKit
import Foundation
import LedgerCore

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy the whole ledger, record for record, into an empty ledger of either kind (a folder or a PostgreSQL database).",
        discussion: """
        --to DIR makes a new ledger folder (DIR must not exist, or be empty, and lie outside the ledger); --to URL fills an empty \
        PostgreSQL database (no creditdesk schema yet): its schema, and every table as CreditDesk's own \
        writes fill them. Every line is copied as it is, checked as it goes (its hash, its link to the one \
        before, the fold), so both ledgers verify to the same head SEQ:HASH and export the same JSON Lines. \
        All or nothing: a folder is built beside DIR and renamed onto it when whole; a database is filled \
        in one transaction. The source is only read. A target that is not empty is refused (exit 1), \
        nothing changed. On PostgreSQL every operator and member the ledger names must exist as a role \
        (CREATE ROLE name LOGIN) before the copy.
        """)
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("The new ledger: a directory, or a postgresql:// URL of an empty database.", valueName: "dir-or-url"))
    var to: String

    func run() throws {
        let source = try ledger.location()
        let target = try LedgerBackend.location(to)
        guard !Self.same(source, target) else {
            throw CLIFailure.usage("migrate --to names the ledger it copies from (\(source.text)); give a new folder or an empty database")
        }
        if case .directory(let path) = target, LedgerBackend.holds(path, ledger: source) {
            throw CLIFailure.usage("migrate --to \(path) is inside the ledger it copies from (\(source.text)); give a folder outside it; nothing was written")
        }
        let began = Date()
        let report: MigrationReport
        do { report = try LedgerBackend.migrate(from: source, to: target) } catch { throw CLIFailure.ledger(error) }
        Console.committed = true
        let seconds = Date().timeIntervalSince(began)
        let state = report.state
        let head = "\(state.lastSeq):\(state.lastHash)"
        if output.json {
            var object = JSONObjectBuilder()
            object.add("from", source.text)
            object.add("to", target.text)
            object.add("records", state.lastSeq)
            object.add("workspaces", state.workspaces.count)
            object.add("head_seq", state.lastSeq)
            object.add("head_hash", state.lastHash)
            object.add("head", head)
            object.add("milliseconds", Int64((seconds * 1000).rounded()))
            object.add("left_out_records", report.leftOut)
            Console.print(object.value.text)
            return
        }
        let records = "\(state.lastSeq) record\(state.lastSeq == 1 ? "" : "s")"
        let workspaces = "\(state.workspaces.count) workspace\(state.workspaces.count == 1 ? "" : "s")"
        Console.print("migrated \(records) (\(workspaces)) from \(source.text) to \(target.text) in \(String(format: "%.1f", seconds)) s; head \(head)")
        if report.leftOut > 0 {
            Console.print("note: \(CountText.count(report.leftOut, "record")) of a half-written last commit \(report.leftOut == 1 ? "was" : "were") left out, as a writer cuts them back")
        }
    }

    /// Whether two locations name one ledger: folders compared as absolute paths with `.`, `..`,
    /// trailing slashes and symbolic links resolved (`L`, `./L/` and `$PWD/L` are one folder).
    static func same(_ one: LedgerLocation, _ other: LedgerLocation) -> Bool {
        guard case .directory(let a) = one, case .directory(let b) = other else { return one.text == other.text }
        func resolved(_ path: String) -> String {
            URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        }
        return resolved(a) == resolved(b)
    }
}
