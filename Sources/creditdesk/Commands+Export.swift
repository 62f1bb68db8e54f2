import ArgumentParser
import ConsoleUI
import CreditKit
import Foundation
import LedgerCore

struct ExportCommand: ParsableCommand, LedgerReading {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the credit entries of one workspace, or all (support), to standard output or a file (--out).",
        discussion: "hledger: a journal hledger 1.25 loads; `hledger -f FILE bal workspaces` gives the same balances as `workspace list`.")
    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, jsonl, hledger }
    @OptionGroup var ledger: LedgerOptions
    @Argument(help: "Only this workspace.") var workspace: String?
    @Option(help: "csv, jsonl or hledger.") var format: Format
    @Option(help: ArgumentHelp("Write to this file instead of standard output (`-`: standard output): a new file (0600) or a regular file it replaces; a FIFO, a device, a directory, or a name inside the ledger's folder or one of its files is refused (64).", valueName: "file"))
    var out: String?

    func run() throws {
        let opened = try ledger.open(workspaces: Set(workspace.map { [$0] } ?? []))
        let state = opened.state
        let actor = ledger.actorName
        if let workspace {
            guard let ws = state.workspaces[workspace] else { throw CLIFailure.refused(.unknownWorkspace(workspace)) }
            if let refusal = Permissions.refusal(.exportWorkspace, by: state.person(actor), in: WorkspacePeople(ws)) {
                throw CLIFailure.refused(refusal)
            }
        } else if let refusal = Permissions.refusal(.exportAll, by: state.person(actor), in: nil) {
            throw CLIFailure.refused(refusal)
        }
        let due = try dueExpiries(opened, at: try ledger.readTime(for: opened))
        // Written beside the file and put in place only once whole: a read that fails halfway
        // (a damaged record) leaves the file as it was, and `finish` publishes it.
        let file = try openOut()
        defer { file?.staged.discard() }
        var writer = file.map { file in ExportWriter(format: format, catalog: state.catalog) { file.write($0) } }
            ?? ExportWriter(format: format, catalog: state.catalog)
        writer.begin()
        do {
            try opened.forEachEntry { entry in
                guard entry.kind.movesCredits, workspace == nil || entry.workspace == workspace else { return }
                writer.write(entry)
            }
        } catch let error as LedgerError {
            throw CLIFailure.ledger(error)
        }
        for entry in due { writer.write(entry, pending: true) }
        writer.finish()
        if let file, let problem = file.finish() { throw CLIFailure.refused(ExportFile.message(problem, path: file.path)) }
    }

    /// The file `--out` names, opened for writing (`ExportFile`: a regular file only, never
    /// blocking); nil for standard output (no `--out`, or `-`).
    private func openOut() throws(CLIFailure) -> ExportFile.Output? {
        guard let out, out != "-" else { return nil }
        switch ExportFile.stage(out, overwrite: true, ledger: try ledger.location()) {
        case .success(let staged): return ExportFile.Output(staged: staged, path: out)
        case .failure(let problem):
            let message = ExportFile.message(problem, path: out)
            switch problem {
            case .notRegular, .insideLedger: throw CLIFailure.usage("--out: " + message)
            case .exists, .system: break
            }
            throw CLIFailure.refused(message)
        }
    }

    /// S3: the expiries due by `now` and not yet written, of the exported workspaces, numbered
    /// on from the journal's last record; the export ends with them, marked pending.
    private func dueExpiries(_ opened: any Ledger, at now: Timestamp) throws(CLIFailure) -> [Entry] {
        let ids = workspace.map { [$0] } ?? opened.workspaceSummaries().filter { $0.hasDueExpiry(at: now) }.map(\.id)
        // The workspaces with credits due are loaded together, in one read of the checkpoint and tail.
        let state: LedgerState
        let location = try ledger.location()
        do {
            state = workspace != nil || ids.isEmpty ? opened.state : try LedgerBackend.open(location, workspaces: Set(ids)).state
        } catch {
            throw CLIFailure.ledger(error)
        }
        var due: [Entry] = []
        for id in ids { due += Engine.bringUp(id, in: state, to: now)?.expiries ?? [] }
        for index in due.indices { due[index].seq = opened.state.lastSeq + 1 + Int64(index) }
        return due
    }
}

/// Formats credit entries as CSV, JSON Lines or an hledger journal, streaming to standard output.
struct ExportWriter {
    var format: ExportCommand.Format
    var catalog: Catalog
    private var buffer = ""
    /// Where the text goes: standard output, or a file the console names.
    private let sink: (String) -> Void

    init(format: ExportCommand.Format, catalog: Catalog, sink: @escaping (String) -> Void = { Console.write($0) }) {
        self.format = format; self.catalog = catalog; self.sink = sink
    }

    static let csvColumns = ["seq", "time", "workspace", "kind", "credits", "balance", "actor", "action", "job", "item",
                             "pack", "price_cents", "invoice", "source", "expires", "ref", "rollover", "reason", "pending"]

    mutating func begin() {
        switch format {
        case .csv: emit(Self.csvColumns.joined(separator: ","))
        case .jsonl: break
        case .hledger:
            emit("; CreditDesk export, catalog \(catalog.id). Amounts in credits (CR).")
            emit("; hledger -f FILE bal workspaces   gives each workspace's balance.")
            emit("commodity 1,000. CR")
            emit("")
        }
    }

    /// One credit entry; `pending` for a due expiry not yet written (S3).
    mutating func write(_ entry: Entry, pending: Bool = false) {
        switch format {
        case .csv:
            let head = [String(entry.seq), entry.time.iso8601]
            let texts: [String?] = [entry.workspace, entry.kind.rawValue]
            let amounts = [String(entry.credits), entry.balance.map(String.init) ?? ""]
            let more: [String?] = [entry.actor, entry.action, entry.job, entry.item, entry.pack]
            let price = [entry.priceCents.map(String.init) ?? ""]
            let rest: [String?] = [entry.invoice, entry.source?.rawValue, entry.expires?.iso8601]
            let numbers = [entry.ref.map(String.init) ?? "", entry.rollover.map(String.init) ?? ""]
            let cells = head + texts.map(csvText) + amounts + more.map(csvText) + price + rest.map(csvText) + numbers + [csvText(entry.reason), pending ? "true" : ""]
            emit(cells.joined(separator: ","))
        case .jsonl:
            emit(ContractJSON.entry(entry, pending: pending).text)
        case .hledger:
            writeHledger(entry, pending: pending)
        }
        if buffer.utf8.count > 1 << 16 { flush() }
    }

    mutating func finish() { flush() }

    /// The account an entry's credits come from or go to: each kind its own (`spent:expired`,
    /// `spent:voided`, `earned:topups`…), so no kind hides under another's name.
    static func hledgerCounterAccount(_ entry: Entry) -> String {
        switch entry.kind {
        case .grant: return "earned:grants:" + (entry.source?.rawValue ?? "plan")
        case .topup: return "earned:topups"
        case .adjustment: return entry.credits >= 0 ? "earned:adjustments" : "spent:adjustments"
        case .charge: return "spent:charges:" + (entry.action ?? "other")
        case .refund: return "spent:refunds"
        case .expiry: return "spent:expired"
        case .void: return "spent:voided"
        default: return (entry.credits >= 0 ? "earned:" : "spent:") + entry.kind.rawValue
        }
    }

    /// A transaction; a pending one carries hledger's pending mark `!` instead of `*`. An entry
    /// that moves no credits (a hold or its release reserves, a zero grant) is a comment line,
    /// never a 0-amount posting, so hledger's balances stay those of `workspace list`.
    private mutating func writeHledger(_ entry: Entry, pending: Bool) {
        let workspace = "workspaces:" + (entry.workspace ?? "unknown")
        let counter = Self.hledgerCounterAccount(entry)
        let description = hledgerText("\(entry.kind.rawValue) · \(entry.what(catalog: catalog))")
        let note = "seq:\(entry.seq), time:\(entry.time.iso8601), actor:\(hledgerText(entry.actor))"
        guard entry.credits != 0 else {
            emit("; \(entry.time.isoDate) \(description) in \(workspace), no credits moved  ; \(note)")
            emit("")
            return
        }
        emit("\(entry.time.isoDate) \(pending ? "!" : "*") \(description)  ; \(note)")
        emit("    \(workspace)  \(entry.credits) CR")
        emit("    \(counter)  \(-entry.credits) CR")
        emit("")
    }

    /// Text for one hledger line: a line break would start a posting or a directive, so every
    /// steering character shows as U+FFFD (`FreeText.shown`); `;` (comment) and `|` (payee
    /// separator) are replaced too.
    func hledgerText(_ text: String) -> String {
        String(FreeText.shown(text).map { $0 == ";" ? "," : ($0 == "|" ? "/" : $0) })
    }

    /// The characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
    static let csvFormulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// One CSV cell of text (RFC 4180): steering characters shown as U+FFFD, a cell that a
    /// spreadsheet would read as a formula prefixed with `'`, quoted when it must be.
    func csvText(_ value: String?) -> String {
        guard let value, let first = value.first else { return "" }
        let formula = Self.csvFormulaStarts.contains(first)
        let text = FreeText.shown(formula ? "'" + value : value)
        guard formula || text.contains(where: { $0 == "," || $0 == "\"" || $0 == ";" }) else { return text }
        return "\"" + text.replacingOccurrences("\"", "\"\"") + "\""
    }

    private mutating func emit(_ line: String) {
        buffer += line
        buffer += "\n"
    }

    private mutating func flush() {
        guard !buffer.isEmpty else { return }
        sink(buffer)
        buffer = ""
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation needed).
    func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }

    /// Pads on the right to `width` terminal cells (`CellWidth`: a CJK character or an emoji takes two).
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - CellWidth.of(self))) }

    /// Pads on the left to `width` terminal cells.
    func leftPadding(_ width: Int) -> String { String(repeating: " ", count: max(0, width - CellWidth.of(self))) + self }
}
