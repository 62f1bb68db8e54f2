/// The mouse: the wheel scrolls the list under it, a click selects a row (a click on the
/// selected row opens it) or presses a dialog button.
extension ConsoleState {
    /// Rows the wheel moves per notch.
    static let wheelRows = 3

    mutating func handleMouse(_ mouse: MouseInput) -> [Effect] {
        guard size.isLargeEnough else { return [] }
        if showingHelp {
            if case .click = mouse { showingHelp = false }
            return []
        }
        if palette != nil {
            // A click elsewhere closes the palette; the wheel leaves it be.
            if case .click = mouse { palette = nil }
            return []
        }
        if let open = dialog {
            guard case let .click(x, y) = mouse else { return [] }
            let widget = DialogContent.widget(open, state: self)
            for (which, rect) in widget.buttons(in: size) where rect.contains(x: x, y: y) {
                dialog = open.withFocus(which)
                return dialogKey(.enter, open.withFocus(which))
            }
            return []
        }
        switch mouse {
        case .wheelUp: return scroll(by: -Self.wheelRows)
        case .wheelDown: return scroll(by: Self.wheelRows)
        case let .click(_, y): return click(row: y)
        }
    }

    /// Scrolls the list of the top screen.
    mutating func scroll(by delta: Int) -> [Effect] {
        switch top {
        case .accounts:
            accounts.cursor.scroll(by: delta, count: accounts.rows.count, visible: Layout.accountsRows(size))
        case .workspace:
            guard var model = workspace else { return [] }
            model.cursor.scroll(by: delta, count: model.total, visible: Layout.historyRows(size))
            workspace = model
            return historyEffects()
        case .activity:
            return scrollActivity(by: delta)
        case .topUp(var model):
            model.cursor.move(by: delta > 0 ? 1 : -1, count: ledger.catalog.packs.count, visible: ledger.catalog.packs.count)
            top = .topUp(model)
        case .runAction(var model):
            model.cursor.move(by: delta > 0 ? 1 : -1, count: ledger.catalog.actions.count, visible: ledger.catalog.actions.count)
            top = .runAction(model)
        default: break
        }
        return []
    }

    /// A click on screen row `y`: selects the table row there; on the selected row, opens it.
    mutating func click(row y: Int) -> [Effect] {
        func hit(_ cursor: inout ListCursor, top first: Int, count: Int, visible: Int) -> Bool? {
            let index = cursor.scroll + (y - first)
            guard y >= first, y < first + visible, index < count else { return nil }
            let again = index == cursor.selected
            cursor.select(index, count: count, visible: visible)
            return again
        }
        flash = nil
        switch top {
        case .accounts:
            guard let again = hit(&accounts.cursor, top: Layout.accountsTop, count: accounts.rows.count,
                                  visible: Layout.accountsRows(size)) else { return [] }
            return again ? accountsCommand(.open) : []
        case .workspace:
            guard var model = workspace,
                  let again = hit(&model.cursor, top: Layout.historyTop, count: model.total, visible: Layout.historyRows(size))
            else { return [] }
            workspace = model
            return again ? workspaceCommand(.open) : historyEffects()
        case .activity:
            guard var model = activity,
                  let again = hit(&model.cursor, top: Layout.accountsTop, count: model.rows.count, visible: activityVisible)
            else { return [] }
            activity = model
            return again ? activityCommand(.open) : activityEffects()
        case .topUp(var model):
            let count = ledger.catalog.packs.count
            guard let again = hit(&model.cursor, top: Layout.pickerTop, count: count, visible: count) else { return [] }
            top = .topUp(model)
            return again ? openPurchase(model) : []
        case .runAction(var model):
            let count = ledger.catalog.actions.count
            guard let again = hit(&model.cursor, top: Layout.pickerTop, count: count, visible: count) else { return [] }
            top = .runAction(model)
            return again ? openRun(model) : []
        default:
            return []
        }
    }
}
