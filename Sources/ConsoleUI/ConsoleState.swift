import CreditKit
import LedgerCore

/// Everything the console shows, as one value: the ledger as last read, who is looking, the
/// screen stack with each screen's model, any dialog, the help overlay and the last message.
/// `reduce` is the only thing that changes it and `render` the only thing that draws it.
public struct ConsoleState: Sendable {
    /// The ledger as last read. For a large ledger only some workspaces are loaded: the ones
    /// opened and the ones recent records name; `summaries` covers every workspace.
    public var ledger: LedgerState
    /// What Accounts shows of every workspace, loaded or not.
    public var summaries: [String: WorkspaceSummary] = [:]
    /// S3: the soonest time any summary's credits expire, kept with the summaries so a clock
    /// tick (every key) checks one time, not every workspace.
    var nextExpiry: Timestamp?
    /// A workspace asked to open before it was loaded; it opens when the load arrives.
    public var pendingOpen: String?
    var pendingOpenReplaces = false
    public var session: Session
    public var now: Timestamp
    public var size: Size
    /// The navigation stack, never empty: the bottom screen is where `q` quits.
    public var stack: [Screen]
    public var accounts = AccountsModel()
    public var workspace: WorkspaceModel?
    /// The Activity screen's model while it is open (support).
    public var activity: ActivityModel?
    /// Which entries are known to be reversed, and by which (R34).
    public var reversals = ReversalIndex()
    /// The export prompt while it is open.
    public var exportPrompt: ExportPrompt?
    /// When the journal was last read, and which entries just arrived from another desk.
    public var live = LiveMarks()
    /// Whether the ledger's server answers; while it does not, the last screen stays and writes are refused.
    public var link = LedgerLink.reachable
    public var dialog: Dialog?
    /// A write the run loop is still waiting on (another desk holds the lock, or mail is slow),
    /// and whether the person asked to give up; keys other than Esc and Ctrl-C wait.
    public var writeUnderWay: WriteUnderWay?
    public var showingHelp = false
    public var flash: Flash?
    /// The `:` command palette, while it is open.
    public var palette: Palette?
    /// The attract tour's caption while it plays; nil when a person has the keys.
    public var tourCaption: String?
    /// In a kiosk, Ctrl-X was pressed: a `q` now quits.
    public var kioskChordArmed = false
    /// The action a purchase from the insufficient notice was for, until its result shows.
    public var afterPurchase: String?
    /// The number of the last ledger record seen, to tell a live change from a repeat.
    public var seenSeq: Int64
    /// How many confirmations this run has opened: each takes the next id (R26).
    public var confirmationCount: Int64 = 0
    /// The last confirmation pressed, until its result comes back: shown again if it failed, so
    /// a retry submits the same id.
    public var lastConfirmed: Dialog?

    /// The state a console opens in: Accounts for a support agent; for an owner or member, their
    /// one workspace, or the list of theirs when they have several.
    public static func initial(ledger: LedgerState, summaries: [WorkspaceSummary]? = nil, session: Session, now: Timestamp,
                               size: Size, warnings: [String] = []) -> (ConsoleState, [Effect]) {
        var state = ConsoleState(ledger: ledger, session: session, now: now, size: size, stack: [.accounts],
                                 seenSeq: ledger.lastSeq)
        let all = summaries ?? ledger.workspaces.values.map(WorkspaceSummary.init)
        state.summaries = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
        state.bringSummariesUp()
        state.recomputeAccountRows(keeping: nil)
        var effects: [Effect] = []
        if !state.isSupport, state.accounts.rows.count == 1 {
            effects = state.openWorkspace(state.accounts.rows[0], replacingStack: true)
        }
        if let first = warnings.first {
            let more = warnings.count > 1 ? " (and \(warnings.count - 1) more)" : ""
            state.flash = Flash("theme: \(first)\(more)", kind: .refusal)
        } else if state.accounts.rows.isEmpty {
            state.flash = Flash("\(session.actor) has no workspace in this ledger", kind: .refusal)
        }
        return (state, effects)
    }

    /// Whether the person at the console is a support agent (sees Accounts and Adjust).
    public var isSupport: Bool { person.isSupport }

    /// The person at the console, as R18 sees them in this ledger.
    public var person: Person { ledger.person(session.actor) }

    /// The screen on top of the stack.
    public var top: Screen {
        get { stack[stack.count - 1] }
        set { stack[stack.count - 1] = newValue }
    }

    /// Whether the top screen is the bottom of the stack (where `q` quits).
    public var atBottom: Bool { stack.count <= 1 }

    /// The open workspace as last read and brought up to now (S3), if any.
    public var openWorkspace: WorkspaceState? { workspace.flatMap { workspaceNow($0.id) } }

    /// A loaded workspace as it stands now: what every screen shows and every cost is checked
    /// against, the figures `balance` gives (S3, `Engine.bringUp`).
    public func workspaceNow(_ id: String) -> WorkspaceState? { Engine.stateAt(now, of: id, in: ledger) }

    /// S3, R35: brings the Accounts summaries whose credits expired, or whose holds ran out, by now
    /// up to now.
    mutating func bringSummariesUp() {
        var due: [String] = []
        var soonest: Timestamp?
        for summary in summaries.values {
            if summary.hasDueExpiry(at: now) { due.append(summary.id) } else { soonest = Self.soonest(soonest, summary) }
        }
        for id in due {
            summaries[id] = summaries[id]?.broughtUp(to: now)
            soonest = Self.soonest(soonest, summaries[id])
        }
        nextExpiry = soonest
    }

    /// The earlier of `soonest` and the first time `summary`'s credits expire (S3) or one of its
    /// holds runs out (R35: a hold's deadline changes the views as an expiry does).
    private static func soonest(_ soonest: Timestamp?, _ summary: WorkspaceSummary?) -> Timestamp? {
        var soonest = soonest
        for parcel in summary?.expiring ?? [] where parcel.credits > 0 { soonest = min(soonest ?? parcel.expires, parcel.expires) }
        for hold in summary?.holds ?? [] { soonest = min(soonest ?? hold.expires, hold.expires) }
        return soonest
    }

    /// Badge level of a balance under the ledger's catalog.
    public func badge(_ balance: Credits) -> BadgeLevel { ledger.badge(for: balance) }

    /// Rebuilds the Accounts rows from the ledger, filter and order, keeping `keeping` selected.
    /// Each row's sort key is computed once, in one pass over the summaries, and the ids are
    /// sorted by it: a list of a hundred thousand workspaces costs one key per workspace, not one
    /// per comparison.
    mutating func recomputeAccountRows(keeping id: String?) {
        var ids: [String]
        var owners: [String]
        switch accounts.sort {
        case .name where !AccountsScreen.showsName(width: size.width):
            // The name is not shown: order by what is, the id.
            (ids, owners) = visibleRows { _ in 0 }
        case .name: (ids, owners) = visibleRows { $0.name.lowercased() }
        case .balance: (ids, owners) = visibleRows { $0.available }
        case .badge:
            // R35: the badge, like the Balance column, follows the available balance.
            (ids, owners) = visibleRows { BadgeOrder(level: badge($0.available), available: $0.available) }
        case .lastUse:
            // Last use is the last charge, newest first; never-charged workspaces come last.
            (ids, owners) = visibleRows { LastUseOrder(lastCharge: $0.lastCharge) }
        }
        if accounts.reversed { ids.reverse() }
        accounts.rows = ids
        accounts.ownerWidth = AccountsScreen.ownerWidth(of: owners)
        if let id, let index = accounts.rows.firstIndex(of: id) { accounts.cursor.selected = index }
        accounts.cursor.clamp(count: accounts.rows.count, visible: Layout.accountsRows(size))
    }

    /// The ids of the workspaces the person may see that match the Accounts filter, ordered by
    /// `key`, then by id; and their owners, in no order.
    private func visibleRows<Key: Comparable>(by key: (WorkspaceSummary) -> Key) -> (ids: [String], owners: [String]) {
        let needle = accounts.filter.lowercased()
        let viewer = person
        var keyed: [(key: Key, id: String)] = []
        var owners: [String] = []
        keyed.reserveCapacity(summaries.count)
        owners.reserveCapacity(summaries.count)
        for summary in summaries.values where Permissions.allows(.seeWorkspace, by: viewer, in: WorkspacePeople(summary)) {
            guard needle.isEmpty || summary.id.lowercased().contains(needle) || summary.name.lowercased().contains(needle)
                || summary.owner.lowercased().contains(needle) else { continue }
            keyed.append((key(summary), summary.id))
            owners.append(summary.owner)
        }
        keyed.sort { $0.key < $1.key || ($0.key == $1.key && $0.id < $1.id) }
        return (keyed.map(\.id), owners)
    }

    /// Opens a workspace over the current screen (or as the only screen) and asks for its history.
    mutating func openWorkspace(_ id: String, replacingStack: Bool = false) -> [Effect] {
        guard let ws = workspaceNow(id) else {
            guard summaries[id] != nil else { return [] }
            pendingOpen = id
            pendingOpenReplaces = replacingStack
            return [.loadWorkspace(id)]
        }
        workspace = WorkspaceModel(id: id, total: ws.creditEntryCount)
        if replacingStack { stack = [.workspace] } else { stack.append(.workspace) }
        return historyEffects(force: true) + [.loadMemberSpend(workspace: id, asOf: now)]
    }

    /// The read the history needs so the visible rows are held, if they are not already.
    mutating func historyEffects(force: Bool = false) -> [Effect] {
        guard var model = workspace else { return [] }
        let visible = Layout.historyRows(size)
        let first = model.cursor.scroll
        let last = min(model.total, first + visible)
        let held = first >= model.windowStart && last <= model.windowStart + model.window.count
        if held && !force { return [] }
        let start = max(0, first - Layout.historyPrefetch)
        let request = HistoryRequest(workspace: model.id, start: start, count: visible + 2 * Layout.historyPrefetch,
                                     kind: model.kind, search: model.search)
        if !force && model.pending == request { return [] }
        model.pending = request
        workspace = model
        return [.loadHistory(request)]
    }
}

/// Side effects `reduce` asks for, as values: the run loop performs them and feeds the results
/// back as actions. Nothing in ConsoleUI reads a file or writes the ledger.
public enum Effect: Hashable, Sendable {
    case quit
    /// Record a command through the ledger (the same path as the command line).
    case submit(Command)
    /// Read rows of a workspace's history; answered by `.historyLoaded`.
    case loadHistory(HistoryRequest)
    /// Sum the spending by member in the month of `asOf`, up to it (R40); answered by `.memberSpendLoaded`.
    case loadMemberSpend(workspace: String, asOf: Timestamp)
    /// Read a workspace's credit entries since a time, and the last one before it (the opening
    /// balance); answered by `.chartEntriesLoaded`.
    case loadChartEntries(workspace: String, since: Timestamp)
    /// Load a workspace that is not in memory yet; answered by `.ledgerChanged`.
    case loadWorkspace(String)
    /// Put the demo ledger back to its shipped state; answered by `.demoReset`.
    case resetDemo
    /// Ctrl-Z: give the terminal back and stop, as vim and less do; redraw on `fg`.
    case suspend
    /// Read entries of every workspace for Activity; answered by `.activityLoaded`.
    case loadActivity(ActivityRequest)
    /// Find the entry that reverses `seq` (R34); answered by `.reversalFound`.
    case findReversal(workspace: String, seq: Int64)
    /// Put text on the clipboard through the terminal (OSC 52).
    case copy(String)
    /// Write the view's entries to a file; answered by `.exported`.
    case export(ExportRequest)
    /// Give up the write under way if it is still waiting for the lock; answered by `.wrote`.
    case abandonWrite
}

/// A write under way that the screen shows as waiting.
public struct WriteUnderWay: Hashable, Sendable {
    /// The command being written.
    public var command: Command
    /// Esc was pressed: the write gives up unless it already holds the lock.
    public var givingUp = false

    public init(command: Command) { self.command = command }
}

/// Everything that can happen to the console: input, time, and the answers to effects.
public enum ConsoleAction: Sendable {
    case key(Key)
    case mouse(MouseInput)
    /// Text pasted as one piece (bracketed paste): it goes into the focused text field only.
    case paste(String)
    /// Keys that came in the same burst as the key that opened a confirmation, dropped unread
    /// (an unbracketed paste), and how many: the confirmation waits for a key pressed after it.
    case burstIgnored(Int)
    case resize(Size)
    case clock(Timestamp)
    /// The ledger was read again and has records this console has not seen.
    case ledgerChanged(LedgerState)
    case historyLoaded(HistoryPage)
    case activityLoaded(ActivityPage)
    case reversalFound(seq: Int64, facts: ReversalFacts?)
    case exported(ExportRequest, ExportOutcome)
    /// The run loop read the journal for other desks' writes, at this wall-clock time.
    case refreshed(Timestamp)
    /// The ledger's server stopped answering at this wall-clock time (PostgreSQL).
    case linkLost(since: Timestamp)
    /// The journal could not be read at this wall-clock time (a file ledger: damage, or a read
    /// that failed); the console keeps its last good read.
    case journalUnreadable(since: Timestamp, error: LedgerError)
    /// The ledger's server answers again, or the journal reads cleanly again; a `.ledgerChanged`
    /// with what was written meanwhile follows.
    case linkRestored
    case memberSpendLoaded(workspace: String, spend: [MemberSpend])
    case chartEntriesLoaded(workspace: String, entries: [Entry])
    /// What the ledger answered a command, or why it could not be written (nothing was recorded).
    case submitted(Command, Result<SubmitOutcome, LedgerError>)
    /// A write came back: the ledger as it now stands, the command's result and any problems
    /// met after it was durable, in one action so the view is reduced and read once (R23).
    case wrote(Command, Result<SubmitOutcome, LedgerError>, ledger: LedgerState, warnings: [String])
    /// Problems met after a write was durable (the checkpoint, mail delivery), one line each:
    /// shown in the status line after the write's result, which stands.
    case afterCommitWarnings([String])
    /// A write is taking long (a lock held by another desk, slow mail): the screen says so.
    case writeWaiting(Command)
    /// What the run loop could not do (read Activity, reset the demo), as one line.
    case couldNot(String)
    /// The attract tour shows a caption (nil: the tour stopped).
    case tourCaption(String?)
    /// A person pressed a key during the tour: it stops and they have the keys.
    case tourHandedBack
    /// The demo ledger was put back to its shipped state: start again on it, at the demo's own
    /// "now" (its journal's), so a stand that runs for days never drifts into another month.
    case demoReset(LedgerState, summaries: [WorkspaceSummary], now: Timestamp)
}

/// Screen geometry shared by render and reduce, so a click or a page key lands where it shows.
public enum Layout {
    /// Rows of history read beyond what is visible, above and below.
    public static let historyPrefetch = 64

    /// First table row of the Accounts screen.
    public static let accountsTop = 3
    /// Visible rows of the Accounts table.
    public static func accountsRows(_ size: Size) -> Int { max(1, size.height - 5) }

    /// First history row of the Workspace screen.
    public static let historyTop = 8
    /// Visible rows of the history table.
    public static func historyRows(_ size: Size) -> Int { max(1, size.height - 10) }

    /// First row of a picker (top-up packs, actions).
    public static let pickerTop = 4
}

extension ConsoleState {
    /// S3, R22, R35: whether `entry` is an expiry or release due by now that no one has written
    /// yet (the history leads with them, as `history` marks them pending): it has no hash and a
    /// number past the last record read, which the next write may give to another entry.
    public func isPending(_ entry: Entry) -> Bool { entry.hash.isEmpty && entry.seq > ledger.lastSeq }
}

/// The Accounts order by badge: critical, then running low, then comfortable, each by the
/// available balance (R35).
struct BadgeOrder: Comparable {
    var level: BadgeLevel
    var available: Credits

    private var rank: Int {
        switch level { case .critical: return 0; case .low: return 1; case .comfortable: return 2 }
    }

    static func < (left: BadgeOrder, right: BadgeOrder) -> Bool {
        (left.rank, left.available) < (right.rank, right.available)
    }
}

/// The Accounts order by last use: the latest charge first, never-charged workspaces last.
struct LastUseOrder: Comparable {
    var lastCharge: Timestamp?

    static func < (left: LastUseOrder, right: LastUseOrder) -> Bool {
        switch (left.lastCharge, right.lastCharge) {
        case let (left?, right?): return left > right
        case (.some, nil): return true
        case (nil, _): return false
        }
    }
}
