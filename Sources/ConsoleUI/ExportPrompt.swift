import CreditKit

/// Which view an export writes: the open history with its kind filter and search, or the
/// Activity screen with its filter. Only credit entries are written, oldest first, as `export` does.
public enum ExportView: Hashable, Sendable {
    case history(workspace: String, kind: EntryKind?, search: String)
    case activity(EntryFilter)
}

/// The file formats a view is exported in, chosen by the file's name.
public enum ExportFormat: String, Hashable, Sendable {
    case csv, hledger

    /// `.csv` is CSV; `.journal`, `.hledger` and `.ledger` are an hledger journal.
    public static func of(path: String) -> ExportFormat? {
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".journal") || lower.hasSuffix(".hledger") || lower.hasSuffix(".ledger") { return .hledger }
        return nil
    }
}

/// An export the run loop performs: the view, the file, and whether an existing file may be replaced.
public struct ExportRequest: Hashable, Sendable {
    public var view: ExportView
    public var path: String
    public var format: ExportFormat
    public var overwrite: Bool
}

/// What an export did.
public enum ExportOutcome: Hashable, Sendable {
    case written(path: String, entries: Int)
    /// The file is there and overwriting was not asked: nothing was written.
    case exists(path: String)
    case failed(String)
}

/// The export prompt (`e` on a history or Activity): the file name being typed, or the question
/// whether to replace a file that is already there.
public struct ExportPrompt: Hashable, Sendable {
    /// The longest file name the prompt takes, in bytes.
    public static let pathBytesMax = 1024

    public var view: ExportView
    public var path = ""
    /// Set when the named file exists: `y` replaces it, anything else keeps it.
    public var replacing: ExportRequest?
    public var problem: String?

    public init(view: ExportView) { self.view = view }

    /// Why `path` cannot be exported to, or nil: empty, too long, a control or steering character
    /// (which would hide what the name really is), or a name that says no format.
    public static func problem(with path: String) -> String? {
        if path.isEmpty { return "name the file, e.g. acme.csv or acme.journal" }
        if path.utf8.count > pathBytesMax { return "the file name is longer than \(pathBytesMax) bytes" }
        if path.unicodeScalars.contains(where: FreeText.isSteering) { return "the file name holds a control character" }
        if ExportFormat.of(path: path) == nil { return "end the name in .csv (CSV) or .journal (hledger)" }
        return nil
    }
}

extension ConsoleState {
    /// `e` on a history or Activity: the prompt for a file name, for the rows as filtered now.
    mutating func openExport() -> [Effect] {
        if refuseExportInKiosk() { return [] }
        switch top {
        case .workspace:
            guard let model = workspace else { return [] }
            exportPrompt = ExportPrompt(view: .history(workspace: model.id, kind: model.kind, search: model.search))
        case .activity:
            guard let model = activity else { return [] }
            exportPrompt = ExportPrompt(view: .activity(model.filter))
        default: return nothingHere(.export)
        }
        return []
    }

    /// Keys while the prompt is open. Control characters typed are refused on the spot and the
    /// name stays as it was; Enter exports; Esc closes. Over an existing file, only `y` replaces it.
    mutating func exportPromptKey(_ key: Key) -> [Effect] {
        guard var prompt = exportPrompt else { return [] }
        if let replacing = prompt.replacing {
            exportPrompt = nil
            guard key == .character("y") else {
                flash = Flash("kept \(replacing.path) as it was: nothing exported", kind: .info)
                return []
            }
            var request = replacing
            request.overwrite = true
            return [.export(request)]
        }
        prompt.problem = nil
        switch key {
        case .escape: exportPrompt = nil; return []
        case .enter:
            if let problem = ExportPrompt.problem(with: prompt.path) {
                prompt.problem = problem
            } else if let format = ExportFormat.of(path: prompt.path) {
                exportPrompt = prompt
                return [.export(ExportRequest(view: prompt.view, path: prompt.path, format: format, overwrite: false))]
            }
        case .backspace, .delete: _ = prompt.path.popLast()
        case .character(let c):
            if c.unicodeScalars.contains(where: FreeText.isSteering) {
                prompt.problem = "a file name takes no control characters"
            } else if prompt.path.utf8.count + c.utf8.count <= ExportPrompt.pathBytesMax {
                prompt.path.append(c)
            }
        default: prompt.problem = "\(key.label) does nothing here: type the file name, Enter exports, Esc cancels"
        }
        exportPrompt = prompt
        return []
    }

    /// Takes what the run loop's export did.
    mutating func exported(_ request: ExportRequest, _ outcome: ExportOutcome) {
        switch outcome {
        case let .written(path, entries):
            exportPrompt = nil
            let noun = entries == 1 ? "entry" : "entries"
            flash = Flash("exported \(AmountFormat.grouped(Int64(entries))) credit \(noun) to \(path) (\(request.format.rawValue))", kind: .success)
        case .exists:
            exportPrompt?.replacing = request
        case .failed(let why):
            exportPrompt?.problem = why
        }
    }
}

/// The export prompt over the screen: what is exported, the file name, and any problem.
enum ExportPromptView {
    /// The most lines the reason an export failed takes in the dialog.
    static let problemLinesMax = 3

    static func draw(_ grid: inout Grid, _ state: ConsoleState) {
        guard let prompt = state.exportPrompt else { return }
        let glyphs = state.session.glyphs
        var lines: [[Span]] = [[Span("What: "), Span(describe(prompt.view, glyphs: glyphs), .title)]]
        if let replacing = prompt.replacing {
            lines.append([Span("This file is already there:", .warning)])
            lines.append([Span(tail(replacing.path, 54, ellipsis: glyphs.ellipsis), .title)])
            lines.append([Span("y replaces it; any other key keeps it.")])
            let widget = DialogWidget(title: "Replace the file?", lines: lines, cancel: "n Keep it", confirm: "y Replace", focus: .cancel)
            widget.draw(&grid, glyphs: glyphs)
            return
        }
        lines.append([Span("File: "), Span(tail(prompt.path, 48, ellipsis: glyphs.ellipsis) + glyphs.cursor, .inputFocused)])
        lines.append([Span(".csv is CSV, .journal hledger; oldest entry first", .dim)])
        // The line that says why an export failed wraps (up to three lines), a long path losing
        // its middle, so the reason at its end always shows.
        if let problem = prompt.problem {
            lines += problemLines(problem, width: DialogWidget.innerWidth(in: grid.width), ellipsis: glyphs.ellipsis).map { [Span($0, .error)] }
        }
        let widget = DialogWidget(title: "Export what you see", lines: lines, cancel: "Esc Cancel", confirm: "\(glyphs.enter) Export", focus: .confirm)
        widget.draw(&grid, glyphs: glyphs)
    }

    /// A failure in at most `problemLinesMax` lines: what could not be done, then from a new line
    /// the reason after its first `: ` (`No such file or directory`), each wrapped.
    static func problemLines(_ problem: String, width: Int, ellipsis: String) -> [String] {
        guard let colon = problem.range(of: ": ") else { return Fit.wrap(problem, width, lines: problemLinesMax, ellipsis: ellipsis) }
        let what = Fit.wrap(String(problem[..<colon.lowerBound]) + ":", width, lines: problemLinesMax - 1, ellipsis: ellipsis)
        let why = Fit.wrap(String(problem[colon.upperBound...]), width, lines: problemLinesMax - what.count, ellipsis: ellipsis)
        return what + why
    }

    /// The end of `text` in `width` cells: a long path shows its file name, and what is typed.
    static func tail(_ text: String, _ width: Int, ellipsis: String) -> String {
        guard CellWidth.of(text) > width else { return text }
        var kept = ""
        for character in text.reversed() {
            if CellWidth.of(kept) + CellWidth.of(String(character)) + CellWidth.of(ellipsis) > width { break }
            kept.insert(character, at: kept.startIndex)
        }
        return ellipsis + kept
    }

    /// `history of acme · refund only · search "j-4"`, `activity · by:maria kind:adjustment`.
    static func describe(_ view: ExportView, glyphs: Glyphs) -> String {
        switch view {
        case let .history(workspace, kind, search):
            var text = "history of \(workspace) \(glyphs.dot) \(kind.map { "\($0.rawValue) only" } ?? "every kind")"
            if !search.isEmpty { text += " \(glyphs.dot) search \"\(search)\"" }
            return text
        case .activity(let filter):
            return filter.isEmpty ? "activity \(glyphs.dot) every entry" : "activity \(glyphs.dot) filtered as shown"
        }
    }
}
