import CreditKit

/// Keys of the Accounts and Workspace screens and of their text fields (filter and search).
extension ConsoleState {
    /// Whether typed characters go into a field (a filter, a search, a form) rather than commands.
    var textFieldHasFocus: Bool {
        switch top {
        case .accounts: return accounts.editingFilter
        case .workspace: return workspace?.editingSearch == true
        case .adjust, .budget: return true
        case .activity: return activity?.editingQuery == true
        case .reverse, .void, .autoTopUp, .memberLimit: return true
        default: return false
        }
    }

    /// Keys typed into a text field with focus; nil when the key is not text and goes on to the
    /// screen's bindings (arrows still move while a filter is typed).
    mutating func textKey(_ key: Key) -> [Effect]? {
        switch top {
        case .accounts where accounts.editingFilter:
            guard let edited = edit(accounts.filter, key, lengthMax: 64) else { return nil }
            switch edited {
            case .done: accounts.editingFilter = false
            case .cancel: accounts.editingFilter = false; accounts.filter = ""; recomputeAccountRows(keeping: selectedAccount)
            case .text(let text):
                accounts.filter = text
                recomputeAccountRows(keeping: selectedAccount)
            }
            return []
        case .workspace where workspace?.editingSearch == true:
            guard var model = workspace, let edited = edit(model.search, key, lengthMax: 64) else { return nil }
            switch edited {
            case .done: model.editingSearch = false; workspace = model; return []
            case .cancel: model.editingSearch = false; model.search = ""
            case .text(let text): model.search = text
            }
            model.cursor = ListCursor()
            if model.search.isEmpty && model.kind == nil { model.total = openWorkspace?.creditEntryCount ?? 0 }
            workspace = model
            return historyEffects(force: true)
        case .adjust(var model):
            if key == .character("?") && model.focus == .amount { return nil }
            switch key {
            case .character(let c) where model.focus == .amount:
                model.amount.type(c)
            case .character(let c) where model.focus == .reason:
                ReasonField.type(c, into: &model.reason)
            case .backspace, .delete:
                if model.focus == .amount { model.amount.erase() } else { _ = model.reason.popLast() }
            default: return nil
            }
            model.problem = nil
            top = .adjust(model)
            return []
        case .activity where activity?.editingQuery == true:
            return activityQueryKey(key)
        case .reverse:
            return reverseTextKey(key)
        case .void:
            return voidTextKey(key)
        case .autoTopUp:
            return autoTopUpTextKey(key)
        case .memberLimit:
            return memberLimitTextKey(key)
        case .budget(var model):
            guard model.volumes.indices.contains(model.focus) else { return nil }
            switch key {
            // Keys the planner binds (j, k, p, q, ?) act; every other character goes to the field.
            case .character(let c) where KeyMap.command(for: key, in: .budget, top: atBottom) == nil:
                model.volumes[model.focus].type(c)
            case .backspace, .delete:
                model.volumes[model.focus].erase()
            default: return nil
            }
            top = .budget(replan(model))
            return []
        default:
            return nil
        }
    }

    /// What a key does to a one-line text field.
    enum TextEdit { case text(String), done, cancel }

    /// Applies a key to a text field's content; nil for keys that are not editing.
    func edit(_ text: String, _ key: Key, lengthMax: Int) -> TextEdit? {
        switch key {
        case .character(let c):
            guard !c.isNewline else { return .done }
            return .text(text.count < lengthMax ? text + String(c) : text)
        case .backspace, .delete: return .text(String(text.dropLast()))
        case .enter: return .done
        case .escape: return .cancel
        default: return nil
        }
    }

    /// The id of the selected Accounts row, if any.
    var selectedAccount: String? {
        accounts.rows.indices.contains(accounts.cursor.selected) ? accounts.rows[accounts.cursor.selected] : nil
    }

    /// Commands of the Accounts screen.
    mutating func accountsCommand(_ command: UICommand) -> [Effect] {
        if moveCursor(&accounts.cursor, command, count: accounts.rows.count, visible: Layout.accountsRows(size)) { return [] }
        switch command {
        case .open:
            guard let id = selectedAccount else { return [] }
            return openWorkspace(id)
        case .search:
            accounts.editingFilter = true
        case .sort:
            advanceAccountSort()
        case .budget:
            openBudget(nil)
        case .activity:
            return openActivity()
        case .reverseSort:
            reverseAccountSort()
        default: break
        }
        return []
    }

    /// Clears the history's search and kind filter (Esc's first step back), keeping the view on
    /// the newest entry.
    mutating func clearHistoryNarrowing() -> [Effect] {
        guard var model = workspace else { return [] }
        model.search = ""
        model.kind = nil
        model.editingSearch = false
        model.cursor = ListCursor()
        model.total = openWorkspace?.creditEntryCount ?? 0
        workspace = model
        flash = Flash("search and filter cleared: every kind of entry shows", kind: .info)
        return historyEffects(force: true)
    }

    /// Shows the chart in place of the history, or the history again; showing it reads its entries.
    mutating func toggleChart() -> [Effect] {
        guard var model = workspace else { return [] }
        if model.chart != nil {
            model.chart = nil
            workspace = model
            return []
        }
        model.chart = WorkspaceChart(entries: [], now: now, loading: true)
        workspace = model
        return [.loadChartEntries(workspace: model.id, since: WorkspaceChart.windowStart(now: now))]
    }

    /// Commands of the Workspace screen.
    mutating func workspaceCommand(_ command: UICommand) -> [Effect] {
        guard var model = workspace, let ws = openWorkspace else { return [] }
        if moveCursor(&model.cursor, command, count: model.total, visible: Layout.historyRows(size)) {
            workspace = model
            return historyEffects()
        }
        switch command {
        case .open:
            if let entry = model.entry(at: model.cursor.selected) { stack.append(.entryDetail(entry)) }
        case .search:
            model.editingSearch = true
            workspace = model
        case .filterKind:
            let kinds: [EntryKind?] = [nil] + EntryKind.creditKinds.map { Optional($0) }
            let index = kinds.firstIndex(of: model.kind) ?? 0
            model.kind = kinds[(index + 1) % kinds.count]
            model.cursor = ListCursor()
            if model.kind == nil && model.search.isEmpty { model.total = ws.creditEntryCount }
            workspace = model
            flash = Flash("showing \(model.kind.map { "\($0.rawValue) entries" } ?? "every kind of entry")", kind: .info)
            return historyEffects(force: true)
        case .topUp: openTopUp(ws, preselect: nil)
        case .runAction: openRunAction(ws)
        case .adjust: openAdjust(ws)
        case .budget: openBudget(ws)
        case .chart: return toggleChart()
        case .void: return openVoid()
        case .autoTopUp: openAutoTopUp(ws)
        case .memberLimits: openMemberLimits(ws)
        default: break
        }
        return []
    }
}
