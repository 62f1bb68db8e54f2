import CreditKit

/// The Activity screen: one table of every workspace's entries, newest first, under the filter
/// line; `+N new` on the right when entries from other desks arrived above the view.
enum ActivityScreen {
    /// Below 100 columns the balance after each entry gives way to the workspace and what happened.
    static func showsBalance(_ width: Int) -> Bool { width >= 100 }

    /// The numeric columns are as wide as the widest of `rows` (the rows shown).
    static func table(width: Int, glyphs: Glyphs, rows: [[Span]] = []) -> TableWidget {
        let wide = width >= 120
        var columns: [TableWidget.Column] = [
            .init("Time", 12, floor: 12), .init("Workspace", 14, flexible: wide, limit: 20), .init("Kind", 10),
            .init("Credits", 7, right: true), .init("Balance", 8, right: true),
            .init("Who", wide ? 14 : 8), .init("What", 10, flexible: true),
        ]
        if !showsBalance(width) { columns.remove(at: 4) }
        return TableWidget(columns: columns, width: width, glyphs: glyphs, rows: rows)
    }

    /// One row: time, workspace, kind, credits and balance after (credit entries only), who, what.
    static func cells(_ entry: Entry, catalog: Catalog, glyphs: Glyphs, width: Int) -> [Span] {
        var cells = WorkspaceScreen.historyCells(entry, catalog: catalog, glyphs: glyphs)
        if !entry.kind.movesCredits { cells[2] = Span(""); cells[3] = Span("") }
        if !showsBalance(width) { cells.remove(at: 3) }
        cells.insert(Span(entry.workspace ?? glyphs.dash, .title), at: 1)
        return cells
    }

    static func draw(_ grid: inout Grid, _ state: ConsoleState) {
        guard let model = state.activity else { return }
        let glyphs = state.session.glyphs
        Chrome.header(&grid, state, title: "Activity")
        filterLine(&grid, state, model)
        let catalog = state.ledger.catalog
        // The rows on screen first: the numeric columns are as wide as the widest of them.
        let shown = (0..<Layout.accountsRows(Size(width: grid.width, height: grid.height))).map { model.cursor.scroll + $0 }
            .filter { $0 < model.rows.count }
            .map { (index: $0, entry: model.rows[$0], cells: cells(model.rows[$0], catalog: catalog, glyphs: glyphs, width: grid.width)) }
        let table = table(width: grid.width, glyphs: glyphs, rows: shown.map(\.cells))
        table.drawHeader(&grid, y: Layout.accountsTop - 1)
        if model.rows.isEmpty {
            grid.put(emptyText(model, glyphs: glyphs), x: 2, y: Layout.accountsTop + 1, style: .dim)
        }
        for (row, line) in shown.enumerated() {
            table.drawRow(&grid, y: Layout.accountsTop + row, cells: line.cells, selected: line.index == model.cursor.selected)
            Chrome.markFresh(&grid, state, line.entry, y: Layout.accountsTop + row)
        }
    }

    /// Row 1: what the view shows (or the prompt being typed), and on the right the position,
    /// how far back a narrow search has read, and the `+N new` counter.
    static func filterLine(_ grid: inout Grid, _ state: ConsoleState, _ model: ActivityModel) {
        let glyphs = state.session.glyphs
        var right: [Span] = []
        if model.newCount > 0 { right.append(Span(" +\(AmountFormat.grouped(Int64(model.newCount))) new (g) ", .warning)) }
        var counter = TableWidget.counter(selected: model.cursor.selected, count: model.rows.count)
        if model.canReadOlder && !model.rows.isEmpty { counter.insert("+", at: counter.index(before: counter.endIndex)) }
        if model.unreadable != nil { right.append(Span(" older: unreadable record ", .warning)) }
        if !model.reachedEnd, model.pending != nil || model.rows.count < Layout.accountsRows(state.size), let back = model.oldestTimeRead {
            right.append(Span("read back to \(TimeText.day(back)) ", .dim))
        }
        right.append(Span(counter + " ", .dim))
        let rightWidth = right.reduce(0) { $0 + CellWidth.of($1.text) }
        let room = max(1, grid.width - rightWidth - 1)
        var left = [Span(" Every workspace \(glyphs.dot) ", .title)]
        if model.editingQuery {
            // The draft scrolls within what the right side leaves: the cursor stays in sight.
            let before = left.reduce(2) { $0 + CellWidth.of($1.text) }
            left += [Span("/ ", .hintKey), Span(FormField.scrolled(model.draft, cursor: glyphs.cursor, room: max(0, room - before),
                                                                   ellipsis: glyphs.ellipsis), .filter)]
        } else if model.query.isEmpty {
            left.append(Span("newest first \(glyphs.dot) / filters", .dim))
        } else {
            left += [Span("filter ", .dim), Span(model.query, .filter)]
        }
        grid.put(left, x: 0, y: 1, limit: room)
        grid.put(right, x: max(0, grid.width - rightWidth), y: 1)
    }

    static func emptyText(_ model: ActivityModel, glyphs: Glyphs) -> String {
        if model.unreadable != nil { return "Stopped at a record that could not be read (the status line names it)." }
        if model.nextOffset == nil || (!model.reachedEnd && model.pending != nil) { return "Reading\(glyphs.ellipsis)" }
        return model.query.isEmpty ? "No entries yet." : "No entry matches \(model.query)."
    }
}
