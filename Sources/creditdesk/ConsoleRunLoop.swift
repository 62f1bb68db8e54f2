import ConsoleTerminal
import ConsoleUI
import CreditKit
import Foundation
import LedgerCore

/// The console's run loop: opens the ledger (or a scratch demo), starts the terminal, and turns
/// keys, mouse, resize and the journal's growth into actions; performs the effects `reduce`
/// asks for through the ledger, the same path as the command line.
final class ConsoleRunLoop {
    /// How often the journal is read for other processes' writes.
    static let pollMilliseconds = 500

    private var ledger: any Ledger
    private let terminal: Terminal
    private let clock: ConsoleClock
    private var state: ConsoleState
    private var quitting = false
    private var filteredCache: (key: HistoryRequest, seq: Int64, entries: [Entry])?
    /// Activity reads asked for, performed one per frame: each walks back a bounded stretch of
    /// the journal, so a narrow filter on a long ledger never holds up a key.
    private var activityReads: [ActivityRequest] = []
    private let actor: String
    /// The demo's scratch ledger, which `R` and the tour put back to its shipped state.
    private let demo: DemoCopy?
    private let attract: AttractMode?
    /// The tour while it plays; nil while a person has the keys.
    private var tour: TourPlayer?
    /// When a person last pressed a key or used the mouse (monotonic milliseconds).
    private var lastInput = ConsoleRunLoop.milliseconds()
    /// Whether a person has pressed anything yet: after that the tour waits at least
    /// `AttractMode.resumeFloor`, so even `--idle 0` leaves a visitor time to look.
    private var touched = false

    init(ledger: any Ledger, terminal: Terminal, session: Session, clock: ConsoleClock, warnings: [String],
         demo: DemoCopy? = nil, attract: AttractMode? = nil) {
        self.ledger = ledger
        self.terminal = terminal
        self.clock = clock
        self.actor = session.actor
        self.demo = demo
        self.attract = attract
        let (initial, effects) = ConsoleState.initial(ledger: ledger.state, summaries: ledger.workspaceSummaries(), session: session,
                                                      now: clock.now(), size: terminal.size, warnings: warnings)
        state = initial
        perform(effects)
    }

    /// Monotonic milliseconds, for idle time and the tour's pace.
    static func milliseconds() -> Int64 { Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000) }

    /// Where to write frame timings on exit (`CREDITDESK_FRAME_STATS`), for the benchmark.
    private let frameStatsPath = RunEnvironment.variables["CREDITDESK_FRAME_STATS"]
    /// Microseconds to render each frame to a Grid, and to draw it on the terminal.
    private var renderMicros: [Double] = []
    private var drawMicros: [Double] = []
    /// Render times of the Workspace screen alone (its history is the long list).
    private var historyRenderMicros: [Double] = []

    /// Runs until `q` on the top screen, Ctrl-C, or a stop signal.
    func run() {
        var lastPoll = Date()
        defer { writeFrameStats() }
        while !quitting {
            drawFrame()
            if terminal.stopSignal != 0 { break }
            if !activityReads.isEmpty {
                // One bounded read, then straight back to draw it; a key typed meanwhile still counts.
                dispatch(.activityLoaded(loadActivity(activityReads.removeFirst())))
                if let input = terminal.read(timeout: 0) { handle(input) }
                continue
            }
            let waited = Int(Date().timeIntervalSince(lastPoll) * 1000)
            let timeout = Int32(min(max(0, ConsoleRunLoop.pollMilliseconds - waited), tourWait()))
            if let input = terminal.read(timeout: timeout) { handle(input) }
            playTour()
            if Date().timeIntervalSince(lastPoll) * 1000 >= Double(ConsoleRunLoop.pollMilliseconds) {
                lastPoll = Date()
                poll()
            }
        }
    }

    /// A key, a click or a resize. While the tour plays, a person's key or click only takes the
    /// keys back from it.
    private func handle(_ input: TerminalInput) {
        if case let .resize(width, height) = input {
            dispatch(.resize(Size(width: width, height: height)))
            return
        }
        lastInput = ConsoleRunLoop.milliseconds()
        touched = true
        if tour != nil {
            tour = nil
            dispatch(.tourHandedBack)
            // Ctrl-C still quits (where the kiosk allows it); any other key only takes over.
            guard case .key(.control("c")) = input else { return }
        }
        tickClock()
        switch input {
        case .key(let key): dispatch(.key(key))
        case .mouse(let mouse): dispatch(.mouse(mouse))
        case .resize: break
        }
    }

    /// Brings the state's clock up to now before a key is handled: what a key decides (a cost
    /// confirmation, a refusal) is checked at this moment, never before a record just written.
    private func tickClock() {
        if clock.ticks { dispatch(.clock(clock.now())) }
    }

    /// Milliseconds until the tour wants something: its next event, or the end of the idle time.
    private func tourWait() -> Int {
        guard let attract else { return Int.max }
        let now = ConsoleRunLoop.milliseconds()
        if let tour { return tour.wait(now: now) }
        return Int(max(0, lastInput + idleBeforeTour(attract) - now))
    }

    /// How long the console must sit without a key before the tour (re)starts.
    private func idleBeforeTour(_ attract: AttractMode) -> Int64 {
        touched ? max(attract.idleMilliseconds, AttractMode.resumeFloor) : attract.idleMilliseconds
    }

    /// Starts the tour after the idle time and performs whatever of it is due.
    private func playTour() {
        guard let attract else { return }
        // Keys pressed while the window is too small do nothing, so the tour would lose its
        // place: it stops, and starts over once the window is large enough again.
        guard state.size.isLargeEnough else {
            if tour != nil {
                tour = nil
                dispatch(.tourCaption(nil))
            }
            return
        }
        let now = ConsoleRunLoop.milliseconds()
        if tour == nil, now - lastInput >= idleBeforeTour(attract) {
            tour = TourPlayer(steps: attract.steps, keyDelay: attract.keyDelay, pace: attract.pace, startingAt: now)
        }
        while !quitting, let event = tour?.advance(now: ConsoleRunLoop.milliseconds()) {
            switch event {
            case .restart: resetDemo()
            case .caption(let caption): dispatch(.tourCaption(caption))
            case .press(let key):
                tickClock()
                dispatch(.key(key))
            }
            if case .press = event { break }
        }
    }

    /// Puts the demo ledger back to its shipped state and starts the console again on it.
    private func resetDemo() {
        guard let demo else { return }
        do {
            try demo.reset()
            let reopened = try LedgerBackend.open(.directory(demo.scratch))
            reopened.lockTimeout = ledger.lockTimeout
            ledger = reopened
        } catch {
            state.flash = Flash("the demo could not be reset: \(error)", kind: .refusal)
            return
        }
        filteredCache = nil
        activityReads = []
        let caption = state.tourCaption
        dispatch(.demoReset(ledger.state, summaries: ledger.workspaceSummaries()))
        if caption != nil { dispatch(.tourCaption(caption)) }
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
        if state.top == .workspace && state.dialog == nil { historyRenderMicros.append(Double(rendered - started) / 1000) }
        drawMicros.append(Double(drawn - rendered) / 1000)
    }

    /// Writes `frames`, and the median render and draw times in microseconds, as one JSON line.
    private func writeFrameStats() {
        guard let path = frameStatsPath, !renderMicros.isEmpty else { return }
        func median(_ values: [Double]) -> Int64 { Int64(values.sorted()[values.count / 2].rounded()) }
        var fields: [(String, JSONValue)] = [("frames", .int(Int64(renderMicros.count))),
                                             ("render_us_median", .int(median(renderMicros))),
                                             ("draw_us_median", .int(median(drawMicros)))]
        if !historyRenderMicros.isEmpty {
            fields.append(("history_frames", .int(Int64(historyRenderMicros.count))))
            fields.append(("history_render_us_median", .int(median(historyRenderMicros))))
        }
        let line = JSONValue.object(fields).text
        FileManager.default.createFile(atPath: path, contents: Data((line + "\n").utf8))
    }

    /// Reads what other processes appended; a change reaches the screen within a poll.
    private func poll() {
        if clock.ticks { dispatch(.clock(clock.now())) }
        do {
            try ledger.refresh()
            try ledger.loadTouchedWorkspaces()
        } catch {
            return
        }
        if ledger.state.lastSeq != state.seenSeq { dispatch(.ledgerChanged(ledger.state)) }
        dispatch(.refreshed(Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))))
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
            case .resetDemo: resetDemo()
            case .suspend:
                terminal.suspend()
                dispatch(.resize(terminal.size))
            case .submit(let command): submit(command)
            case .loadHistory(let request): dispatch(.historyLoaded(loadHistory(request)))
            case .loadActivity(let request): activityReads.append(request)
            case .copy(let text): terminal.copyToClipboard(text)
            case .export(let request):
                dispatch(.exported(request, ConsoleExport.perform(request, ledger: ledger, search: searched)))
            case let .findReversal(workspace, seq):
                // A detail opened from Activity may name a workspace not loaded yet: load it, so
                // its index can be read and a reversal decided against its state.
                if ledger.state.workspaces[workspace] == nil {
                    try? ledger.ensureLoaded(workspace)
                    if ledger.state.workspaces[workspace] != nil { dispatch(.ledgerChanged(ledger.state)) }
                }
                dispatch(.reversalFound(seq: seq, by: try? ledger.reversal(of: seq, in: workspace)))
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
        // R27: a running clock may be dated at the last record when it trails it a little.
        let context = CommandContext(actor: actor, time: clock.now(), trailingSecondsMax: clock.ticks ? ClockPolicy.toleranceSeconds : 0)
        let result = Result { () throws(LedgerError) in try ledger.submit(command, context: context) }
        var warnings: [String] = []
        if case .success(.recorded(_, let alerts)) = result { warnings = Sendmail.deliver(alerts, from: ledger) }
        // Problems after the commit (a checkpoint not rewritten, an alert not delivered) leave it
        // standing; they are shown after its result, never on standard error under the screen.
        warnings = ledger.takeWarnings().map(\.description) + warnings
        dispatch(.ledgerChanged(ledger.state))
        dispatch(.submitted(command, result))
        dispatch(.afterCommitWarnings(warnings))
    }

    /// Reads the rows a request asks for: by offset for the whole history (only those rows are
    /// decoded), through a cached filtered list for a kind filter or a search. Expiries due by the
    /// console's clock and not yet written lead it (S3), as `history` shows them.
    private func loadHistory(_ request: HistoryRequest) -> HistoryPage {
        let due = Array((Engine.bringUp(request.workspace, in: ledger.state, to: state.now)?.expiries ?? []).reversed())
        if request.isUnfiltered {
            let from = max(0, request.start - due.count)
            let leading = due.count > request.start ? Array(due[request.start...].prefix(request.count)) : []
            let entries = (try? ledger.historyPage(of: request.workspace, start: from, count: request.count - leading.count)) ?? []
            return HistoryPage(request: request, total: ledger.historyCount(of: request.workspace) + due.count, entries: leading + entries)
        }
        var key = request
        key.start = 0
        key.count = 0
        let written: [Entry]
        if let cache = filteredCache, cache.key == key, cache.seq == ledger.state.lastSeq {
            written = cache.entries
        } else {
            let kinds = request.kind.map { Set([$0]) }
            let candidates = (try? ledger.history(of: request.workspace, kinds: kinds, limit: nil)) ?? []
            written = searched(request.search, candidates)
            filteredCache = (key, ledger.state.lastSeq, written)
        }
        let dueShown = searched(request.search, due.filter { entry in request.kind.map { $0 == entry.kind } ?? true })
        let all = dueShown + written
        let start = min(request.start, all.count)
        let end = min(all.count, start + request.count)
        return HistoryPage(request: request, total: all.count, entries: Array(all[start..<end]))
    }

    /// Entries of every workspace for Activity, walked back from the journal's end or an
    /// offset: only the stretch walked over is read, at any ledger size.
    private func loadActivity(_ request: ActivityRequest) -> ActivityPage {
        do {
            let page = try ledger.activityPage(before: request.before.map(EntryPosition.init), count: request.count, filter: request.filter,
                                               newerThan: request.newerThan)
            return ActivityPage(request: request, entries: page.entries, nextOffset: page.next.value, reachedEnd: page.reachedEnd,
                                oldestTimeRead: page.oldestTimeRead, headSeq: page.headSeq)
        } catch {
            state.flash = Flash("activity could not be read: \(error)", kind: .refusal)
            return ActivityPage(request: request, entries: [], nextOffset: 0, reachedEnd: true, oldestTimeRead: nil,
                                headSeq: ledger.state.lastSeq)
        }
    }

    /// The entries a history search keeps: the text in what happened, who, the kind or the reference.
    private func searched(_ search: String, _ candidates: [Entry]) -> [Entry] {
        let needle = search.lowercased()
        let catalog = ledger.state.catalog
        return needle.isEmpty ? candidates : candidates.filter { entry in
            entry.what(catalog: catalog).lowercased().contains(needle) || entry.actor.lowercased().contains(needle)
                || entry.kind.rawValue.contains(needle) || entry.reference.lowercased().contains(needle)
        }
    }

    /// This month's spending by person, read newest first until the month began: each charge to
    /// whoever ran it, less its refund (whoever reported the failure); a refund of a charge made
    /// before this month is left out, as that charge is.
    private func memberSpend(_ workspace: String, since: Timestamp) -> [MemberSpend] {
        var totals: [String: Credits] = [:]
        var refunded: [Int64: Credits] = [:]
        var start = 0
        let page = 256
        scan: while true {
            guard let entries = try? ledger.historyPage(of: workspace, start: start, count: page), !entries.isEmpty else { break }
            for entry in entries {
                if entry.time < since { break scan }
                if entry.kind == .refund, let charge = entry.ref { refunded[charge, default: 0] += entry.credits }
                if entry.kind == .charge { totals[entry.actor, default: 0] -= entry.credits + (refunded[entry.seq] ?? 0) }
            }
            start += page
        }
        return totals.filter { $0.value != 0 }.map { MemberSpend(member: $0.key, credits: $0.value) }
            .sorted { ($0.credits, $1.member) > ($1.credits, $0.member) }
    }
}

/// The console's clock: fixed (`--now`, for scripts and tests), the real one, or the real one
/// shifted so a demo's history always ends just before "now".
struct ConsoleClock {
    var fixed: Timestamp?
    var offsetSeconds: Int64 = 0

    /// Whether time moves (a fixed clock does not).
    var ticks: Bool { fixed == nil }

    func now() -> Timestamp {
        fixed ?? Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970) + offsetSeconds)
    }

    /// A clock that reads `start` now and runs on from there.
    static func starting(at start: Timestamp) -> ConsoleClock {
        ConsoleClock(fixed: nil, offsetSeconds: start.secondsSinceEpoch - Int64(Date().timeIntervalSince1970))
    }
}

/// The attract tour's settings: its steps, pace, and how long the console waits idle first.
struct AttractMode {
    var steps: [TourStep]
    var keyDelay: Int
    var pace: Double
    var idleMilliseconds: Int64
    /// The least idle time before the tour takes the keys back from a person.
    static let resumeFloor: Int64 = 10_000
}
