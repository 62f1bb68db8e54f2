import CreditKit
import LedgerCore

/// How the Accounts table is ordered (`s` cycles through them).
public enum AccountSort: String, CaseIterable, Hashable, Sendable {
    case name, balance, badge, lastUse = "last use"

    /// The next order in the cycle.
    public var next: AccountSort {
        let all = AccountSort.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// The Accounts screen: a live filter, an order, the matching workspace ids, and the cursor.
public struct AccountsModel: Hashable, Sendable {
    public var filter = ""
    public var editingFilter = false
    public var sort = AccountSort.name
    /// `S` turned the order round (see `ascending`).
    public var reversed = false
    /// Ids of the workspaces shown, in order; recomputed only when filter, order or data change.
    public var rows: [String] = []
    public var cursor = ListCursor()
    /// The narrow table's owner column width for these rows (`AccountsScreen.ownerWidth(of:)`),
    /// kept with the rows so a frame never walks every workspace.
    public var ownerWidth = AccountsScreen.narrowOwnerWidthMax + 1

    public init() {}
}

/// Which part of a workspace's credit history to show, and where to read it.
public struct HistoryRequest: Hashable, Sendable {
    public var workspace: String
    /// First row wanted, counted from the newest entry of the (filtered) history.
    public var start: Int
    public var count: Int
    public var kind: EntryKind?
    public var search: String

    public init(workspace: String, start: Int, count: Int, kind: EntryKind?, search: String) {
        self.workspace = workspace; self.start = start; self.count = count; self.kind = kind; self.search = search
    }

    /// Whether the whole history is shown, so its length is known without reading it.
    public var isUnfiltered: Bool { kind == nil && search.isEmpty }
}

/// Rows of a history read for a request, with the length of the (filtered) history.
public struct HistoryPage: Hashable, Sendable {
    public var request: HistoryRequest
    public var total: Int
    public var entries: [Entry]

    public init(request: HistoryRequest, total: Int, entries: [Entry]) {
        self.request = request; self.total = total; self.entries = entries
    }
}

/// The Workspace screen: which workspace, the part of its history held in memory, the cursor
/// over the history, the kind filter and the search.
public struct WorkspaceModel: Hashable, Sendable {
    public var id: String
    /// Rows in the shown history; for a filtered view, as the last page read said.
    public var total: Int
    /// The rows held: `windowStart ..< windowStart + window.count` of the shown history.
    public var windowStart = 0
    public var window: [Entry] = []
    public var cursor = ListCursor()
    public var kind: EntryKind?
    public var search = ""
    public var editingSearch = false
    public var memberSpend: [MemberSpend] = []
    /// The chart shown in place of the history (`c`), once its entries are read; nil while hidden.
    public var chart: WorkspaceChart?
    /// The history read asked for and not yet answered (so one is not asked twice).
    public var pending: HistoryRequest?

    public init(id: String, total: Int) { self.id = id; self.total = total }

    /// The entry at a row of the shown history, when it is held.
    public func entry(at row: Int) -> Entry? {
        let index = row - windowStart
        guard index >= 0, index < window.count else { return nil }
        return window[index]
    }
}

/// The workspace chart: the closing balance of each of the last 90 days and each member's spend
/// per week, folded from the entries the run loop read for it.
public struct WorkspaceChart: Hashable, Sendable {
    /// The closing balance of each of the last 90 days.
    public var balance: BalanceSeries
    /// Each member's spend per week.
    public var spend: WeeklySpend
    /// Whether the entries are still being read (the chart shows what it has).
    public var loading: Bool

    /// The chart of `entries` (the workspace's credit entries of the window and the one before it).
    public init(entries: [Entry], now: Timestamp, loading: Bool = false) {
        balance = BalanceSeries(entries: entries, now: now)
        spend = WeeklySpend(entries: entries, now: now)
        self.loading = loading
    }

    /// The first moment the chart needs entries from.
    public static func windowStart(now: Timestamp) -> Timestamp {
        BalanceSeries.dayStart(of: now).adding(days: Int64(1 - BalanceSeries.defaultDays))
    }
}

/// The top-up pack picker: the workspace and the highlighted pack.
public struct TopUpModel: Hashable, Sendable {
    public var workspace: String
    public var cursor: ListCursor
    /// The action the insufficient-credits notice was for, when the picker came from it: the
    /// result of the purchase then says it did not run and how to run it.
    public var forAction: String?

    public init(workspace: String, selected: Int) {
        self.workspace = workspace; self.cursor = ListCursor(selected: selected)
    }
}

/// The run-an-action picker: the workspace and the highlighted catalog action.
public struct RunActionModel: Hashable, Sendable {
    public var workspace: String
    public var cursor = ListCursor()

    public init(workspace: String) { self.workspace = workspace }
}

/// The adjustment form (R19): a signed amount and a required reason.
public struct AdjustModel: Hashable, Sendable {
    public enum Field: Hashable, Sendable { case amount, reason }
    public var workspace: String
    /// Whole credits with a sign, at most `NumberFieldLimits.adjustmentDigits` digits.
    public var amount = NumberFieldLimits.adjustment()
    public var reason = ""
    public var focus = Field.amount
    /// Why the last attempt to confirm was refused, shown under the form.
    public var problem: String?

    public init(workspace: String) { self.workspace = workspace }
}

/// The budget planner (R25): a monthly volume per catalog action, a plan, and the budget that
/// the planner computed for them (recomputed on every edit, so the screen is live).
public struct BudgetModel: Hashable, Sendable {
    public var workspace: String?
    /// One whole-number field per catalog action, in catalog order.
    public var volumes: [NumberField]
    public var focus = 0
    public var plan: String?
    public var balance: Credits
    public var budget: BudgetPlanner.Budget?
    public var problem: String?

    public init(workspace: String?, actionCount: Int, plan: String?, balance: Credits) {
        self.workspace = workspace
        self.volumes = [NumberField](repeating: NumberFieldLimits.volume(), count: actionCount)
        self.plan = plan
        self.balance = balance
    }
}

/// A screen on the navigation stack; Esc and `q` pop it, `q` quits from the bottom one.
public enum Screen: Hashable, Sendable {
    case accounts
    case workspace
    case entryDetail(Entry)
    case topUp(TopUpModel)
    case runAction(RunActionModel)
    case adjust(AdjustModel)
    case budget(BudgetModel)
    case activity
    case reverse(ReverseModel)
    case void(VoidModel)
    /// R37: the auto top-up form.
    case autoTopUp(AutoTopUpForm)
    /// R40: the members' monthly limits form.
    case memberLimit(MemberLimitForm)
}

/// Which button of a dialog has focus: confirmations start on Cancel (R23).
public enum DialogFocus: Hashable, Sendable { case cancel, confirm }

/// A dialog over the current screen. Each is plain data, so tests can assert on it.
public enum Dialog: Hashable, Sendable {
    /// Buy a pack: exact price, credits and the balance before and after (R23).
    case purchase(PurchaseConfirmation, focus: DialogFocus)
    /// Run an action: exact cost and the balance after (R23).
    case run(RunConfirmation, focus: DialogFocus)
    /// Not enough credits (R8): cost, balance, shortfall and the smallest covering pack.
    case insufficient(InsufficientNotice, focus: DialogFocus)
    /// Record an adjustment (R19): amount, reason and the balance after.
    case adjustment(AdjustConfirmation, focus: DialogFocus)
    /// Reverse an adjustment or grant (R34): the entry, the reason and the balance after.
    case reversal(ReversalConfirmation, focus: DialogFocus)
    /// Void what is left of a grant (R36): the grant, what it removes, the reason and the balance after.
    case void(VoidConfirmation, focus: DialogFocus)
    /// Set, switch off or resume an auto top-up rule (R37, R39), or a member's limit (R40): what will be recorded.
    case setting(SettingConfirmation, focus: DialogFocus)
}

/// What a purchase confirmation shows.
public struct PurchaseConfirmation: Hashable, Sendable {
    public var workspace: String
    public var pack: Catalog.Pack
    public var balanceBefore: Credits
    public var balanceAfter: Credits
    /// R26: this confirmation's own payment reference; a retry of it never buys twice.
    public var payment: String?

    public init(workspace: String, pack: Catalog.Pack, balanceBefore: Credits, balanceAfter: Credits, payment: String? = nil) {
        self.workspace = workspace; self.pack = pack; self.balanceBefore = balanceBefore; self.balanceAfter = balanceAfter
        self.payment = payment
    }
}

/// What an action's cost confirmation shows, and the command it will submit.
public struct RunConfirmation: Hashable, Sendable {
    public var workspace: String
    public var action: Catalog.Action
    public var command: Command
    /// `job console-6012` or `design design-6012`: what the charge will be recorded against.
    public var reference: String
    public var balanceBefore: Credits
    public var balanceAfter: Credits
}

/// What the insufficient-credits notice shows (R8).
public struct InsufficientNotice: Hashable, Sendable {
    public var workspace: String
    public var actionName: String
    public var cost: Credits
    public var balance: Credits
    public var shortfall: Credits
    public var suggestion: PackSuggestion?
    /// Whether the person may buy; when not, who can.
    public var canBuy: Bool
    public var owner: String
    /// R35: credits open holds reserve; `balance` is then the available balance.
    public var held: Credits = 0
    /// R40: when the person's monthly limit binds too, how far the cost is past what is left of it.
    public var limit: LimitShortfall?
}

/// What an adjustment confirmation shows.
public struct AdjustConfirmation: Hashable, Sendable {
    public var workspace: String
    public var amount: Credits
    public var reason: String
    public var balanceBefore: Credits
    public var balanceAfter: Credits
    /// R26: this confirmation's own request id; a retry of it never adjusts twice.
    public var request: String?
}

/// A one-line message over the hint bar: the result of a purchase, a refusal, a warning.
public struct Flash: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case info, success, refusal }
    public var text: String
    public var kind: Kind

    public init(_ text: String, kind: Kind) { self.text = text; self.kind = kind }
}

/// Who is at the console and on what: fixed for a run.
public struct Session: Hashable, Sendable {
    public var actor: String
    /// A short name for the ledger in the header (its catalog, or `DEMO`).
    public var ledgerLabel: String
    public var demo: Bool
    public var glyphs: Glyphs
    public var mouse: Bool
    /// A stand's console: `q` and Ctrl-C do not quit; only the chord Ctrl-X then `q` does.
    public var kiosk: Bool
    /// `--read-only`: browse, search and export; no key that writes is offered or answers.
    public var readOnly: Bool
    /// What this run's confirmation ids start with (R26): unique to the run, so no two
    /// confirmations, of this console or another, share a payment or request id.
    public var idPrefix: String

    public init(actor: String, ledgerLabel: String, demo: Bool, glyphs: Glyphs, mouse: Bool = true, kiosk: Bool = false,
                readOnly: Bool = false, idPrefix: String = "console") {
        self.actor = actor; self.ledgerLabel = ledgerLabel; self.demo = demo; self.glyphs = glyphs; self.mouse = mouse
        self.kiosk = kiosk; self.readOnly = readOnly; self.idPrefix = idPrefix
    }
}

