import CreditKit

/// The Activity screen's flows: open it from Accounts (`A`, support), read pages as the
/// selection goes down, filter with `/`, and take entries other desks append on top without
/// moving the selection.
extension ConsoleState {
    /// The most entries one read of what arrived since asks for; more than this reads the view again.
    static let activityLiveMax = 500

    /// `A` on Accounts: a support agent's view of every workspace's entries (R18: support browses all).
    mutating func openActivity() -> [Effect] {
        guard isSupport else {
            flash = Flash("Activity across workspaces is for support agents", kind: .refusal)
            return []
        }
        activity = ActivityModel()
        stack.append(.activity)
        return activityEffects()
    }

    /// Visible rows of the Activity table.
    var activityVisible: Int { Layout.accountsRows(size) }

    /// The read the view needs so the rows below the selection are held, if one is due.
    mutating func activityEffects() -> [Effect] {
        guard var model = activity, model.pending == nil else { return [] }
        let wanted = model.cursor.scroll + activityVisible + ActivityModel.prefetch
        guard model.nextOffset == nil || (model.rows.count < wanted && model.canReadOlder) else { return [] }
        let count = min(ActivityModel.rowsMax - model.rows.count, max(1, wanted - model.rows.count + ActivityModel.prefetch))
        let request = ActivityRequest(filter: model.filter, before: model.nextOffset, count: count)
        model.pending = request
        activity = model
        return [.loadActivity(request)]
    }

    /// Keys of the Activity screen.
    mutating func activityCommand(_ command: UICommand) -> [Effect] {
        guard var model = activity else { return [] }
        if moveCursor(&model.cursor, command, count: model.rows.count, visible: activityVisible) {
            model.newCount = min(model.newCount, model.cursor.scroll)
            activity = model
            return activityEffects()
        }
        switch command {
        case .open:
            guard model.rows.indices.contains(model.cursor.selected) else { return nothingHere(command) }
            stack.append(.entryDetail(model.rows[model.cursor.selected]))
        case .search:
            model.editingQuery = true
            model.draft = model.query
            activity = model
        default: return nothingHere(command)
        }
        return []
    }

    /// Keys typed into the filter prompt: Enter applies the line (or says what is wrong with it
    /// and keeps the prompt open), Esc closes the prompt and keeps the filter in force.
    mutating func activityQueryKey(_ key: Key) -> [Effect]? {
        guard var model = activity, model.editingQuery, let edited = edit(model.draft, key, lengthMax: ActivityQuery.lengthMax) else {
            return nil
        }
        switch edited {
        case .text(let text):
            model.draft = text
            activity = model
            return []
        case .cancel:
            model.editingQuery = false
            model.draft = model.query
            activity = model
            return []
        case .done:
            switch ActivityQuery.parse(model.draft, now: now) {
            case .failure(let problem):
                flash = Flash(problem.message, kind: .refusal)
                return []
            case .success(let filter):
                model.editingQuery = false
                activity = model
                return applyActivityFilter(query: model.draft, filter: filter)
            }
        }
    }

    /// Shows the entries `filter` takes, from the newest, and reads them.
    mutating func applyActivityFilter(query: String, filter: EntryFilter) -> [Effect] {
        var model = ActivityModel()
        model.query = query
        model.draft = query
        model.filter = filter
        activity = model
        flash = Flash(query.isEmpty ? "showing every entry" : "showing entries matching \(query)", kind: .info)
        return activityEffects()
    }

    /// Esc on Activity with a filter in force clears it first; true when it did.
    mutating func clearActivityFilter() -> [Effect]? {
        guard top == .activity, let model = activity, !model.query.isEmpty else { return nil }
        return applyActivityFilter(query: "", filter: EntryFilter())
    }

    /// Takes a page read for the view: older rows go below, newer ones on top with the
    /// selection and scroll kept on the same entries. Answers to an older filter are dropped.
    mutating func activityLoaded(_ page: ActivityPage) -> [Effect] {
        guard var model = activity, page.request.filter == model.filter else { return [] }
        if page.request.newerThan != nil {
            guard page.request.newerThan == model.headSeq else { return [] }
            guard page.reachedEnd else {
                // More arrived than one read takes: read the view again from the newest.
                return applyActivityFilter(query: model.query, filter: model.filter)
            }
            let added = page.entries.count
            model.headSeq = page.headSeq
            model.rows.insert(contentsOf: page.entries, at: 0)
            if model.rows.count > ActivityModel.rowsMax { model.rows.removeLast(model.rows.count - ActivityModel.rowsMax) }
            if added > 0, !model.rows.isEmpty, model.rows.count > added {
                model.cursor.selected += added
                model.cursor.scroll += added
                model.newCount += added
            }
            model.cursor.clamp(count: model.rows.count, visible: activityVisible)
            activity = model
            return []
        }
        guard model.pending == page.request else { return [] }
        model.pending = nil
        if page.request.before == nil { model.headSeq = page.headSeq }
        model.rows += page.entries
        model.nextOffset = page.nextOffset
        model.reachedEnd = page.reachedEnd
        model.unreadable = page.unreadable ?? model.unreadable
        model.oldestTimeRead = page.oldestTimeRead ?? model.oldestTimeRead
        model.cursor.clamp(count: model.rows.count, visible: activityVisible)
        activity = model
        return activityEffects()
    }

    /// The ledger grew: ask for what arrived since the view's newest record.
    func activityLiveEffects() -> [Effect] {
        guard let model = activity, model.nextOffset != nil, model.headSeq < ledger.lastSeq else { return [] }
        return [.loadActivity(ActivityRequest(filter: model.filter, before: nil, count: Self.activityLiveMax, newerThan: model.headSeq))]
    }

    /// In an entry's detail opened from Activity, ↓/j and ↑/k step through the Activity rows.
    mutating func activityDetailCommand(_ command: UICommand) -> [Effect] {
        guard var model = activity else { return [] }
        let before = model.cursor.selected
        _ = moveCursor(&model.cursor, command, count: model.rows.count, visible: activityVisible)
        guard model.cursor.selected != before else {
            flash = Flash(command == .down ? "this is the oldest entry read" : "this is the newest entry", kind: .info)
            return []
        }
        model.newCount = min(model.newCount, model.cursor.scroll)
        activity = model
        top = .entryDetail(model.rows[model.cursor.selected])
        return activityEffects()
    }

    /// The wheel over Activity: the view scrolls, the selection follows only when it leaves it.
    mutating func scrollActivity(by delta: Int) -> [Effect] {
        guard var model = activity else { return [] }
        model.cursor.scroll(by: delta, count: model.rows.count, visible: activityVisible)
        model.newCount = min(model.newCount, model.cursor.scroll)
        activity = model
        return activityEffects()
    }

    /// Whether the screen under the top one is Activity (a detail opened from it).
    var detailIsOverActivity: Bool { stack.count >= 2 && stack[stack.count - 2] == .activity }
}
