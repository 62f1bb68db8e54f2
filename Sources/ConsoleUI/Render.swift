import CreditKit

/// Draws the whole console for a state at a size: the screen on top of the stack, its dialog,
/// the help overlay, or the too-small message. Pure: the same state always gives the same Grid.
public func render(_ state: ConsoleState, size: Size) -> Grid {
    var grid = Grid(width: size.width, height: size.height)
    guard size.isLargeEnough else {
        TooSmallScreen.draw(&grid, glyphs: state.session.glyphs, kiosk: state.session.kiosk)
        if state.session.glyphs.ascii { grid.makeASCII() }
        return grid
    }
    switch state.top {
    case .accounts: AccountsScreen.draw(&grid, state)
    case .workspace: WorkspaceScreen.draw(&grid, state)
    case .entryDetail(let entry): EntryDetailScreen.draw(&grid, state, entry: entry)
    case .topUp(let model): TopUpScreen.draw(&grid, state, model: model)
    case .runAction(let model): RunActionScreen.draw(&grid, state, model: model)
    case .adjust(let model): AdjustScreen.draw(&grid, state, model: model)
    case .budget(let model): BudgetScreen.draw(&grid, state, model: model)
    case .activity: ActivityScreen.draw(&grid, state)
    case .reverse(let model): ReverseScreen.draw(&grid, state, model: model)
    case .void(let model): VoidScreen.draw(&grid, state, model: model)
    case .autoTopUp(let model): AutoTopUpFormScreen.draw(&grid, state, model: model)
    case .memberLimit(let model): MemberLimitFormScreen.draw(&grid, state, model: model)
    }
    if let dialog = state.dialog {
        DialogContent.widget(dialog, state: state).draw(&grid, glyphs: state.session.glyphs)
    }
    PaletteView.draw(&grid, state)
    ExportPromptView.draw(&grid, state)
    Chrome.footer(&grid, state)
    if state.showingHelp { HelpScreen.draw(&grid, state) }
    if state.session.glyphs.ascii { grid.makeASCII() }
    return grid
}

/// What every screen shares: the header line and the bottom two lines (message or rule, hints).
enum Chrome {
    /// A form's top: the header with `ws`'s balance on the right (`balanceSpans`), and on row 2 one
    /// dim line saying what the form does, cut to the width.
    static func formHeader(_ grid: inout Grid, _ state: ConsoleState, _ ws: WorkspaceState, title: String, intro: String) {
        header(&grid, state, title: title, right: balanceSpans(ws, state: state))
        grid.put(Fit.cut(intro, grid.width - 1, ellipsis: state.session.glyphs.ellipsis), x: 0, y: 2, style: .dim)
    }

    /// Row 0: `CreditDesk ─ title` on the left; ledger, who is looking and LIVE (or DEMO) on the right.
    static func header(_ grid: inout Grid, _ state: ConsoleState, title: String, right: [Span]? = nil) {
        let glyphs = state.session.glyphs
        grid.fill(x: 0, y: 0, width: grid.width, height: 1, style: .header)
        var spans = right ?? [Span("\(state.session.ledgerLabel) \(glyphs.dot) \(roleLabel(state)) ", .header)]
        if let refresh = refreshSpan(state) { spans.append(refresh) }
        if state.session.readOnly { spans.append(Span("READ-ONLY ", .warning)) }
        spans.append(state.session.demo ? Span(" DEMO ", .demo) : state.link.isReachable ? Span(" LIVE ", .live) : Span(" \(state.link.mark) ", .warning))
        let width = spans.reduce(0) { $0 + CellWidth.of($1.text) }
        // The title gives way to the balance, the person and the marker on the right.
        let brand = " CreditDesk \(glyphs.horizontal) "
        let room = max(0, grid.width - width - 1 - CellWidth.of(brand))
        let left = grid.put([Span(brand, .header), Span(Fit.cut(title, room, ellipsis: glyphs.ellipsis), .header)], x: 0, y: 0)
        grid.put(spans, x: max(left + 1, grid.width - width), y: 0)
    }

    /// `agent: maria`, `owner: sam (you)`, `member: lee (you)`.
    static func roleLabel(_ state: ConsoleState) -> String {
        if state.isSupport { return "agent: \(state.session.actor)" }
        if let ws = state.openWorkspace, let role = state.ledger.role(of: state.session.actor, in: ws) {
            return "\(role.rawValue): \(state.session.actor)"
        }
        return "you: \(state.session.actor)"
    }

    /// The last two rows: the message of the moment (or a rule) and the key hints.
    static func footer(_ grid: inout Grid, _ state: ConsoleState) {
        let y = grid.height - 2
        grid.fill(x: 0, y: y, width: grid.width, height: 2, style: .normal)
        if let caption = state.tourCaption {
            let glyphs = state.session.glyphs
            grid.fill(x: 0, y: y, width: grid.width, height: 1, style: .demo)
            let text = " \(glyphs.ascii ? ">" : "▶") TOUR  \(caption)"
            grid.put(Fit.cut(text, grid.width, ellipsis: glyphs.ellipsis), x: 0, y: y, style: .demo)
        } else if let flash = state.flash {
            let style: StyleToken = flash.kind == .success ? .success : flash.kind == .refusal ? .error : .warning
            let room = max(1, grid.width - 2)
            if CellWidth.of(flash.text) > room {
                // A long message takes the status area's two rows (its own and the hints', until
                // the next key), never a row of content above it.
                var head = Fit.cut(flash.text, room, ellipsis: "")
                // Break at the last space when there is one in the second half of the line.
                if let space = head.lastIndex(of: " "), head.distance(from: head.startIndex, to: space) > room / 2 {
                    head = String(head[...space])
                }
                grid.put(" " + head, x: 0, y: y, style: style)
                grid.fill(x: 0, y: y + 1, width: grid.width, height: 1, style: .normal)
                grid.put(" " + Fit.cut(String(flash.text.dropFirst(head.count)), room, ellipsis: state.session.glyphs.ellipsis),
                         x: 0, y: y + 1, style: style)
                return
            }
            grid.put(" " + flash.text, x: 0, y: y, style: style)
        } else if let status = state.link.statusText {
            grid.put(" " + Fit.cut(status, max(1, grid.width - 2), ellipsis: state.session.glyphs.ellipsis), x: 0, y: y, style: .warning)
        } else {
            grid.put(String(repeating: state.session.glyphs.horizontal, count: max(0, grid.width - 2)), x: 1, y: y, style: .border)
        }
        let hidden = hiddenHints(state)
        let bindings = KeyMap.bindings(state.keyContext, glyphs: state.session.glyphs, top: state.atBottom)
        HintBar.draw(&grid, y: grid.height - 1, bindings: offered(bindings, state).filter { !hidden.contains($0.command) })
    }

    /// What help and the hint line leave out: what this person's role cannot do, and in a kiosk
    /// the keys that quit (the kiosk keeps them) and export (a kiosk writes no files).
    static func offered(_ bindings: [KeyBinding], _ state: ConsoleState) -> [KeyBinding] {
        let hidden = hiddenHints(state, context: state.screenKeyContext)
        return bindings.filter { !hidden.contains($0.command) && !(state.session.kiosk && [.quit, .export].contains($0.command)) }
    }

    /// Hints for what this person's role cannot do are left off the hint line (R18); the keys
    /// still answer, with a refusal that says why.
    static func hiddenHints(_ state: ConsoleState, context: KeyContext? = nil) -> Set<UICommand> {
        // R18: the insufficient notice offers buying only to someone who may buy.
        if case .insufficient(let notice, _)? = state.dialog, !notice.canBuy, (context ?? state.keyContext) == .insufficient {
            return state.readOnlyHidden.union([.buy])
        }
        guard (context ?? state.keyContext) == .workspace else { return state.readOnlyHidden.union(state.isSupport ? [] : [.activity, .reverse, .void]) }
        if state.session.readOnly { return state.readOnlyHidden }
        guard let ws = state.openWorkspace else { return [] }
        let keys: [(UICommand, ActionKind)] = [(.adjust, .adjust), (.topUp, .topUp), (.runAction, .charge), (.void, .void),
                                                (.autoTopUp, .autoTopUp), (.memberLimits, .memberLimit)]
        let hidden = Set(keys.filter { !Permissions.allows($0.1, by: state.person, in: WorkspacePeople(ws)) }.map(\.0))
        // R36: void is offered on a grant's row only.
        return state.selectedHistoryEntry?.kind == .grant ? hidden : hidden.union([.void])
    }

    /// `✖ 8 cr (critical)`: a balance with its badge, for headers.
    static func balanceSpans(_ balance: Credits, state: ConsoleState) -> [Span] {
        let level = state.badge(balance)
        return [Span("balance ", .header),
                Span("\(level.glyph(ascii: state.session.glyphs.ascii)) \(AmountFormat.grouped(balance)) cr (\(level.word)) ", StyleToken.badge(level))]
    }

    /// A workspace's balance for a header; while holds reserve part of it, the available balance
    /// and its badge (R35): `available ▲ 97 cr (running low)`.
    static func balanceSpans(_ ws: WorkspaceState, state: ConsoleState) -> [Span] {
        guard ws.held > 0 else { return balanceSpans(ws.balance, state: state) }
        var spans = balanceSpans(ws.available, state: state)
        spans[0] = Span("available ", .header)
        return spans
    }
}

/// Shown below 80×24: what size is needed, and that `q` still quits. Never crashes at 1×1.
/// Each line is the longest of its wordings that fits, so both sizes stay readable down to
/// 11 columns (`needs 80×24`, `is 30×8`) and are never cut inside.
enum TooSmallScreen {
    static func draw(_ grid: inout Grid, glyphs: Glyphs, kiosk: Bool = false) {
        let lines = wordings(size: Size(width: grid.width, height: grid.height), glyphs: glyphs, kiosk: kiosk).map { choices in
            choices.first { CellWidth.of($0) <= grid.width } ?? ""
        }
        let top = max(0, (grid.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            grid.put(line, x: max(0, (grid.width - CellWidth.of(line)) / 2), y: top + index,
                     style: index == 2 ? .hintKey : .warning)
        }
    }

    /// Each line's wordings, longest first.
    static func wordings(size: Size, glyphs: Glyphs, kiosk: Bool) -> [[String]] {
        let needed = "\(Size.minimum.width)\(glyphs.times)\(Size.minimum.height)"
        let now = "\(size.width)\(glyphs.times)\(size.height)"
        return [
            ["CreditDesk needs at least \(needed).", "CreditDesk needs \(needed).", "needs \(needed)", needed],
            ["This window is \(now): make it larger.", "This window is \(now).", "window \(now)", "is \(now)", now],
        ] + (kiosk ? [] : [["q quits", "q"]])
    }
}

/// Help: every key of the current screen, in a box that fits 80×24.
enum HelpScreen {
    static func draw(_ grid: inout Grid, _ state: ConsoleState) {
        let glyphs = state.session.glyphs
        let bindings = Chrome.offered(KeyMap.bindings(state.keyContext, glyphs: glyphs, top: state.atBottom), state)
            .filter { (!$0.keys.isEmpty || $0.label == "0-9") && $0.command != .help }
        var lines: [[Span]] = merged(bindings).map { [Span(Fit.pad($0.label, 10, ellipsis: glyphs.ellipsis), .hintKey), Span("  " + $0.text)] }
        lines += notes(state, room: grid.height - 4 - lines.count)
        let widget = DialogWidget(title: "Keys: \(HelpScreen.title(state.keyContext, support: state.isSupport))", lines: lines, cancel: "any key closes",
                                  confirm: nil, focus: .cancel, width: 76)
        widget.draw(&grid, glyphs: glyphs)
    }

    /// The notes under the keys: the palette and mouse, Ctrl-Z (not in a kiosk, which keeps the
    /// visitor in), R in a demo; one short line when `room` (rows the box has left) is too few.
    static func notes(_ state: ConsoleState, room: Int) -> [[Span]] {
        let kiosk = state.session.kiosk, demo = state.session.demo
        var full: [[Span]] = [[Span(":", .hintKey), Span(" finds a command by name · mouse: the wheel scrolls, a click selects", .dim)]]
        if !kiosk { full.append([Span("Ctrl-Z", .hintKey), Span(" suspends to the shell; fg comes back", .dim)]) }
        if demo { full.append([Span("Demo: R", .hintKey), Span(" puts the demo back to its shipped state.")]) }
        guard full.count > room else { return full }
        var short: [Span] = [Span(":", .hintKey), Span(demo ? " finds a command" : " finds a command by name", .dim)]
        if !kiosk { short += [Span(" · ", .dim), Span("Ctrl-Z", .hintKey), Span(" suspends; fg comes back", .dim)] }
        if demo { short += [Span(" · ", .dim), Span("R", .hintKey), Span(" resets the demo", .dim)] }
        return [short]
    }

    /// Bindings that do the same thing, one line each: `Esc, q   back`.
    static func merged(_ bindings: [KeyBinding]) -> [KeyBinding] {
        var out: [KeyBinding] = []
        for binding in bindings {
            if let index = out.firstIndex(where: { $0.text == binding.text && $0.command == binding.command }) {
                out[index].label += ", " + binding.label
            } else {
                out.append(binding)
            }
        }
        return out
    }

    static func title(_ context: KeyContext, support: Bool) -> String {
        switch context {
        case .accounts: return support ? "Accounts" : "Your workspaces"
        case .workspace: return "Workspace and history"
        case .entryDetail: return "Entry detail"
        case .topUp: return "Top-up packs"
        case .runAction: return "Run an action"
        case .adjust: return "Adjust a balance"
        case .budget: return "Budget planner"
        case .activity: return "Activity across workspaces"
        case .reverse: return "Reverse an entry"
        case .void: return "Void a grant"
        case .autoTopUpForm: return "Auto top-up rule"
        case .memberLimitForm: return "Members' monthly limits"
        case .exportPrompt: return "Export what you see"
        case .confirmation: return "Confirmation"
        case .insufficient: return "Not enough credits"
        case .tooSmall: return "Window too small"
        case .palette: return "Command palette"
        }
    }
}
