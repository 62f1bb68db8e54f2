import CreditKit
import LedgerCore

/// The console's one state transition: a state and an action in, the next state and the effects
/// the run loop must perform out. Pure: the same inputs always give the same outputs.
public func reduce(_ state: ConsoleState, _ action: ConsoleAction) -> (ConsoleState, [Effect]) {
    var next = state
    let effects = next.keptOnTheStand(next.withoutWrites(next.apply(action)) + next.reversalLookups(),
                                      chordCompleted: state.completesKioskChord(action))
    return (next, effects)
}

extension ConsoleState {
    /// Applies one action in place and returns the effects it asks for.
    mutating func apply(_ action: ConsoleAction) -> [Effect] {
        switch action {
        case .key(let key): return handleKey(key)
        case .mouse(let mouse): return handleMouse(mouse)
        case .paste(let text): return handlePaste(text)
        case .burstIgnored(let count): return ignoredBurst(count)
        case .resize(let newSize):
            return resized(to: newSize)
        case .clock(let time):
            now = time
            // S3: credits that expired by now change balances in every view at once.
            guard let due = nextExpiry, due <= time else { return [] }
            let effects = ledgerChanged(ledger)
            refreshOpenDialog()
            return effects
        case .ledgerChanged(let newLedger):
            let effects = ledgerChanged(newLedger)
            refreshOpenDialog()
            reversals.forgetAnswers()
            return effects + activityLiveEffects() + openTakeBackLookup()
        case .activityLoaded(let page):
            return activityLoaded(page)
        case .refreshed, .linkLost, .journalUnreadable, .linkRestored:
            followLedger(action)
            return []
        case let .exported(request, outcome):
            exported(request, outcome)
            return []
        case let .reversalFound(seq, facts):
            return reversalFound(seq, facts)
        case .historyLoaded(let page):
            historyLoaded(page)
            return []
        case let .memberSpendLoaded(id, spend):
            if workspace?.id == id { workspace?.memberSpend = spend }
            return []
        case let .chartEntriesLoaded(id, entries):
            if workspace?.id == id, workspace?.chart != nil { workspace?.chart = WorkspaceChart(entries: entries, now: now) }
            return []
        case let .submitted(command, result):
            noteReversal(result)
            wroteThrough(result)
            return submitted(command, result)
        case let .wrote(command, result, newLedger, warnings):
            return wrote(command, result, ledger: newLedger, warnings: warnings)
        case .afterCommitWarnings(let lines):
            showAfterCommitWarnings(lines)
            return []
        case .writeWaiting(let command):
            writeUnderWay = WriteUnderWay(command: command)
            flash = Flash("waiting for the ledger's lock (another desk is writing) \(session.glyphs.dot) Esc gives up", kind: .info)
            return []
        case .couldNot(let text):
            flash = Flash(text, kind: .refusal)
            return []
        case .tourCaption(let caption):
            tourCaption = caption
            return []
        case .tourHandedBack:
            // The visitor starts from a clean first screen: no filter, search or dialog the
            // tour left behind.
            return startAfresh(ledger: ledger, summaries: Array(summaries.values),
                               saying: Flash("Your turn: ? lists the keys, R resets the demo.", kind: .info))
        case let .demoReset(ledger, summaries, time):
            now = time
            return startAfresh(ledger: ledger, summaries: summaries,
                               saying: Flash("The demo is back to its shipped state.", kind: .success))
        }
    }

    /// A new terminal size: rows re-sorted when the name column comes or goes, cursors kept in view.
    private mutating func resized(to newSize: Size) -> [Effect] {
        let nameShownBefore = AccountsScreen.showsName(width: size.width)
        size = newSize
        // The name order follows what shows: by name with the name column, else by id.
        if accounts.sort == .name && AccountsScreen.showsName(width: size.width) != nameShownBefore {
            recomputeAccountRows(keeping: selectedAccount)
        }
        accounts.cursor.clamp(count: accounts.rows.count, visible: Layout.accountsRows(size))
        if var model = workspace {
            model.cursor.clamp(count: model.total, visible: Layout.historyRows(size))
            workspace = model
        }
        return historyEffects()
    }

    /// The first screen again over `ledger` (the tour handing back, the demo reset), with `flash`.
    private mutating func startAfresh(ledger: LedgerState, summaries: [WorkspaceSummary], saying flash: Flash) -> [Effect] {
        let (fresh, effects) = ConsoleState.initial(ledger: ledger, summaries: summaries, session: session, now: now, size: size)
        self = fresh
        self.flash = flash
        return effects
    }

    /// The key context of what has focus now: a dialog, else the top screen.
    public var keyContext: KeyContext {
        if !size.isLargeEnough { return .tooSmall }
        if palette != nil { return .palette }
        if exportPrompt != nil { return .exportPrompt }
        return screenKeyContext
    }

    /// The key context of the dialog or screen, under any palette.
    public var screenKeyContext: KeyContext {
        if !size.isLargeEnough { return .tooSmall }
        switch dialog {
        case .insufficient?: return .insufficient
        case .some: return .confirmation
        case nil: break
        }
        switch top {
        case .accounts: return .accounts
        case .workspace: return .workspace
        case .entryDetail: return .entryDetail
        case .topUp: return .topUp
        case .runAction: return .runAction
        case .adjust: return .adjust
        case .budget: return .budget
        case .activity: return .activity
        case .reverse: return .reverse
        case .void: return .void
        case .autoTopUp: return .autoTopUpForm
        case .memberLimit: return .memberLimitForm
        }
    }

    /// Routes a key: Ctrl-C quits from anywhere; then help, dialogs, text fields, screen keys.
    mutating func handleKey(_ key: Key) -> [Effect] {
        if writeUnderWay != nil { return keyWhileWriting(key) }
        if session.kiosk, let effects = kioskKey(key) { return effects }
        if key == .control("c") { return [.quit] }
        if key == .control("z") { return [.suspend] }
        if !size.isLargeEnough { return key == .character("q") ? [.quit] : [] }
        if showingHelp { showingHelp = false; return [] }
        flash = nil
        if let dialog { return dialogKey(key, dialog) }
        if exportPrompt != nil { return exportPromptKey(key) }
        if palette != nil { return paletteKey(key) }
        if let effects = textKey(key) { return effects }
        if session.demo, key == .character("R") { return [.resetDemo] }
        if key == .character(":") { return openPalette() }
        guard let command = KeyMap.command(for: key, in: keyContext, top: atBottom) else { return keyDoesNothing(key) }
        if refuseOnReadOnlyDesk(command) || refuseWhileUnreachable(command) { return [] }
        switch command {
        case .help: showingHelp = true; return []
        case .quit: return atBottom ? [.quit] : goBack()
        case .back:
            // Esc undoes the innermost thing first: a filter or search still narrowing the list
            // is cleared before the screen is left.
            if top == .accounts && !accounts.filter.isEmpty {
                accounts.filter = ""
                recomputeAccountRows(keeping: selectedAccount)
                return []
            }
            if let effects = clearActivityFilter() { return effects }
            if top == .workspace, workspace?.chart != nil {
                workspace?.chart = nil
                return []
            }
            if top == .workspace, let model = workspace, model.kind != nil || !model.search.isEmpty {
                return clearHistoryNarrowing()
            }
            return goBack()
        case .export: return openExport()
        default: break
        }
        switch top {
        case .accounts: return accountsCommand(command)
        case .workspace: return workspaceCommand(command)
        case .entryDetail(let entry):
            if command == .reverse { return openReversal(entry) }
            if [.copyEntry, .copyJob, .copyHash].contains(command) { return copyFromDetail(command, entry) }
            return detailIsOverActivity ? activityDetailCommand(command) : entryDetailCommand(command)
        case .activity: return activityCommand(command)
        case .reverse(let model): return reverseCommand(command, model)
        case .void(let model): return voidCommand(command, model)
        case .topUp(var model):
            if moveCursor(&model.cursor, command, count: ledger.catalog.packs.count, visible: ledger.catalog.packs.count) {
                top = .topUp(model)
                return []
            }
            if command == .open { return openPurchase(model) }
            return []
        case .runAction(var model):
            if moveCursor(&model.cursor, command, count: ledger.catalog.actions.count, visible: ledger.catalog.actions.count) {
                top = .runAction(model)
                return []
            }
            if command == .open { return openRun(model) }
            return []
        case .adjust(let model): return adjustCommand(command, model)
        case .budget(let model): return budgetCommand(command, model)
        case .autoTopUp(let model): return autoTopUpCommand(command, model)
        case .memberLimit(let model): return memberLimitCommand(command, model)
        }
    }

    /// Leaves the top screen; from the bottom screen Esc does nothing and `q` quits.
    mutating func goBack() -> [Effect] {
        guard !atBottom else { return nothingHere(.back) }
        let leaving = stack.removeLast()
        if leaving == .workspace {
            let keep = workspace?.id
            workspace = nil
            recomputeAccountRows(keeping: keep)
        }
        if leaving == .activity { activity = nil }
        return []
    }

    /// Moves a list cursor for a movement command; false when the command is not a movement.
    func moveCursor(_ cursor: inout ListCursor, _ command: UICommand, count: Int, visible: Int) -> Bool {
        let page = max(1, visible - 1)
        switch command {
        case .up: cursor.move(by: -1, count: count, visible: visible)
        case .down: cursor.move(by: 1, count: count, visible: visible)
        case .upTen: cursor.move(by: -10, count: count, visible: visible)
        case .downTen: cursor.move(by: 10, count: count, visible: visible)
        case .pageUp: cursor.move(by: -page, count: count, visible: visible)
        case .pageDown: cursor.move(by: page, count: count, visible: visible)
        case .top: cursor.select(0, count: count, visible: visible)
        case .bottom: cursor.select(max(0, count - 1), count: count, visible: visible)
        default: return false
        }
        return true
    }

    /// The refusal message when the person may not do `kind` in `ws` (R18), else nil.
    func refusal(_ kind: ActionKind, in ws: WorkspaceState) -> String? {
        Permissions.refusal(kind, by: person, in: WorkspacePeople(ws))?.message
    }

    /// The context commands are decided and recorded with: who is at the console, and now.
    var commandContext: CommandContext { CommandContext(actor: session.actor, time: now) }

    // MARK: Data coming back

    /// Takes a newer ledger state: rows keep their selection, the open history keeps the entry
    /// that was selected and its scroll position, and the visible rows are read again.
    mutating func ledgerChanged(_ newLedger: LedgerState) -> [Effect] {
        let selectedID = accounts.rows.indices.contains(accounts.cursor.selected) ? accounts.rows[accounts.cursor.selected] : nil
        ledger = newLedger
        seenSeq = newLedger.lastSeq
        for ws in newLedger.workspaces.values { summaries[ws.id] = WorkspaceSummary(ws) }
        bringSummariesUp()
        recomputeAccountRows(keeping: selectedID)
        // R42: a removal can take away what the open screens show.
        _ = dropWhatIsNoLongerVisible()
        followLedgerInMemberLimitForms()
        if let pending = pendingOpen, ledger.workspaces[pending] != nil {
            pendingOpen = nil
            return openWorkspace(pending, replacingStack: pendingOpenReplaces)
        }
        guard var model = workspace, let ws = workspaceNow(model.id) else { return [] }
        if model.kind == nil && model.search.isEmpty {
            let delta = ws.creditEntryCount - model.total
            model.total = ws.creditEntryCount
            if delta > 0 {
                model.cursor.selected += delta
                if model.cursor.scroll > 0 { model.cursor.scroll += delta }
            }
            model.cursor.clamp(count: model.total, visible: Layout.historyRows(size))
        }
        workspace = model
        let chartReload: [Effect] = model.chart == nil ? [] : [.loadChartEntries(workspace: model.id, since: WorkspaceChart.windowStart(now: now))]
        return historyEffects(force: true) + [.loadMemberSpend(workspace: model.id, asOf: now)] + chartReload
    }

    /// Takes rows of history read for the open workspace; answers to an older request are dropped.
    mutating func historyLoaded(_ page: HistoryPage) {
        guard var model = workspace, page.request.workspace == model.id,
              page.request.kind == model.kind, page.request.search == model.search else { return }
        model.windowStart = page.request.start
        model.window = page.entries
        model.total = page.total
        if model.pending == page.request { model.pending = nil }
        model.cursor.clamp(count: model.total, visible: Layout.historyRows(size))
        workspace = model
        showSelectedEntry()
    }

    /// Shows what a submitted command did, and puts the newest entry in view.
    mutating func submitted(_ command: Command, _ result: Result<SubmitOutcome, LedgerError>) -> [Effect] {
        let confirmed = lastConfirmed
        lastConfirmed = nil
        switch result {
        case .success(.recorded(let entries, _)):
            var text = SubmitText.recorded(command, entries: entries, state: self)
            if case .topUp = command, let action = afterPurchase {
                text += ". \(action) has not run: r runs it"
            }
            afterPurchase = nil
            flash = Flash(text, kind: .success)
            if var model = workspace, model.id == command.workspace {
                // A reversal leaves the person on the entry reversed, which now says by what.
                if case .reverse = command { return historyEffects(force: true) }
                model.cursor = ListCursor()
                workspace = model
                return historyEffects(force: true)
            }
        case .success(.alreadyRecorded(let why, _)):
            flash = Flash(why.message, kind: .info)
        case .success(.nothingToRecord(let text)):
            flash = Flash(text, kind: .info)
        case .success(.rejected(let rejection)):
            flash = Flash(rejection.message, kind: .refusal)
        case .failure(.lockWaitAbandoned):
            flash = Flash("gave up waiting for the ledger's lock: nothing was written", kind: .info)
        case .failure(let error):
            let text = error.description
            flash = Flash("not recorded: \(text)", kind: .refusal)
            // R26: the same confirmation, with the same id, so confirming again records it at most once.
            if let confirmed {
                dialog = confirmed.withFocus(.confirm)
                flash = Flash("not recorded: \(text); confirm again to retry (it is recorded at most once)", kind: .refusal)
            }
        }
        return []
    }
}

extension ConsoleState {
    /// Keys while a write waits: Esc asks it to give up (it still finishes if it holds the
    /// lock, and then says so), Ctrl-C gives up and quits (in a kiosk it waits like any other key).
    mutating func keyWhileWriting(_ key: Key) -> [Effect] {
        switch key {
        case .escape:
            writeUnderWay?.givingUp = true
            flash = Flash("giving up: nothing is written unless the lock was already taken", kind: .info)
            return [.abandonWrite]
        case .control("c") where !session.kiosk:
            return [.abandonWrite, .quit]
        default:
            flash = Flash("still waiting for the ledger's lock \(session.glyphs.dot) Esc gives up", kind: .info)
            return []
        }
    }

    /// A write's whole answer in one step: the fresh ledger, the result, the warnings after it.
    /// Both halves ask to read the history; only the last read asked for is kept, so one write
    /// reads the page in view once.
    mutating func wrote(_ command: Command, _ result: Result<SubmitOutcome, LedgerError>, ledger newLedger: LedgerState, warnings: [String]) -> [Effect] {
        writeUnderWay = nil
        var effects = ledgerChanged(newLedger)
        refreshOpenDialog()
        reversals.forgetAnswers()
        noteReversal(result)
        wroteThrough(result)
        effects += submitted(command, result)
        showAfterCommitWarnings(warnings)
        return Effect.keepingLastReads(effects + activityLiveEffects())
    }
}

extension Effect {
    /// `effects` with each kind of read asked for once: the last history read (it answers the
    /// newest request), and one member-spend read per workspace.
    static func keepingLastReads(_ effects: [Effect]) -> [Effect] {
        let lastHistory = effects.lastIndex { if case .loadHistory = $0 { return true } else { return false } }
        var seen: Set<Effect> = []
        return effects.indices.compactMap { index in
            let effect = effects[index]
            switch effect {
            case .loadHistory: return index == lastHistory ? effect : nil
            case .loadMemberSpend, .loadActivity: return seen.insert(effect).inserted ? effect : nil
            default: return effect
            }
        }
    }
}

extension ConsoleState {
    /// Adds the first of `lines` (and how many more) to the status line, after the write's
    /// result: `Bought topup_800 …: +10,000 credits … · warning: the checkpoint …`.
    mutating func showAfterCommitWarnings(_ lines: [String]) {
        guard let first = lines.first else { return }
        let more = lines.count > 1 ? " (and \(lines.count - 1) more)" : ""
        let result = flash.map { $0.text + " \(session.glyphs.dot) " } ?? ""
        flash = Flash(result + "warning: " + first + more, kind: .info)
    }
}

/// The one-line results the console shows after a write, made in one place. The outcome (credits
/// and the balance after) comes first and the free text (a job id, a reason) last, so a narrow
/// screen cuts the id, never the balance.
enum SubmitText {
    /// `Bought topup_200 for $200.00: +2,200 credits · balance 2,208 ● comfortable`;
    /// `Ran AI graphic: -6 credits · balance 2 ✖ critical · job console-…-1`.
    static func recorded(_ command: Command, entries: [Entry], state: ConsoleState) -> String {
        let credit = entries.last { $0.kind.movesCredits }
        let (what, detail) = summary(command, state: state)
        guard let credit, let balance = credit.balance else { return what + (detail.map { " (\($0))" } ?? "") }
        let level = state.badge(balance)
        let dot = " \(state.session.glyphs.dot) "
        return "\(what): \(CountText.signedCredits(credit.credits))\(dot)balance "
            + "\(AmountFormat.grouped(balance)) \(level.glyph(ascii: state.session.glyphs.ascii)) \(level.word)"
            + (detail.map { dot + $0 } ?? "")
    }

    /// What was done, in a few words, and the free text that names it (shown last).
    private static func summary(_ command: Command, state: ConsoleState) -> (what: String, detail: String?) {
        switch command {
        case let .topUp(_, pack, _):
            let price = state.ledger.catalog.pack(pack).map { " for " + AmountFormat.dollars($0.priceCents) } ?? ""
            return ("Bought \(pack)\(price)", nil)
        case let .charge(_, action, job):
            return ("Ran \(state.ledger.catalog.action(action)?.name ?? action)", "job \(job)")
        case let .clone(_, kind, item):
            return ("Cloned \(kind)", item)
        case let .adjust(_, _, reason, _):
            return ("Adjusted", reason)
        case let .reverse(_, seq, _):
            return ("Reversed entry #\(seq)", nil)
        case let .void(_, seq, reason):
            return ("Voided grant #\(seq)", reason)
        case .setAutoTopUp: return ("Auto top-up rule set", nil)
        case .autoTopUpOff: return ("Auto top-up switched off", nil)
        case .resumeAutoTopUp: return ("Auto top-up resumed", nil)
        case let .memberLimit(_, member, credits):
            return (credits.map { "\(member)'s monthly limit set to \(CountText.credits($0))" } ?? "\(member)'s monthly limit lifted", nil)
        default:
            return ("Recorded", nil)
        }
    }
}
