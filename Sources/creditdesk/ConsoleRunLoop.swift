import ConsoleTerminal
import ConsoleUI
import CreditKit
import Foundation
import LedgerCore
import LedgerStore

/// The console's ledger side (`ConsoleHost`): opens nothing itself, holds the ledger (or the
/// demo's scratch copy), and performs the effects `reduce` asks for that read or write it, the
/// same path as the command line. `ConsoleLoop` does the keys, the clock and the frames.
final class ConsoleRunLoop: ConsoleHost {
    private var ledger: any Ledger
    private var clock: ConsoleClock
    private var filteredCache: (key: HistoryRequest, seq: Int64, entries: [Entry])?
    private let actor: String
    /// R18: on PostgreSQL, the authenticated role when the console acts as someone else (`--as`).
    private let actingRole: String?
    /// The demo's scratch ledger, which `R` and the tour put back to its shipped state.
    private let demo: DemoCopy?
    /// History rows read at a time while the history is walked (member spend, the chart).
    static let historyWalkPage = 256
    /// On a ledger that announces its commits (PostgreSQL): the listener and the link to its server.
    private let watch: LiveWatch?
    private let monotonic = SystemMonotonicClock()

    init(ledger: any Ledger, session: Session, clock: ConsoleClock, demo: DemoCopy? = nil) {
        self.ledger = ledger
        self.clock = clock
        self.actor = session.actor
        self.actingRole = LedgerBackend.actingRole(for: session.actor, on: ledger)
        self.demo = demo
        watch = LiveWatch(ledger, now: SystemMonotonicClock().milliseconds())
    }

    var pollMilliseconds: Int64 { watch == nil ? ConsoleLoop.pollMilliseconds : LiveWatch.lookMilliseconds }

    /// A file ledger's journal that stopped reading cleanly at the last poll (damage, a failed
    /// read), and since when; nil while it reads cleanly. PostgreSQL's link is `watch`'s.
    private var journalProblem: LedgerLink?
    /// While the journal is damaged, when (monotonic milliseconds) it is opened again to see
    /// whether it was repaired, on `ReconnectBackoff`'s schedule.
    private var nextReopen: Int64 = 0
    private var reopenBackoff = ReconnectBackoff()

    /// How the ledger is followed now: its server's link (PostgreSQL), else the journal's.
    private var link: LedgerLink { watch?.link ?? journalProblem ?? .reachable }

    /// Whether the ledger's server is away or its journal damaged (reads of it are then not
    /// tried: the screen keeps what it has).
    private var unreachable: Bool { !link.isReachable }

    /// The console's first state on this ledger, and the effects it asks for.
    func initial(session: Session, size: Size, warnings: [String]) -> (ConsoleState, [Effect]) {
        ConsoleState.initial(ledger: ledger.state, summaries: ledger.workspaceSummaries(), session: session,
                             now: clock.now(), size: size, warnings: warnings)
    }

    func now() -> Timestamp? { clock.ticks ? clock.now() : nil }

    /// Esc while a write waits for another desk's lock: it gives up unless it holds the lock.
    func abandonWrite() { ledger.lockWait.abandon() }

    /// Where to write frame timings on exit (`CREDITDESK_FRAME_STATS`), for the benchmark.
    static let frameStatsPath = RunEnvironment.variables["CREDITDESK_FRAME_STATS"]

    /// Writes `frames`, and the median render and draw times in microseconds, as one JSON line;
    /// never into `ledger`'s folder or onto one of its files (`LedgerBackend.holds`).
    static func writeFrameStats(_ timings: FrameTimings?, ledger: any Ledger) {
        guard let path = frameStatsPath, let timings, !timings.renderMicros.isEmpty else { return }
        if let file = ledger as? FileLedger, LedgerBackend.holds(path, ledger: .directory(file.paths.directory)) { return }
        func median(_ values: [Double]) -> Int64 { Int64(values.sorted()[values.count / 2].rounded()) }
        var fields: [(String, JSONValue)] = [("frames", .int(Int64(timings.renderMicros.count))),
                                             ("render_us_median", .int(median(timings.renderMicros))),
                                             ("draw_us_median", .int(median(timings.drawMicros)))]
        if !timings.historyRenderMicros.isEmpty {
            fields.append(("history_frames", .int(Int64(timings.historyRenderMicros.count))))
            fields.append(("history_render_us_median", .int(median(timings.historyRenderMicros))))
        }
        let line = JSONValue.object(fields).text
        FileManager.default.createFile(atPath: path, contents: Data((line + "\n").utf8))
    }

    /// Puts the demo ledger back to its shipped state and starts the console again on it.
    private func resetDemo() -> [ConsoleAction] {
        guard let demo else { return [] }
        do {
            try demo.reset()
            let reopened = try LedgerBackend.open(.directory(demo.scratch))
            reopened.lockTimeout = ledger.lockTimeout
            ledger = reopened
        } catch {
            return [.couldNot("the demo could not be reset: \(error)")]
        }
        filteredCache = nil
        clock.restart()
        return [.demoReset(ledger.state, summaries: ledger.workspaceSummaries(), now: clock.now())]
    }

    /// Reads what other processes appended; a change reaches the screen within a poll.
    func poll(_ state: ConsoleState) -> [ConsoleAction] {
        var actions: [ConsoleAction] = []
        if clock.ticks { actions.append(.clock(clock.now())) }
        if let watch {
            let wall = Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
            return actions + watch.look(state, now: monotonic.milliseconds(), wall: wall)
        }
        let wall = Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
        if journalProblem != nil { return actions + reopenIfRepaired(wall: wall) }
        do {
            try ledger.refresh()
            try ledger.loadTouchedWorkspaces()
        } catch {
            return actions + journalUnreadable(error, wall: wall)
        }
        if ledger.state.lastSeq != state.seenSeq { actions.append(.ledgerChanged(ledger.state)) }
        actions.append(.refreshed(wall))
        return actions
    }

    /// A poll of a file ledger's journal failed: the console is told once per problem (damage
    /// named as the command line names it); the screen keeps the last good read.
    private func journalUnreadable(_ error: LedgerError, wall: Timestamp) -> [ConsoleAction] {
        if journalProblem == nil {
            reopenBackoff.reset()
            nextReopen = monotonic.milliseconds() + reopenBackoff.delayMilliseconds
        }
        if case .unreadable(_, error) = journalProblem { return [] }
        journalProblem = .unreadable(since: wall, error: error)
        return [.journalUnreadable(since: wall, error: error)]
    }

    /// While the journal is damaged: opens it afresh when the backoff says so (the copy in
    /// memory read up to the damage and is not trusted past it), with the workspaces it had
    /// loaded. Opened cleanly, the journal was repaired: live again, caught up.
    private func reopenIfRepaired(wall: Timestamp) -> [ConsoleAction] {
        let now = monotonic.milliseconds()
        guard now >= nextReopen, let file = ledger as? FileLedger else { return [] }
        let reopened: any Ledger
        do {
            reopened = try LedgerBackend.open(.directory(file.paths.directory), workspaces: [])
            try reopened.ensureLoaded(Set(ledger.state.workspaces.keys))
            try reopened.loadTouchedWorkspaces()
        } catch {
            reopenBackoff.failed()
            nextReopen = now + reopenBackoff.delayMilliseconds
            return journalUnreadable(error, wall: wall)
        }
        reopened.lockTimeout = ledger.lockTimeout
        ledger = reopened
        journalProblem = nil
        filteredCache = nil
        return [.linkRestored, .ledgerChanged(ledger.state), .refreshed(wall)]
    }

    /// Performs an effect that reads or writes the ledger, and answers it.
    func perform(_ effect: Effect, in state: ConsoleState) -> [ConsoleAction] {
        switch effect {
        case .quit, .suspend, .copy, .abandonWrite: return []
        case .resetDemo: return resetDemo()
        case .submit(let command): return [submit(command)]
        case .export where unreachable: return [.couldNot(link.refusalText ?? "")]
        case _ where unreachable: return []
        case .loadHistory(let request):
            do { return [.historyLoaded(try loadHistory(request, now: state.now))] } catch { return Self.unreadable("the history", error) }
        case .loadActivity(let request): return loadActivity(request)
        case .export(let request):
            return [.exported(request, ConsoleExport.perform(request, ledger: ledger, search: searched))]
        case let .findReversal(workspace, seq):
            // A detail opened from Activity may name a workspace not loaded yet: load it, so
            // its index can be read and a reversal decided against its state.
            var actions: [ConsoleAction] = []
            if ledger.state.workspaces[workspace] == nil {
                try? ledger.ensureLoaded(workspace)
                if ledger.state.workspaces[workspace] != nil { actions.append(.ledgerChanged(ledger.state)) }
            }
            return actions + [.reversalFound(seq: seq, facts: try? ledger.reversalFacts(workspace: workspace, seq: seq))]
        case let .loadMemberSpend(workspace, asOf):
            return [.memberSpendLoaded(workspace: workspace, spend: memberSpend(workspace, asOf: asOf))]
        case let .loadChartEntries(workspace, since):
            return [.chartEntriesLoaded(workspace: workspace, entries: creditEntries(workspace, since: since))]
        case .loadWorkspace(let id):
            try? ledger.ensureLoaded(id)
            return [.ledgerChanged(ledger.state)]
        }
    }

    /// Records a command through the ledger; the answer carries the new state and the result.
    private func submit(_ command: Command) -> ConsoleAction {
        if case .unreadable(_, let error) = link {
            return .wrote(command, .failure(error), ledger: ledger.state, warnings: [])
        }
        if let why = watch?.link.refusalText {
            return .wrote(command, .failure(.database(problem: why, refused: false)), ledger: ledger.state, warnings: [])
        }
        // R27: a running clock may be dated at the last record when it trails it a little.
        var context = CommandContext(actor: actor, time: clock.now(), trailingSecondsMax: clock.ticks ? ClockPolicy.toleranceSeconds : 0)
        context.by = actingRole
        ledger.lockWait.reset()
        let result = Result { () throws(LedgerError) in try ledger.submit(command, context: context) }
        var warnings: [String] = []
        if case .success(.recorded(_, let alerts)) = result { warnings = Sendmail.deliver(alerts, from: ledger) }
        // Problems after the commit (a checkpoint not rewritten, an alert not delivered) leave it
        // standing; they are shown after its result, never on standard error under the screen.
        warnings = ledger.takeWarnings().map(\.description) + warnings
        return .wrote(command, result, ledger: ledger.state, warnings: warnings)
    }

    /// Reads the rows a request asks for: by offset for the whole history (only those rows are
    /// decoded), through a cached filtered list for a kind filter or a search. Expiries due by the
    /// console's clock and not yet written lead it (S3), as `history` shows them. Throws what
    /// stopped the read (`unreadable` says what the person is told).
    private func loadHistory(_ request: HistoryRequest, now: Timestamp) throws(LedgerError) -> HistoryPage {
        let due = Array((Engine.bringUp(request.workspace, in: ledger.state, to: now)?.expiries ?? []).reversed())
        if request.isUnfiltered {
            let from = max(0, request.start - due.count)
            let leading = due.count > request.start ? Array(due[request.start...].prefix(request.count)) : []
            let entries = try ledger.historyPage(of: request.workspace, start: from, count: request.count - leading.count)
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
            let candidates = try ledger.history(of: request.workspace, kinds: kinds, limit: nil)
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
    private func loadActivity(_ request: ActivityRequest) -> [ConsoleAction] {
        do {
            let page = try ledger.activityPage(before: request.before.map(EntryPosition.init), count: request.count,
                                               filter: request.filter, newerThan: request.newerThan)
            return [.activityLoaded(ActivityPage(request: request, entries: page.entries, nextOffset: page.next.value,
                                                 reachedEnd: page.reachedEnd, oldestTimeRead: page.oldestTimeRead, headSeq: page.headSeq))]
        } catch {
            let why = "activity could not be read: \(error.message(for: .read))"
            return [.activityLoaded(ActivityPage(request: request, entries: [], nextOffset: 0, reachedEnd: true, oldestTimeRead: nil,
                                                 headSeq: ledger.state.lastSeq, unreadable: why)),
                    .couldNot(why)]
        }
    }

    /// What the person is told when `what` could not be read: a damaged record is named on the
    /// status line, in a read's words; a server just lost says nothing here (the header shows
    /// it offline) and the rows already shown stay.
    static func unreadable(_ what: String, _ error: LedgerError) -> [ConsoleAction] {
        guard case .damaged = error else { return [] }
        return [.couldNot("\(what) could not be read: \(error.message(for: .read))")]
    }

    /// The entries a history search keeps (R22, `Entry.matchesHistorySearch`).
    private func searched(_ search: String, _ candidates: [Entry]) -> [Entry] {
        let catalog = ledger.state.catalog
        return search.isEmpty ? candidates : candidates.filter { $0.matchesHistorySearch(search, catalog: catalog) }
    }

    /// A workspace's credit entries since a time, newest first, and the newest one before it
    /// (which gives the balance the window opens with).
    private func creditEntries(_ workspace: String, since: Timestamp) -> [Entry] {
        var entries: [Entry] = []
        walkHistory(workspace) { entry in
            entries.append(entry)
            return entry.time >= since
        }
        return entries
    }

    /// The spending by person in the month of `asOf`, up to it (R17, R40, `MemberSpendTally`),
    /// read newest first until the month began.
    private func memberSpend(_ workspace: String, asOf: Timestamp) -> [MemberSpend] {
        (try? ledger.memberSpend(of: workspace, asOf: asOf)) ?? []
    }

    /// Hands a workspace's credit entries to `body` newest first, a page at a time, until it
    /// returns false or the history ends.
    private func walkHistory(_ workspace: String, _ body: (Entry) -> Bool) {
        var start = 0
        while let rows = try? ledger.historyPage(of: workspace, start: start, count: ConsoleRunLoop.historyWalkPage), !rows.isEmpty {
            for entry in rows { guard body(entry) else { return } }
            start += ConsoleRunLoop.historyWalkPage
        }
    }
}

/// The console's clock: fixed (`--now`, for scripts and tests), the real one, or the real one
/// shifted so a demo's history always ends just before "now".
struct ConsoleClock {
    var fixed: Timestamp?
    var offsetSeconds: Int64 = 0
    /// A demo's clock: the time it reads again each time the demo is put back (`R`, each tour).
    var restartsAt: Timestamp?

    /// Whether time moves (a fixed clock does not).
    var ticks: Bool { fixed == nil }

    func now() -> Timestamp {
        fixed ?? Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970) + offsetSeconds)
    }

    /// A clock that reads `start` now and runs on from there, and reads `start` again on `restart`.
    static func starting(at start: Timestamp) -> ConsoleClock {
        ConsoleClock(fixed: nil, offsetSeconds: start.secondsSinceEpoch - Int64(Date().timeIntervalSince1970), restartsAt: start)
    }

    /// A demo put back to its shipped state reads its start time again: the month, the holds'
    /// deadlines and the expiry warnings are the journal's, however long the stand has run.
    mutating func restart() {
        guard let start = restartsAt else { return }
        self = .starting(at: start)
    }
}
