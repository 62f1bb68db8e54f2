import CreditKit

/// The Accounts screen: every workspace the person may see, filtered live, sorted, with badges.
enum AccountsScreen {
    /// The Accounts table's columns, chosen by width.
    enum Column: Hashable { case workspace, name, plan, status, balance, badge, owner, members, earned, spent, expiring, lastUse }

    /// Width at which the name and a full owner column show.
    static let wideWidth = 100
    /// Width from which members, lifetime earned and spent show, and the names fill the row.
    static let extraWideWidth = 160
    /// Width from which the last charge and the credits that expire show.
    static let widestWidth = 200
    /// The least room the workspace id keeps when a narrow table makes room for the owner.
    static let workspaceWidthMin = 16
    /// The widest owner column of a narrow table.
    static let narrowOwnerWidthMax = 10

    /// Which columns show at a width: below 100 the owner joins when its longest name fits
    /// beside a workspace column of 16; from 100 the name and owner; from 160 members, lifetime
    /// earned and spent, the members taking what is left of the row.
    static func columns(width: Int, ownerWidth: Int) -> [Column] {
        var columns: [Column] = [.workspace]
        if showsName(width: width) { columns.append(.name) }
        columns += [.plan, .status, .balance, .badge]
        if width >= wideWidth || narrowOwnerFits(width: width, ownerWidth: ownerWidth) { columns.append(.owner) }
        if width >= extraWideWidth { columns += [.members, .earned, .spent] }
        if width >= widestWidth { columns += [.expiring] }
        columns.append(.lastUse)
        return columns
    }

    /// Whether the display name has a column at this width (else the name order is by id).
    static func showsName(width: Int) -> Bool { width >= wideWidth }

    /// Whether an owner column `ownerWidth` wide fits a narrow table (its last-use column one
    /// cell narrower).
    static func narrowOwnerFits(width: Int, ownerWidth: Int) -> Bool {
        guard ownerWidth <= narrowOwnerWidthMax else { return false }
        let fixed = 10 + 9 + 9 + 13 + 8 + ownerWidth + 6 + 2
        return width - fixed >= workspaceWidthMin
    }

    /// The table's columns at a width, with the owner column as wide as `ownerWidth` on a
    /// narrow table (the longest owner's name shown).
    /// The numeric columns are as wide as the widest of `rows` (the rows shown).
    static func table(width: Int, glyphs: Glyphs, ownerWidth: Int = narrowOwnerWidthMax + 1, rows: [[Span]] = []) -> TableWidget {
        let shown = columns(width: width, ownerWidth: ownerWidth)
        let wide = width >= wideWidth, extraWide = width >= extraWideWidth
        let laid: [TableWidget.Column] = shown.map { column in
            switch column {
            case .workspace: return .init("Workspace", workspaceWidthMin, flexible: true, limit: wide ? 30 : nil, floor: 8)
            case .name: return .init("Name", 20, flexible: true, limit: extraWide ? nil : 36)
            case .plan: return .init("Plan", 10)
            case .status: return .init("Status", 9)
            case .balance: return .init("Balance", balanceWidth, right: true)
            // R20: the badge's word and glyph are never cut for a wide number.
            case .badge: return .init("Badge", 13, floor: 13)
            case .owner: return .init("Owner", wide ? 14 : ownerWidth, floor: 4)
            case .members: return .init("Members", 16, flexible: true, limit: 48)
            case .earned: return .init("Earned", 11, right: true)
            case .spent: return .init("Spent", 11, right: true)
            case .expiring: return .init("Expiring", 17)
            case .lastUse: return .init("Last use", wide ? 9 : (shown.contains(.owner) ? 8 : 9))
            }
        }
        return TableWidget(columns: laid, width: width, glyphs: glyphs, rows: rows)
    }

    /// One row's cells for the columns shown.
    static func cells(_ ws: WorkspaceSummary, columns: [Column], state: ConsoleState) -> [Span] {
        let level = state.badge(ws.available)
        return columns.map { column in
            switch column {
            case .workspace: return Span(ws.id)
            case .name: return Span(ws.name, .dim)
            case .plan: return Span(state.ledger.catalog.plan(ws.plan)?.name ?? ws.plan)
            case .status: return Span(ws.status.rawValue, ws.status == .active ? .normal : .dim)
            case .balance: return balanceCell(ws, glyphs: state.session.glyphs)
            case .badge: return BadgeWidget.span(level, glyphs: state.session.glyphs)
            case .owner: return Span(ws.owner)
            case .members:
                return Span(ws.members.isEmpty ? state.session.glyphs.dash : "\(ws.members.count): " + ws.members.joined(separator: ", "), .dim)
            case .earned: return Span(AmountFormat.grouped(ws.earned), .positive)
            case .spent: return Span(AmountFormat.grouped(ws.spent), .negative)
            case .lastUse: return Span(ws.lastCharge.map { TimeText.ago($0, now: state.now) } ?? "never", .dim)
            case .expiring:
                guard ws.expiringCredits > 0, let first = ws.firstExpiry else { return Span(state.session.glyphs.dash, .dim) }
                return Span("\(AmountFormat.grouped(ws.expiringCredits)) from \(TimeText.day(first, now: state.now))", first <= state.now ? .error : .warning)
            }
        }
    }

    /// R35: the available balance, marked when holds reserve part of the balance (the column
    /// widens to the widest shown, marker included).
    static func balanceCell(_ ws: WorkspaceSummary, glyphs: Glyphs) -> Span {
        let figure = AmountFormat.grouped(ws.available)
        guard ws.held > 0 else { return Span(figure, .normal) }
        return Span(figure + glyphs.held, .warning)
    }

    /// The Balance column's least width (it widens to the widest balance shown).
    static let balanceWidth = 9

    /// The owner column's width on a narrow table: the longest owner among the rows, at least its
    /// title; too wide to show when every row has the same owner (it would say nothing).
    static func ownerWidth(of owners: [String]) -> Int {
        guard let first = owners.first, owners.contains(where: { $0 != first }) else { return narrowOwnerWidthMax + 1 }
        var widest = CellWidth.of("Owner")
        var measured: Set<String> = []
        for owner in owners where measured.insert(owner).inserted {
            widest = max(widest, CellWidth.of(owner))
            // Wider than the narrow column allows: the owner will not show, whatever the rest say.
            if widest > narrowOwnerWidthMax { return widest }
        }
        return widest
    }

    static func draw(_ grid: inout Grid, _ state: ConsoleState) {
        let glyphs = state.session.glyphs
        let model = state.accounts
        Chrome.header(&grid, state, title: state.isSupport ? "Accounts" : "Your workspaces")
        let counter = TableWidget.counter(selected: model.cursor.selected, count: model.rows.count)
        if model.editingFilter || !model.filter.isEmpty {
            // The filter scrolls within the room the counter leaves.
            let room = max(0, grid.width - CellWidth.of(counter) - 2 - 3)
            grid.put([Span(" / ", .filter), Span(FormField.scrolled(model.filter, cursor: model.editingFilter ? glyphs.cursor : "", room: room,
                                                                     ellipsis: glyphs.ellipsis), .filter)], x: 0, y: 1, limit: room + 3)
        } else {
            let noun = model.rows.count == 1 ? "workspace" : "workspaces"
            grid.put(" \(AmountFormat.grouped(Int64(model.rows.count))) \(noun) \(glyphs.dot) sorted by \(state.accountSortLabel)",
                     x: 0, y: 1, style: .dim)
        }
        grid.put(counter, x: max(0, grid.width - CellWidth.of(counter) - 1), y: 1, style: .dim)
        let ownerWidth = model.ownerWidth
        let shown = columns(width: grid.width, ownerWidth: ownerWidth)
        // The rows on screen first (only those: a key costs the same at any number of
        // workspaces): the numeric columns are as wide as the widest of them.
        let visible = Layout.accountsRows(Size(width: grid.width, height: grid.height))
        let first = model.cursor.scroll
        var lines: [(index: Int, cells: [Span])] = []
        var anyHeld = false
        for row in 0..<visible {
            let index = first + row
            guard index < model.rows.count, let ws = state.summaries[model.rows[index]] else { break }
            anyHeld = anyHeld || ws.held > 0
            lines.append((index, cells(ws, columns: shown, state: state)))
        }
        var table = table(width: grid.width, glyphs: glyphs, ownerWidth: ownerWidth, rows: lines.map(\.cells))
        markSort(&table, model, glyphs: glyphs)
        table.drawHeader(&grid, y: 2)
        if model.rows.isEmpty {
            let text = model.filter.isEmpty ? "No workspaces to show." : "No workspace matches \"\(model.filter)\". Esc clears the filter."
            grid.put(text, x: 2, y: Layout.accountsTop + 1, style: .dim)
        }
        for (row, line) in lines.enumerated() {
            table.drawRow(&grid, y: Layout.accountsTop + row, cells: line.cells, selected: line.index == model.cursor.selected)
        }
        // R35: what the marker beside a balance means, while a row on screen carries it (the
        // visible rows only: a key costs the same at any number of workspaces).
        if anyHeld && !(model.editingFilter || !model.filter.isEmpty) {
            let legend = "\(glyphs.held) available, part held "
            grid.put(legend, x: max(0, grid.width - CellWidth.of(counter) - 2 - CellWidth.of(legend)), y: 1, style: .warning)
        }
    }

    /// Marks the column the rows are ordered by with the direction (`Balance ▲`, `Last use▼`):
    /// after a space when it fits, else right after the title.
    static func markSort(_ table: inout TableWidget, _ model: AccountsModel, glyphs: Glyphs) {
        let titles: [String]
        switch model.sort {
        case .name: titles = ["Name", "Workspace"]
        case .balance: titles = ["Balance"]
        case .badge: titles = ["Badge"]
        case .lastUse: titles = ["Last use"]
        }
        let columns = table.columns
        guard let index = titles.compactMap({ title in columns.firstIndex { $0.title == title } }).first else { return }
        let title = table.columns[index].title
        let arrow = model.directionGlyph(glyphs)
        let spaced = title + " " + arrow
        let room = table.columns[index].width
        if CellWidth.of(spaced) <= room {
            table.columns[index].title = spaced
        } else {
            table.columns[index].title = Fit.cut(title, max(0, room - CellWidth.of(arrow)), ellipsis: "") + arrow
        }
    }
}
