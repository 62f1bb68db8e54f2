import CreditKit

/// The top-up pack picker: every pack with price, credits, $/credit, bonus and balance after.
enum TopUpScreen {
    /// The picker's columns; `after` titles the last number (`Available after` under holds, R35),
    /// and the numbers are as wide as the widest of `rows`.
    static func table(width: Int, glyphs: Glyphs, after: String = "Balance after", rows: [[Span]] = []) -> TableWidget {
        TableWidget(columns: [
            .init("Pack", 12), .init("Price", 9, right: true), .init("Credits", 8, right: true),
            .init("$/credit", 8, right: true), .init("Bonus", 6, right: true), .init(after, max(14, CellWidth.of(after)), right: true),
            .init("", 10, flexible: true),
        ], width: width, glyphs: glyphs, rows: rows)
    }

    /// R35: what the pickers' last column is called: the balance, or under holds what is available.
    static func afterTitle(_ ws: WorkspaceState) -> String { ws.held > 0 ? "Available after" : "Balance after" }

    static func draw(_ grid: inout Grid, _ state: ConsoleState, model: TopUpModel) {
        guard let ws = state.workspaceNow(model.workspace) else { return }
        let glyphs = state.session.glyphs
        let catalog = state.ledger.catalog
        Chrome.header(&grid, state, title: "Top up \(ws.name)", right: Chrome.balanceSpans(ws, state: state))
        let validity = catalog.expiry?.packValidDays.map { "stay valid for \($0) days" } ?? "never expire"
        grid.put(" Choose a pack. Credits land at once and \(validity).",
                 x: 0, y: 2, style: .dim)
        let best = catalog.bestValuePack
        // R35: what will be available after the pack, as the header's balance and the
        // confirmation say (holds keep what they reserve).
        let rows: [[Span]] = catalog.packs.map { pack in
            let bonus = catalog.bonusPercent(of: pack)
            return [
                Span(pack.id),
                Span(AmountFormat.dollarsShort(pack.priceCents), .money),
                Span(AmountFormat.grouped(pack.credits)),
                Span(AmountFormat.perCredit(priceCents: pack.priceCents, credits: pack.credits)),
                Span(bonus > 0 ? "+\(bonus)%" : glyphs.dash, bonus > 0 ? .positive : .dim),
                Span(AmountFormat.grouped(ws.available + pack.credits)),
                pack == best ? Span("\(glyphs.star) best value", .best) : Span(""),
            ]
        }
        let table = table(width: grid.width, glyphs: glyphs, after: afterTitle(ws), rows: rows)
        table.drawHeader(&grid, y: 3)
        for (index, cells) in rows.enumerated() {
            table.drawRow(&grid, y: Layout.pickerTop + index, cells: cells, selected: index == model.cursor.selected)
        }
        guard catalog.packs.indices.contains(model.cursor.selected) else { return }
        let pack = catalog.packs[model.cursor.selected]
        let after = ws.available + pack.credits
        let level = state.badge(after)
        let y = Layout.pickerTop + catalog.packs.count + 1
        let noun = ws.held > 0 ? "available" : "balance"
        grid.put([Span(" \(pack.id): ", .title), Span(AmountFormat.dollars(pack.priceCents), .money),
                  Span(" for \(CountText.credits(pack.credits)) \(glyphs.dot) \(noun) \(AmountFormat.grouped(ws.available)) \(glyphs.arrow) "),
                  Span("\(AmountFormat.grouped(after)) \(level.glyph(ascii: glyphs.ascii)) \(level.word)", StyleToken.badge(level))],
                 x: 0, y: y)
        if state.isSupport && ws.owner != state.session.actor {
            grid.put(" As a support agent you buy for the owner, \(ws.owner); the history records both.", x: 0, y: y + 1, style: .dim)
        }
    }
}

/// The run-an-action picker: every catalog action with its cost and the balance after it.
enum RunActionScreen {
    /// The picker's columns; `after` titles the last number, as in the top-up picker.
    static func table(width: Int, glyphs: Glyphs, after: String = "Balance after", rows: [[Span]] = []) -> TableWidget {
        TableWidget(columns: [
            .init("Action", 24, flexible: true, limit: 40), .init("Kind", 6), .init("Cost", 7, right: true),
            .init(after, max(14, CellWidth.of(after)), right: true), .init("", 22),
        ], width: width, glyphs: glyphs, rows: rows)
    }

    static func draw(_ grid: inout Grid, _ state: ConsoleState, model: RunActionModel) {
        guard let ws = state.workspaceNow(model.workspace) else { return }
        let glyphs = state.session.glyphs
        Chrome.header(&grid, state, title: "Run an action in \(ws.name)", right: Chrome.balanceSpans(ws, state: state))
        grid.put(" Credits are taken only when a job succeeds; a clone is bought once, for good.", x: 0, y: 2, style: .dim)
        // R40: what is left of the person's monthly limit binds as the pool does.
        let read = state.workspace.flatMap { $0.id == ws.id ? $0.memberSpend : nil }
        let limitLeft = (read.map(ws.limitStandings(spent:)) ?? ws.limitStandings(at: state.now))
            .first { $0.member == state.session.actor }?.left
        // R35: what open holds reserve cannot be spent: shortness and what is left after are
        // both the available balance's, as in the header and the confirmation.
        let rows: [[Span]] = state.ledger.catalog.actions.map { action in
            let after = ws.available - action.credits
            let short = action.credits > ws.available || action.credits > (limitLeft ?? action.credits)
            return [
                Span(action.name),
                Span(action.kind.rawValue, .dim),
                Span(AmountFormat.grouped(action.credits)),
                Span(short ? glyphs.dash : AmountFormat.grouped(after), short ? .dim : StyleToken.badge(state.badge(after))),
                shortNote(action, in: ws, limitLeft: limitLeft),
            ]
        }
        let table = table(width: grid.width, glyphs: glyphs, after: TopUpScreen.afterTitle(ws), rows: rows)
        table.drawHeader(&grid, y: 3)
        for (index, cells) in rows.enumerated() {
            table.drawRow(&grid, y: Layout.pickerTop + index, cells: cells, selected: index == model.cursor.selected)
        }
    }
}

extension RunActionScreen {
    /// The row's note when the action cannot run: the pool's shortfall (R8, R35, the available
    /// balance) or the monthly limit's (R40), whichever is larger, since both must be met.
    static func shortNote(_ action: Catalog.Action, in ws: WorkspaceState, limitLeft: Credits?) -> Span {
        let pool = action.credits - ws.available, limit = limitLeft.map { action.credits - $0 } ?? 0
        if limit > 0 && limit >= pool { return Span("short by \(AmountFormat.grouped(limit)) (limit)", .warning) }
        return pool > 0 ? Span("short by \(AmountFormat.grouped(pool))", .warning) : Span("")
    }
}

/// The text of each dialog, made in one place from its data.
enum DialogContent {
    static func widget(_ dialog: Dialog, state: ConsoleState) -> DialogWidget {
        let glyphs = state.session.glyphs
        // While holds reserve credits (R35), the line shows the available balance, as the badge
        // does: the credits the next action can spend. A console write never moves what is held.
        func balanceLine(_ before: Credits, _ after: Credits, in workspace: String) -> [Span] {
            let held = state.workspaceNow(workspace)?.held ?? 0
            let level = state.badge(after - held)
            return [Span("\(held > 0 ? "Available" : "Balance") \(AmountFormat.grouped(before - held)) \(glyphs.arrow) "),
                    Span("\(AmountFormat.grouped(after - held))", .title),
                    Span(" (\(level.glyph(ascii: glyphs.ascii)) \(level.word))", StyleToken.badge(level))]
                + (held > 0 ? [Span(" \(glyphs.dot) \(AmountFormat.grouped(held)) held", .dim)] : [])
        }
        switch dialog {
        case let .purchase(purchase, focus):
            let price = AmountFormat.dollars(purchase.pack.priceCents)
            return DialogWidget(title: "Confirm purchase", lines: [
                [Span("\(purchase.pack.id) for "), Span(price, .money), Span(" \(glyphs.arrow) +\(CountText.credits(purchase.pack.credits))")],
                balanceLine(purchase.balanceBefore, purchase.balanceAfter, in: purchase.workspace),
                [Span("Workspace \(purchase.workspace)", .dim)],
            ], cancel: "Cancel", confirm: "Buy for \(AmountFormat.dollarsShort(purchase.pack.priceCents))", focus: focus)
        case let .run(run, focus):
            return DialogWidget(title: "Confirm: \(run.action.name)", lines: [
                [Span("\(run.action.name) costs "), Span("\(CountText.credits(run.action.credits))", .title)],
                // The job or item id on a line of its own: a console run's ids are long, and never cut.
                [Span(run.reference.prefix(1).uppercased() + run.reference.dropFirst(), .dim)],
                balanceLine(run.balanceBefore, run.balanceAfter, in: run.workspace),
                [Span(run.action.kind == .clone ? "The clone is the workspace's for good." : "Charged once per job; a failed job is refunded.", .dim)],
            ], cancel: "Cancel", confirm: "Run for \(AmountFormat.grouped(run.action.credits)) cr", focus: focus)
        case let .insufficient(notice, focus):
            var lines: [[Span]] = [[Span("\(notice.actionName) costs \(CountText.credits(notice.cost)).")]]
            // R40: a monthly limit that binds too is named first, since a top-up does not change it.
            if let limit = notice.limit {
                lines.append([Span("Your monthly limit has \(AmountFormat.grouped(limit.left)) of \(AmountFormat.grouped(limit.limit)) left: "),
                              Span("\(CountText.credits(limit.shortfall)) short", .error), Span(".")])
                lines.append([Span("A top-up does not raise a limit: ask \(notice.owner) or support.", .warning)])
            }
            lines.append([Span(notice.held > 0 ? "Available is \(AmountFormat.grouped(notice.balance)) (\(AmountFormat.grouped(notice.held)) held): \(notice.limit == nil ? "you are" : "the pool is") "
                                               : "Balance is \(AmountFormat.grouped(notice.balance)): \(notice.limit == nil ? "you are" : "the pool is") "),
                          Span("\(CountText.credits(notice.shortfall)) short", .error), Span(".")])
            if let suggestion = notice.suggestion {
                lines.append([Span("Smallest pack that covers it: "), Span(suggestion.label, .title),
                              Span(" (+\(AmountFormat.grouped(suggestion.credits)) for \(AmountFormat.dollars(suggestion.priceCents)))")])
            }
            if !notice.canBuy {
                lines.append([Span("Only the owner, \(notice.owner), can buy credits: ask them to top up.", .warning)])
            }
            return DialogWidget(title: "Not enough credits", lines: lines, cancel: "Back",
                                confirm: notice.canBuy ? "b Buy credits" : nil, focus: notice.canBuy ? focus : .cancel)
        case let .reversal(reversal, focus):
            return ReverseScreen.dialog(reversal, focus: focus, state: state)
        case let .void(confirmation, focus):
            return VoidScreen.dialog(confirmation, focus: focus, state: state)
        case let .setting(confirmation, focus):
            return SettingText.dialog(confirmation, focus: focus, state: state)
        case let .adjustment(adjustment, focus):
            return DialogWidget(title: "Confirm adjustment", lines: [
                [Span("Adjust \(adjustment.workspace) by "), Span("\(CountText.signedCredits(adjustment.amount))",
                                                                     adjustment.amount < 0 ? .negative : .positive)],
                [Span("Reason: "), Span(Fit.cut(adjustment.reason, 46, ellipsis: glyphs.ellipsis), .title)],
                balanceLine(adjustment.balanceBefore, adjustment.balanceAfter, in: adjustment.workspace),
                [Span("Recorded as \(state.session.actor), with the time and reason.", .dim)],
            ], cancel: "Cancel", confirm: "Record adjustment", focus: focus)
        }
    }
}
