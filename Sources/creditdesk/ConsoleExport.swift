import ConsoleUI
import CreditKit
import Foundation
import LedgerCore
import LedgerStore

/// The console's "export what you see": the credit entries of the open history or Activity,
/// filtered as on screen, written oldest first to the file named on the prompt with the same
/// formatting as `export` (CSV per RFC 4180 with formula cells defused, or an hledger journal).
/// A file that exists is never replaced unless the request says so (the person said `y`); only
/// a regular file is written (`ExportFile`), and never one inside the ledger's own folder.
enum ConsoleExport {
    static func perform(_ request: ExportRequest, ledger: any Ledger, search: (String, [Entry]) -> [Entry]) -> ExportOutcome {
        let file: ExportFile.Output
        let location = (ledger as? FileLedger).map { LedgerLocation.directory($0.paths.directory) }
        switch ExportFile.stage(expand(request.path), overwrite: request.overwrite, ledger: location) {
        case .success(let staged): file = ExportFile.Output(staged: staged, path: request.path)
        case .failure(.exists): return .exists(path: request.path)
        case .failure(let problem): return .failed(ExportFile.message(problem, path: request.path))
        }
        // Written beside the file and put in place only once whole (`ExportFile.stage`).
        defer { file.staged.discard() }
        do {
            var writer = ExportWriter(format: request.format == .csv ? .csv : .hledger, catalog: ledger.state.catalog) { file.write($0) }
            writer.begin()
            var count = 0
            try forEach(request.view, ledger: ledger, search: search) { entry in
                writer.write(entry)
                count += 1
            }
            writer.finish()
            if let problem = file.finish() {
                return problem == .exists ? .exists(path: request.path) : .failed(ExportFile.message(problem, path: request.path))
            }
            return .written(path: request.path, entries: count)
        } catch {
            return .failed("export to \(request.path) failed: \(error)")
        }
    }

    /// Calls `body` with the view's credit entries, oldest first: a history's through its index,
    /// Activity's streamed from the journal (never all held at once).
    static func forEach(_ view: ExportView, ledger: any Ledger, search: (String, [Entry]) -> [Entry],
                        _ body: (Entry) -> Void) throws {
        switch view {
        case let .history(workspace, kind, text):
            let all = try ledger.history(of: workspace, kinds: kind.map { [$0] }, limit: nil)
            search(text, all).reversed().forEach(body)
        case .activity(let filter):
            let catalog = ledger.state.catalog
            try ledger.forEachEntry { entry in
                if entry.kind.movesCredits && filter.matches(entry, catalog: catalog) { body(entry) }
            }
        }
    }

    /// `~/x.csv` in the home folder; a relative name from where the console was started.
    static func expand(_ path: String) -> String {
        guard path.hasPrefix("~/"), let home = RunEnvironment.variables["HOME"] else { return path }
        return home + String(path.dropFirst(1))
    }
}
