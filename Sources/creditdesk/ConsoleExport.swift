import ConsoleUI
import CreditKit
import Foundation
import LedgerStore

/// The console's "export what you see": the credit entries of the open history or Activity,
/// filtered as on screen, written oldest first to the file named on the prompt with the same
/// formatting as `export` (CSV per RFC 4180 with formula cells defused, or an hledger journal).
/// A file that exists is never replaced unless the request says so (the person said `y`).
enum ConsoleExport {
    static func perform(_ request: ExportRequest, ledger: FileLedger, search: (String, [Entry]) -> [Entry]) -> ExportOutcome {
        let path = expand(request.path)
        let flags = O_WRONLY | O_CREAT | (request.overwrite ? O_TRUNC : O_EXCL)
        let descriptor = open(path, flags | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { return .exists(path: request.path) }
            return .failed("cannot write \(request.path): \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            let entries = try self.entries(request.view, ledger: ledger, search: search)
            var failed: Error?
            var writer = ExportWriter(format: request.format == .csv ? .csv : .hledger, catalog: ledger.state.catalog) { text in
                guard failed == nil else { return }
                do { try handle.write(contentsOf: Data(text.utf8)) } catch { failed = error }
            }
            writer.begin()
            for entry in entries { writer.write(entry) }
            writer.finish()
            if let failed { throw failed }
            try handle.synchronize()
            return .written(path: request.path, entries: entries.count)
        } catch {
            return .failed("export to \(request.path) failed: \(error)")
        }
    }

    /// The view's credit entries, oldest first.
    static func entries(_ view: ExportView, ledger: FileLedger, search: (String, [Entry]) -> [Entry]) throws -> [Entry] {
        switch view {
        case let .history(workspace, kind, text):
            let all = try ledger.history(of: workspace, kinds: kind.map { [$0] }, limit: nil)
            return search(text, all).reversed()
        case .activity(let filter):
            var out: [Entry] = []
            let catalog = ledger.state.catalog
            try ledger.forEachEntry { entry in
                if entry.kind.movesCredits && filter.matches(entry, catalog: catalog) { out.append(entry) }
            }
            return out
        }
    }

    /// `~/x.csv` in the home folder; a relative name from where the console was started.
    static func expand(_ path: String) -> String {
        guard path.hasPrefix("~/"), let home = RunEnvironment.variables["HOME"] else { return path }
        return home + String(path.dropFirst(1))
    }
}
