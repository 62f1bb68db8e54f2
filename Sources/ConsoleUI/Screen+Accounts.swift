import CreditKit

/// The Accounts screen: every workspace the person may see, filtered live, sorted, with badges.
enum AccountsScreen {
    /// The table's columns at a width (the owner column appears from 100 columns up).
    static func table(width: Int, glyphs: Glyphs) -> TableWidget {
        // From 100 columns up the name and owner show too; workspace ids and names then share
        // the room up to what long ones need.
        let wide = width >= 100
        var columns: [TableWidget.Column] = [.init("Workspace", 16, flexible: true, limit: wide ? 30 : nil)]
        if wide { columns.append(.init("Name", 20, flexible: true, limit: 36)) }
        columns += [.init("Plan", 10), .init("Status", 9),
            .init("Balance", 9, right: true), .init("Badge", 13),
        ]
        if wide { columns.append(.init("Owner", 14)) }
        columns.append(.init("Last use", 9))
        return TableWidget(columns: columns, width: width, glyphs: glyphs)
    }

    static func draw(_ grid: inout Grid, _ state: ConsoleState) {
        let glyphs = state.session.glyphs
        let model = state.accounts
        Chrome.header(&grid, state, title: state.isSupport ? "Accounts" : "Your workspaces")
        if model.editingFilter || !model.filter.isEmpty {
            grid.put([Span(" / ", .filter), Span(model.filter + (model.editingFilter ? glyphs.cursor : ""), .filter)], x: 0, y: 1)
        } else {
            let noun = model.rows.count == 1 ? "workspace" : "workspaces"
            grid.put(" \(AmountFormat.grouped(Int64(model.rows.count))) \(noun) \(glyphs.dot) sorted by \(model.sort.rawValue)", x: 0, y: 1, style: .dim)
        }
        let counter = TableWidget.counter(selected: model.cursor.selected, count: model.rows.count)
        grid.put(counter, x: max(0, grid.width - CellWidth.of(counter) - 1), y: 1, style: .dim)
        let table = table(width: grid.width, glyphs: glyphs)
        table.drawHeader(&grid, y: 2)
        let visible = Layout.accountsRows(Size(width: grid.width, height: grid.height))
        if model.rows.isEmpty {
            let text = model.filter.isEmpty ? "No workspaces to show." : "No workspace matches \"\(model.filter)\". Esc clears the filter."
            grid.put(text, x: 2, y: Layout.accountsTop + 1, style: .dim)
        }
        let first = model.cursor.scroll
        for row in 0..<visible {
            let index = first + row
            guard index < model.rows.count, let ws = state.summaries[model.rows[index]] else { break }
            let level = state.badge(ws.balance)
            var cells = [Span(ws.id)]
            if grid.width >= 100 { cells.append(Span(ws.name, .dim)) }
            cells += [
                Span(state.ledger.catalog.plan(ws.plan)?.name ?? ws.plan),
                Span(ws.status.rawValue, ws.status == .active ? .normal : .dim),
                Span(AmountFormat.grouped(ws.balance), .normal),
                BadgeWidget.span(level, glyphs: glyphs),
            ]
            if grid.width >= 100 { cells.append(Span(ws.owner)) }
            cells.append(Span(ws.lastCharge.map { TimeText.ago($0, now: state.now) } ?? "never", .dim))
            table.drawRow(&grid, y: Layout.accountsTop + row, cells: cells, selected: index == model.cursor.selected)
        }
    }
}
