import CreditKit

/// The Workspace screen: the badge box and summary, then the credit history, of which only
/// the visible rows are drawn (and only the rows near them are held in memory).
enum WorkspaceScreen {
    /// The history's columns; the numbers as wide as the widest of `rows` (the rows shown).
    static func historyTable(width: Int, glyphs: Glyphs, rows: [[Span]] = []) -> TableWidget {
        TableWidget(columns: [
            .init("Time", 12, floor: 12), .init("Kind", 10), .init("Credits", 7, right: true), .init("Balance", 8, right: true),
            .init("Who", width >= 120 ? 14 : 8), .init("What", 10, flexible: true),
        ], width: width, glyphs: glyphs, rows: rows)
    }

    static func draw(_ grid: inout Grid, _ state: ConsoleState) {
        guard let model = state.workspace, let ws = state.openWorkspace else { return }
        let glyphs = state.session.glyphs
        let catalog = state.ledger.catalog
        let planName = catalog.plan(ws.plan)?.name ?? ws.plan
        Chrome.header(&grid, state, title: ws.id,
                      right: [Span("\(planName) \(glyphs.dot) \(Chrome.roleLabel(state)) ", .header)])
        let box = drawBalanceBox(&grid, ws, state: state)
        // The summary lines beside the balance box.
        let x = box.x + box.width + 2
        let room = grid.width - x - 1
        let people = ws.members.isEmpty ? "no members" : "members \(ws.members.joined(separator: ", "))"
        let ellipsis = glyphs.ellipsis
        grid.putFitted([Span(ws.name, .title), Span(" \(glyphs.dot) owner \(ws.owner) \(glyphs.dot) \(people)", .dim)], x: x, y: 1,
                       limit: room, ellipsis: ellipsis)
        grid.putFitted([Span("Lifetime earned ", .dim), Span(AmountFormat.grouped(ws.earned), .positive, whole: true),
                        Span("  spent ", .dim), Span(AmountFormat.grouped(ws.spent), .negative, whole: true),
                        Span("  ", .dim), Span(nextGrant(ws, catalog: catalog), .dim, whole: true)], x: x, y: 2, limit: room, ellipsis: ellipsis)
        grid.putFitted(statusSpans(ws, state: state), x: x, y: 3, limit: room, ellipsis: ellipsis)
        // Credits about to expire lead the line, then auto top-up, then the alerts' state: a
        // narrow screen cuts what can wait.
        grid.putFitted(expiryWarningSpans(ws, state: state) + autoTopUpSpans(ws, state: state) + alertSpans(ws, state: state),
                       x: x, y: 4, limit: room, ellipsis: ellipsis)
        grid.putFitted(memberSpans(ws, model: model, state: state), x: x, y: 5, limit: room, ellipsis: ellipsis)
        if let chart = model.chart {
            drawChart(&grid, chart, state: state)
            return
        }
        // The history.
        var title = " Credit history \(glyphs.dot) \(model.kind.map { $0.rawValue + " only" } ?? "all kinds")"
        if model.editingSearch || !model.search.isEmpty { title += " \(glyphs.dot) / " }
        let used = grid.put(title, x: 0, y: 6, style: .title)
        let counter = TableWidget.counter(selected: model.cursor.selected, count: model.total)
        let counterX = max(0, grid.width - CellWidth.of(counter) - 1)
        if model.editingSearch || !model.search.isEmpty {
            // The search scrolls within the room the counter leaves: the cursor stays in sight.
            let room = max(0, counterX - 1 - used)
            grid.put(FormField.scrolled(model.search, cursor: model.editingSearch ? glyphs.cursor : "", room: room, ellipsis: glyphs.ellipsis),
                     x: used, y: 6, style: .filter, limit: room)
        }
        grid.put(counter, x: counterX, y: 6, style: .dim)
        // The rows on screen first: the numeric columns are as wide as the widest shown.
        let visible = Layout.historyRows(Size(width: grid.width, height: grid.height))
        let shown: [(index: Int, entry: Entry?, cells: [Span])] = (0..<visible).map { model.cursor.scroll + $0 }
            .filter { $0 < model.total }
            .map { index in
                guard let entry = model.entry(at: index) else { return (index, nil, [Span(glyphs.ellipsis, .dim)]) }
                return (index, entry, historyCells(entry, catalog: catalog, glyphs: glyphs, pending: state.isPending(entry)))
            }
        let table = historyTable(width: grid.width, glyphs: glyphs, rows: shown.map(\.cells))
        table.drawHeader(&grid, y: 7)
        if model.total == 0 {
            grid.put(model.kind == nil && model.search.isEmpty ? "No credit entries yet." : "No entry matches.",
                     x: 2, y: Layout.historyTop + 1, style: .dim)
        }
        for (row, line) in shown.enumerated() {
            table.drawRow(&grid, y: Layout.historyTop + row, cells: line.cells, selected: line.index == model.cursor.selected)
            if let entry = line.entry { Chrome.markFresh(&grid, state, entry, y: Layout.historyTop + row) }
        }
    }

    /// The balance box's least inner width, in cells (the box is 4 wider).
    static let balanceBoxInnerMin = 15

    /// The badge box: word, glyph and colour, never colour alone; the badge follows the
    /// available balance (R35), and what holds reserve takes the thresholds' line. The box widens
    /// to the balance and the held credits, so a number is never cut; returns where it is.
    @discardableResult
    static func drawBalanceBox(_ grid: inout Grid, _ ws: WorkspaceState, state: ConsoleState) -> Rect {
        let glyphs = state.session.glyphs
        let catalog = state.ledger.catalog
        let level = state.badge(ws.available)
        let amount = "\(AmountFormat.grouped(ws.balance)) cr"
        let held = "\(AmountFormat.grouped(ws.held)) held"
        let inner = max(balanceBoxInnerMin, CellWidth.of(amount), ws.held > 0 ? CellWidth.of(held) : 0)
        let box = Rect(x: 1, y: 1, width: inner + 4, height: 5)
        Frame.draw(&grid, box, glyphs: glyphs, style: .border)
        grid.put(" Balance ", x: 3, y: 1, style: .title)
        grid.put(BadgeWidget.span(level, glyphs: glyphs, upper: true).text, x: 3, y: 2, style: StyleToken.badge(level), limit: inner)
        grid.put(Fit.pad(amount, inner, right: true, ellipsis: glyphs.ellipsis), x: 3, y: 3, style: StyleToken.badge(level))
        let thresholds = glyphs.ascii
            ? "crit \(catalog.badge.criticalAtOrBelow) low \(catalog.badge.lowAtOrBelow)"
            : "crit≤\(catalog.badge.criticalAtOrBelow) low≤\(catalog.badge.lowAtOrBelow)"
        if ws.held > 0 {
            grid.put(Fit.pad(held, inner, right: true, ellipsis: glyphs.ellipsis), x: 3, y: 4, style: .warning)
        } else {
            grid.put(Fit.pad(thresholds, inner, right: true, ellipsis: glyphs.ellipsis), x: 3, y: 4, style: .dim)
        }
        return box
    }

    /// The chart in place of the history: the balance of the last 90 days with the badge
    /// thresholds as lines, then each member's spend per week.
    static func drawChart(_ grid: inout Grid, _ chart: WorkspaceChart, state: ConsoleState) {
        let glyphs = state.session.glyphs
        let catalog = state.ledger.catalog
        let title = " Balance \(glyphs.dot) last \(chart.balance.dailyClosing.count) days from \(TimeText.day(chart.balance.firstDay))"
            + (chart.loading ? " \(glyphs.dot) reading\(glyphs.ellipsis)" : "")
        grid.put(title, x: 0, y: 6, style: .title)
        let legend = "\(glyphs.ascii ? "-" : "┄") low \(catalog.badge.lowAtOrBelow)  \(glyphs.ascii ? "-" : "┄") critical \(catalog.badge.criticalAtOrBelow)"
        grid.put(legend, x: max(0, grid.width - CellWidth.of(legend) - 1), y: 6, style: .dim)
        let spendRows = min(max(1, chart.spend.rows.count), max(1, (grid.height - 12) / 3))
        let chartHeight = max(3, grid.height - 7 - 2 - spendRows - 1)
        let latest = (chart.balance.dailyClosing.last ?? nil) ?? 0
        LineChart(values: chart.balance.dailyClosing,
                  references: [.init(value: catalog.badge.lowAtOrBelow, style: .badgeLow),
                               .init(value: catalog.badge.criticalAtOrBelow, style: .badgeCritical)],
                  lineStyle: StyleToken.badge(state.badge(latest)))
            .draw(&grid, in: Rect(x: 1, y: 7, width: grid.width - 2, height: chartHeight), glyphs: glyphs)
        let spendTop = 7 + chartHeight
        grid.put(" Spend per week by member \(glyphs.dot) \(chart.spend.rows.first?.weeks.count ?? 13) weeks", x: 0, y: spendTop, style: .title)
        if chart.spend.rows.isEmpty {
            grid.put(chart.loading ? "" : "No charges in these weeks.", x: 2, y: spendTop + 1, style: .dim)
        }
        SpendSparklines(spend: chart.spend).draw(&grid, in: Rect(x: 2, y: spendTop + 1, width: grid.width - 3, height: spendRows), glyphs: glyphs)
    }

    /// One history row: time, kind, signed credits, balance after, who, and the exact action;
    /// a `pending` row (S3: due by now, not yet written) says so first in its what column.
    static func historyCells(_ entry: Entry, catalog: Catalog, glyphs: Glyphs, pending: Bool = false) -> [Span] {
        let what = historyWhat(entry, catalog: catalog, glyphs: glyphs)
        return [
            Span(TimeText.short(entry.time), .dim),
            Span(entry.kind.rawValue, entry.kind == .hold || entry.kind == .release ? .warning : .normal),
            creditsCell(entry),
            Span(AmountFormat.grouped(entry.balance ?? 0)),
            Span(entry.who),
            pending ? Span("pending \(glyphs.dot) " + what, .warning) : Span(what),
        ]
    }

    /// The credits a row moves; a hold or release moves none, so it shows what it reserved or
    /// gave back, in brackets (R35).
    static func creditsCell(_ entry: Entry) -> Span {
        if (entry.kind == .hold || entry.kind == .release), let held = entry.held {
            return Span("(\(AmountFormat.grouped(held)))", .warning)
        }
        // R41: a rollover moves its credits between grants, so the balance is unchanged.
        if let carried = entry.rollover { return Span("(\(AmountFormat.grouped(carried)))", .positive) }
        return Span(AmountFormat.signed(entry.credits), entry.credits < 0 ? .negative : .positive)
    }

    /// The history's what column: holds, releases and voids in the few words a row has room for
    /// (`ai_graphic until 14:05 · job j-7`, `hold #54 · job failed · job j-7`, `void of grant #12`):
    /// the kind column already says hold or release, and the job id comes last so a narrow column
    /// cuts it, not the time; the rest as everywhere.
    static func historyWhat(_ entry: Entry, catalog: Catalog, glyphs: Glyphs) -> String {
        let dot = glyphs.dot
        switch entry.kind {
        case .hold:
            let until = entry.expires.map { " until \(TimeText.until($0, from: entry.time))" } ?? ""
            return "\(entry.action ?? "?")" + until + " \(dot) job \(entry.job ?? "?")"
        case .release:
            let why = entry.reason ?? "job failed"
            return "hold #\(entry.ref ?? 0) \(dot) \(why) \(dot) job \(entry.job ?? "?")"
        case .void:
            return "void of grant #\(entry.ref ?? 0)" + (entry.reason.map { " \(dot) \($0)" } ?? "")
        default:
            return entry.what(catalog: catalog)
        }
    }

    static func nextGrant(_ ws: WorkspaceState, catalog: Catalog) -> String {
        switch ws.status {
        case .trial: return "no grant in trial"
        case .cancelled: return "no grant (cancelled)"
        case .active:
            let grant = catalog.plan(ws.plan)?.monthlyGrant ?? 0
            return grant > 0 ? "next grant +\(AmountFormat.grouped(grant))" : "no monthly grant"
        }
    }

    static func statusSpans(_ ws: WorkspaceState, state: ConsoleState) -> [Span] {
        let glyphs = state.session.glyphs
        let status: Span
        switch ws.status {
        case .active: status = Span("active", .positive)
        case .trial: status = Span("free trial: runs on top-ups", .warning)
        case .cancelled: status = Span("cancelled: keeps its balance", .warning)
        }
        var spans = [Span("Plan ", .dim), Span(state.ledger.catalog.plan(ws.plan)?.name ?? ws.plan), Span(" \(glyphs.dot) ", .dim), status]
        spans += heldSpans(ws, glyphs: glyphs)
        if let last = ws.lastGrant {
            spans.append(Span(" \(glyphs.dot) ", .dim))
            spans.append(Span("last grant \(TimeText.day(last))", .dim, whole: true))
        }
        return spans
    }

    /// R35: what open holds reserve and what is left to spend, `held 75 · available 425`; none
    /// without a hold.
    static func heldSpans(_ ws: WorkspaceState, glyphs: Glyphs) -> [Span] {
        guard ws.held > 0 else { return [] }
        return [Span(" \(glyphs.dot) ", .dim), Span("held \(AmountFormat.grouped(ws.held))", .warning, whole: true),
                Span(" \(glyphs.dot) ", .dim), Span("available \(AmountFormat.grouped(ws.available))", whole: true)]
    }

    /// R24: whether the low and empty alerts are armed or when they were sent.
    static func alertSpans(_ ws: WorkspaceState, state: ConsoleState) -> [Span] {
        let glyphs = state.session.glyphs
        func describe(_ armed: Bool, _ sent: Timestamp?) -> Span {
            if let sent, !armed { return Span("sent \(TimeText.day(sent))", .warning, whole: true) }
            return Span(armed ? "armed" : "idle", .dim)
        }
        let catalog = state.ledger.catalog
        return [Span("Alerts ", .dim), Span("at \(glyphs.ascii ? "<=" : "≤")\(catalog.alerts.lowAtOrBelow) ", .dim), describe(ws.alerts.lowArmed, ws.alerts.lastLowSent),
                Span(" \(glyphs.dot) at 0 ", .dim), describe(ws.alerts.emptyArmed, ws.alerts.lastEmptySent)]
    }

    /// Credits about to expire within the catalog's warning time, each followed by a dot: R41's
    /// rolled-over credits in words of their own (`40 rolled-over credits expire in 3 days`), then
    /// promotional, plan or pack credits (S3, `120 cr expire Jan 13`); each counts only what
    /// expires on the date it names, and no credit is in both; none when nothing expires soon.
    static func expiryWarningSpans(_ ws: WorkspaceState, state: ConsoleState) -> [Span] {
        guard let warnDays = state.ledger.catalog.expiry?.warnDays else { return [] }
        let dot = Span(" \(state.session.glyphs.dot) ", .dim)
        var spans: [Span] = []
        if let soon = ws.rolledOverExpiringSoon(after: state.now, withinDays: warnDays) {
            spans += [Span("\(AmountFormat.grouped(soon.credits)) rolled-over credits expire \(RolloverText.within(soon.first, from: state.now))",
                           .warning, whole: true), dot]
        }
        // The rolled-over credits have their line above; this one counts the others (S3).
        if let soon = ws.expiringSoon(after: state.now, withinDays: warnDays, rolledOver: false) {
            spans += [Span("\(AmountFormat.grouped(soon.credits)) cr expire \(TimeText.day(soon.first, now: state.now))", .warning, whole: true), dot]
        }
        return spans
    }

    static func memberSpans(_ ws: WorkspaceState, model: WorkspaceModel, state: ConsoleState) -> [Span] {
        let glyphs = state.session.glyphs
        var spans = [Span("This month ", .dim)]
        // R40: a limited member shows against their limit, whether or not they spent yet, and
        // the limited come first, nearest their limit first: a narrow screen cuts the others.
        // The month's spend is the one read from the history as of the console's now (R40).
        let limits = Dictionary(uniqueKeysWithValues: ws.limitStandings(spent: model.memberSpend).map { ($0.member, $0) })
        let limited = limits.values.sorted { ($0.left, $0.member) < ($1.left, $1.member) }
            .map { MemberSpend(member: $0.member, credits: $0.spent) }
        let shown = limited + model.memberSpend.filter { limits[$0.member] == nil }
        if shown.isEmpty {
            spans.append(Span("no spending by \(([ws.owner] + ws.members).joined(separator: ", "))", .dim))
        }
        for (index, spend) in shown.enumerated() {
            if index > 0 { spans.append(Span(" \(glyphs.dot) ", .dim)) }
            spans.append(Span(spend.member + " "))
            spans.append(Span(AmountFormat.grouped(spend.credits), .negative, whole: true))
            if let standing = limits[spend.member] {
                spans.append(Span(" of \(AmountFormat.grouped(standing.limit))", standing.left == 0 ? .warning : .dim, whole: true))
            }
        }
        return spans
    }
}

/// The full detail of one entry: every field it carries, its sequence number and hash.
enum EntryDetailScreen {
    static func draw(_ grid: inout Grid, _ state: ConsoleState, entry: Entry) {
        let glyphs = state.session.glyphs
        let catalog = state.ledger.catalog
        let pending = state.isPending(entry)
        // S3: an expiry due but not yet written has no number yet: the next write gives it one.
        let number = pending ? "pending" : "#\(entry.seq)"
        Chrome.header(&grid, state, title: pending ? "Pending entry" : "Entry #\(entry.seq)")
        var rows: [(String, String, StyleToken)] = [
            ("Sequence", pending ? "pending: due by now, written by the ledger's next write" : number, pending ? .warning : .normal),
            ("Time", entry.time.iso8601, .normal),
            ("Kind", entry.kind.rawValue, .title),
            ("Workspace", entry.workspace ?? glyphs.dash, .normal),
            ("Credits", AmountFormat.signed(entry.credits), entry.credits < 0 ? .negative : .positive),
        ]
        if let balance = entry.balance {
            let level = state.badge(balance)
            rows.append(("Balance after", "\(AmountFormat.grouped(balance)) (\(level.glyph(ascii: glyphs.ascii)) \(level.word))", StyleToken.badge(level)))
        }
        rows.append(("Who", entry.who, .normal))
        rows.append(("What", entry.what(catalog: catalog), .normal))
        if entry.kind == .hold { rows += holdRows(entry, state: state) }
        let optional: [(String, String?)] = [
            ("Action", entry.action.map { id in catalog.action(id).map { "\($0.name) (\(id))" } ?? id }),
            ("Held", entry.held.map { AmountFormat.grouped($0) }), ("Job", entry.job), ("Item", entry.item), ("Pack", entry.pack),
            ("Price", entry.priceCents.map(AmountFormat.dollars)), ("Invoice", entry.invoice), ("Plan", entry.plan),
            ("Reason", entry.reason), ("Source", entry.source?.rawValue), ("Expires", entry.expires?.iso8601),
            ("Refers to", entry.ref.map { "entry #\($0)" }),
            ("Reverses", entry.reverses.map { "entry #\($0)" }), ("Reversed by", state.reversals.by[entry.seq].map { "entry #\($0)" }),
        ]
        for (label, value) in optional { if let value { rows.append((label, value, .normal)) } }
        rows.append(("Hash", pending ? "\(glyphs.dash) (not yet written)" : entry.hash.isEmpty ? glyphs.dash : entry.hash, .dim))
        let box = Rect(x: 1, y: 2, width: grid.width - 2, height: min(grid.height - 5, rows.count + 2))
        Frame.draw(&grid, box, glyphs: glyphs, style: .border)
        grid.put(" \(entry.kind.rawValue) \(number) ", x: 3, y: 2, style: .title)
        let room = max(1, box.width - 19)
        var lines: [(String, String, StyleToken)] = []
        for row in rows {
            var rest = Substring(row.1)
            var label = row.0
            repeat {
                let piece = Fit.cut(String(rest), room, ellipsis: "")
                lines.append((label, piece, row.2))
                rest = rest.dropFirst(max(1, piece.count))
                label = ""
            } while !rest.isEmpty
        }
        let shown = Rect(x: box.x, y: box.y, width: box.width, height: min(grid.height - 5, lines.count + 2))
        grid.fill(x: 0, y: 2, width: grid.width, height: max(0, grid.height - 4), style: .normal)
        Frame.draw(&grid, shown, glyphs: glyphs, style: .border)
        grid.put(" \(entry.kind.rawValue) \(number) ", x: 3, y: 2, style: .title)
        for (index, line) in lines.enumerated() where 3 + index < shown.y + shown.height - 1 {
            grid.put(Fit.pad(line.0, 14, ellipsis: glyphs.ellipsis), x: 3, y: 3 + index, style: .dim)
            grid.put(line.1, x: 18, y: 3 + index, style: line.2, limit: room)
        }
    }

    /// R35: a hold's time to live and what became of it: still open, expired with its release
    /// pending, captured by the job's charge, or released.
    static func holdRows(_ entry: Entry, state: ConsoleState) -> [(String, String, StyleToken)] {
        guard let expires = entry.expires else { return [] }
        let ttl = ("Time to live", "\(durationText(expires.secondsSinceEpoch - entry.time.secondsSinceEpoch)), until \(expires.iso8601)", StyleToken.normal)
        return [ttl, holdOutcome(entry, expires: expires, state: state)]
    }

    static func holdOutcome(_ entry: Entry, expires: Timestamp, state: ConsoleState) -> (String, String, StyleToken) {
        guard let wsID = entry.workspace, let job = entry.job, let now = state.workspaceNow(wsID) else { return ("Outcome", "unknown", .dim) }
        if now.holds[job]?.seq == entry.seq {
            return ("Outcome", "open: \(AmountFormat.grouped(entry.held ?? 0)) held until \(TimeText.until(expires, from: state.now))", .warning)
        }
        if state.ledger.workspaces[wsID]?.holds[job]?.seq == entry.seq {
            return ("Outcome", "expired: released by the next write to the workspace", .warning)
        }
        if let charge = now.jobs[job], charge.chargeSeq > entry.seq {
            return ("Outcome", "captured by charge #\(charge.chargeSeq)", .positive)
        }
        return ("Outcome", "released: the credits went back to the available balance", .dim)
    }

    /// A time to live in the largest whole units: `1h`, `1h 30m`, `45m`, `20s`.
    static func durationText(_ seconds: Int64) -> String {
        if seconds < 60 { return "\(seconds)s" }
        let hours = seconds / 3600, minutes = seconds % 3600 / 60
        if hours == 0 { return "\(minutes)m" }
        return minutes == 0 ? "\(hours)h" : "\(hours)h \(minutes)m"
    }
}
