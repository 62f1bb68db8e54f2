import ConsoleTerminal
import ConsoleUI
import CreditKit
import Foundation
import LedgerStore

/// The console's run loop: opens the ledger (or a scratch demo), starts the terminal, and turns
/// keys, mouse, resize and the journal's growth into actions; performs the effects `reduce`
/// asks for through the ledger, the same path as the command line.
final class ConsoleRunLoop {
    /// How often the journal is read for other processes' writes.
    static let pollMilliseconds = 500

    private let ledger: FileLedger
    private let terminal: Terminal
    private let fixedNow: Timestamp?
    private var state: ConsoleState
    private var quitting = false
    private var filteredCache: (key: HistoryRequest, seq: Int64, entries: [Entry])?
    private let actor: String

    init(ledger: FileLedger, terminal: Terminal, session: Session, fixedNow: Timestamp?, warnings: [String]) {
        self.ledger = ledger
        self.terminal = terminal
        self.fixedNow = fixedNow
        self.actor = session.actor
        let (initial, effects) = ConsoleState.initial(ledger: ledger.state, summaries: ledger.workspaceSummaries(), session: session,
                                                      now: fixedNow ?? ConsoleRunLoop.clock(), size: terminal.size,
                                                      warnings: warnings)
        state = initial
        perform(effects)
    }

    /// The real clock, as a Timestamp.
    static func clock() -> Timestamp { Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) }

    /// Where to write frame timings on exit (`CREDITDESK_FRAME_STATS`), for the benchmark.
    private let frameStatsPath = RunEnvironment.variables["CREDITDESK_FRAME_STATS"]
    /// Microseconds to render each frame to a Grid, and to draw it on the terminal.
    private var renderMicros: [Double] = []
    private var drawMicros: [Double] = []

    /// Runs until `q` on the top screen, Ctrl-C, or a stop signal.
    func run() {
        var lastPoll = Date()
        defer { writeFrameStats() }
        while !quitting {
            drawFrame()
            if terminal.stopSignal != 0 { break }
            let waited = Int(Date().timeIntervalSince(lastPoll) * 1000)
            let timeout = Int32(max(0, ConsoleRunLoop.pollMilliseconds - waited))
            if let input = terminal.read(timeout: timeout) {
                switch input {
                case .key(let key): dispatch(.key(key))
                case .mouse(let mouse): dispatch(.mouse(mouse))
                case let .resize(width, height): dispatch(.resize(Size(width: width, height: height)))
                }
            }
            if Date().timeIntervalSince(lastPoll) * 1000 >= Double(ConsoleRunLoop.pollMilliseconds) {
                lastPoll = Date()
                poll()
            }
        }
    }

    /// Renders the state and draws it; timed only when the benchmark asks.
    private func drawFrame() {
        guard frameStatsPath != nil else {
            terminal.draw(render(state, size: state.size))
            return
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let grid = render(state, size: state.size)
        let rendered = DispatchTime.now().uptimeNanoseconds
        terminal.draw(grid)
        let drawn = DispatchTime.now().uptimeNanoseconds
        renderMicros.append(Double(rendered - started) / 1000)
        drawMicros.append(Double(drawn - rendered) / 1000)
    }

    /// Writes `frames`, and the median render and draw times in microseconds, as one JSON line.
    private func writeFrameStats() {
        guard let path = frameStatsPath, !renderMicros.isEmpty else { return }
        func median(_ values: [Double]) -> Int64 { Int64(values.sorted()[values.count / 2].rounded()) }
        let line = JSONValue.object([("frames", .int(Int64(renderMicros.count))),
                                     ("render_us_median", .int(median(renderMicros))),
                                     ("draw_us_median", .int(median(drawMicros)))]).text
        FileManager.default.createFile(atPath: path, contents: Data((line + "\n").utf8))
    }

    /// Reads what other processes appended; a change reaches the screen within a poll.
    private func poll() {
        if fixedNow == nil { dispatch(.clock(ConsoleRunLoop.clock())) }
        do {
            try ledger.refresh()
            try ledger.loadTouchedWorkspaces()
        } catch {
            return
        }
        if ledger.state.lastSeq != state.seenSeq { dispatch(.ledgerChanged(ledger.state)) }
    }

    /// Reduces an action and performs the effects it asks for.
    private func dispatch(_ action: ConsoleAction) {
        let (next, effects) = reduce(state, action)
        state = next
        perform(effects)
    }

    private func perform(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .quit: quitting = true
            case .submit(let command): submit(command)
            case .loadHistory(let request): dispatch(.historyLoaded(loadHistory(request)))
            case let .loadMemberSpend(workspace, since):
                dispatch(.memberSpendLoaded(workspace: workspace, spend: memberSpend(workspace, since: since)))
            case .loadWorkspace(let id):
                try? ledger.ensureLoaded(id)
                dispatch(.ledgerChanged(ledger.state))
            }
        }
    }

    /// Records a command through the ledger, then shows the new state and the result.
    private func submit(_ command: Command) {
        let context = CommandContext(actor: actor, time: fixedNow ?? ConsoleRunLoop.clock())
        let result: SubmitResult
        do {
            switch try ledger.submit(command, context: context) {
            case let .recorded(entries, alerts):
                for message in alerts { Sendmail.deliver(message, outbox: ledger.paths.outbox) }
                result = .recorded(entries)
            case let .alreadyRecorded(why, _): result = .alreadyRecorded(why.message)
            case .nothingToRecord(let why): result = .nothingToRecord(why)
            case .rejected(let rejection): result = .rejected(rejection)
            }
        } catch {
            result = .failed(error.description)
        }
        dispatch(.ledgerChanged(ledger.state))
        dispatch(.submitted(command, result))
    }

    /// Reads the rows a request asks for: by offset for the whole history (only those rows are
    /// decoded), through a cached filtered list for a kind filter or a search.
    private func loadHistory(_ request: HistoryRequest) -> HistoryPage {
        if request.isUnfiltered {
            let entries = (try? ledger.historyPage(of: request.workspace, start: request.start, count: request.count)) ?? []
            return HistoryPage(request: request, total: ledger.historyCount(of: request.workspace), entries: entries)
        }
        var key = request
        key.start = 0
        key.count = 0
        let all: [Entry]
        if let cache = filteredCache, cache.key == key, cache.seq == ledger.state.lastSeq {
            all = cache.entries
        } else {
            let kinds = request.kind.map { Set([$0]) }
            let candidates = (try? ledger.history(of: request.workspace, kinds: kinds, limit: nil)) ?? []
            let needle = request.search.lowercased()
            let catalog = ledger.state.catalog
            all = needle.isEmpty ? candidates : candidates.filter { entry in
                entry.what(catalog: catalog).lowercased().contains(needle) || entry.actor.lowercased().contains(needle)
                    || entry.kind.rawValue.contains(needle) || entry.reference.lowercased().contains(needle)
            }
            filteredCache = (key, ledger.state.lastSeq, all)
        }
        let start = min(request.start, all.count)
        let end = min(all.count, start + request.count)
        return HistoryPage(request: request, total: all.count, entries: Array(all[start..<end]))
    }

    /// This month's spending by person: charges less refunds, read newest first until the month began.
    private func memberSpend(_ workspace: String, since: Timestamp) -> [MemberSpend] {
        var totals: [String: Credits] = [:]
        var start = 0
        let page = 256
        scan: while true {
            guard let entries = try? ledger.historyPage(of: workspace, start: start, count: page), !entries.isEmpty else { break }
            for entry in entries {
                if entry.time < since { break scan }
                if entry.kind == .charge || entry.kind == .refund { totals[entry.actor, default: 0] -= entry.credits }
            }
            start += page
        }
        return totals.filter { $0.value != 0 }.map { MemberSpend(member: $0.key, credits: $0.value) }
            .sorted { ($0.credits, $1.member) > ($1.credits, $0.member) }
    }
}
