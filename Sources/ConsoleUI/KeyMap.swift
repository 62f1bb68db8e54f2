/// What a key asks a screen to do, independent of which key it was.
public enum UICommand: Hashable, Sendable {
    case up, down, left, right, pageUp, pageDown, top, bottom, upTen, downTen
    case open, back, quit, search, sort, filterKind, topUp, runAction, adjust, budget, help
    case nextField, previousField, cyclePlan, buy, confirm, cancel, submitForm, palette
    case reverseSort, activity, reverse, copyEntry, copyJob, copyHash, export, chart, void
    case autoTopUp, memberLimits, switchOff, resume, liftLimit
}

/// Where keys are being read: each screen and dialog has its own bindings and help.
public enum KeyContext: Hashable, Sendable {
    case accounts, workspace, entryDetail, topUp, runAction, adjust, budget, activity, reverse, void, exportPrompt
    case autoTopUpForm, memberLimitForm
    case confirmation, insufficient, tooSmall, palette
}

/// One line of the key map: the keys, how hints and help write them, what they do.
public struct KeyBinding: Hashable, Sendable {
    public var keys: [Key]
    /// How the hint bar and help write the keys (`↑↓`, `⏎`, `/`).
    public var label: String
    public var text: String
    public var command: UICommand
    /// Whether the bottom hint line shows it (help shows every binding).
    public var hint: Bool
    /// The short word the hint line uses (`open`, `filter`).
    public var hintText: String
}

/// The console's keys, per context: the one table that the reducer, the hint bar and the help
/// screen all read, so what help says is what the keys do.
public enum KeyMap {
    /// The bindings of a context, in the order help lists them.
    public static func bindings(_ context: KeyContext, glyphs: Glyphs, top: Bool = false) -> [KeyBinding] {
        let common = Common(glyphs: glyphs, top: top)
        switch context {
        case .accounts, .workspace, .entryDetail, .activity, .exportPrompt, .reverse, .void: return screenBindings(context, common)
        case .topUp, .runAction: return pickerBindings(context, common)
        case .adjust, .budget, .autoTopUpForm, .memberLimitForm: return formBindings(context, common)
        case .confirmation, .insufficient, .tooSmall, .palette: return dialogBindings(context, common)
        }
    }

    /// A binding: `keys`, written `label`, doing `text` (`command`); on the hint line when `hint` is given, as that word.
    private static func b(_ keys: [Key], _ label: String, _ text: String, _ command: UICommand, hint: String? = nil) -> KeyBinding {
        KeyBinding(keys: keys, label: label, text: text, command: command, hint: hint != nil, hintText: hint ?? text)
    }

    /// The bindings several contexts share: moving, back, quit, help, Ctrl-C.
    private struct Common {
        let glyphs: Glyphs
        let move: [KeyBinding]
        let moveHint: KeyBinding
        let back: KeyBinding
        let quit: KeyBinding
        let help: KeyBinding
        let ctrlC: KeyBinding

        init(glyphs: Glyphs, top: Bool) {
            self.glyphs = glyphs
            move = [
                b([.up, .character("k")], glyphs.ascii ? "k/Up" : "↑ k", "previous row", .up),
                b([.down, .character("j")], glyphs.ascii ? "j/Down" : "↓ j", "next row", .down),
                b([.pageUp], "PgUp", "previous page", .pageUp),
                b([.pageDown], "PgDn", "next page", .pageDown),
                b([.character("K")], "K", "ten rows up", .upTen),
                b([.character("J")], "J", "ten rows down", .downTen),
                b([.character("g"), .home], "g", "first row", .top),
                b([.character("G"), .end], "G", "last row", .bottom),
            ]
            moveHint = b([], glyphs.upDown, "move", .down, hint: "move")
            // On the top screen Esc only clears a filter: help does not offer it as "back".
            back = top
                ? b([.escape], "Esc", "clear a filter or search", .back)
                : b([.escape, .character("h"), .left], "Esc", "back", .back, hint: "back")
            quit = top
                ? b([.character("q")], "q", "quit", .quit, hint: "quit")
                : b([.character("q")], "q", "back", .back)
            help = b([.character("?")], "?", "help", .help, hint: "help")
            ctrlC = b([.control("c")], "Ctrl-C", "quit at once", .quit)
        }
    }

    /// The accounts list, a workspace and an entry's detail.
    private static func screenBindings(_ context: KeyContext, _ c: Common) -> [KeyBinding] {
        let (glyphs, move, moveHint, help, back, quit, ctrlC) = (c.glyphs, c.move, c.moveHint, c.help, c.back, c.quit, c.ctrlC)
        switch context {
        case .accounts:
            return [moveHint] + move + [
                b([.enter, .character("l"), .right], glyphs.enter, "open workspace", .open, hint: "open"),
                b([.character("/")], "/", "filter by name, id or owner", .search, hint: "filter"),
                b([.character("s")], "s", "sort: name, balance, badge, last use; again: the other way", .sort, hint: "sort"),
                b([.character("S")], "S", "reverse the order (the header shows it: \(glyphs.ascii ? "^ v" : "▲ ▼"))", .reverseSort),
                b([.character("b")], "b", "budget planner", .budget),
                b([.character("A")], "A", "activity: every workspace's entries, live (support)", .activity, hint: "activity"),
                help, back, quit, ctrlC,
            ]
        case .activity:
            return [moveHint] + move.prefix(6) + [
                b([.character("g"), .home], "g", "newest row (and the +N new that arrived)", .top),
                move[7],
                b([.enter, .character("l"), .right], glyphs.enter, "entry detail", .open, hint: "detail"),
                b([.character("/")], "/", "filter: by:NAME kind:KIND ws:ID today, last 1h, since:DATE, words", .search, hint: "filter"),
                b([.character("e")], "e", "export the rows shown, as .csv or .journal", .export, hint: "export"),
                help, back, quit, ctrlC,
            ]
        case .workspace: return workspaceBindings(c)
        case .entryDetail:
            return [b([.down, .character("j")], glyphs.ascii ? "j/Down" : "↓ j", "next (older) entry", .down, hint: "next"),
                    b([.up, .character("k")], glyphs.ascii ? "k/Up" : "↑ k", "previous (newer) entry", .up, hint: "previous"),
                    b([.character("x")], "x", "reverse this adjustment or grant, with a reason (support)", .reverse, hint: "reverse"),
                    b([.character("y")], "y", "copy the entry as one line to the clipboard (OSC 52)", .copyEntry, hint: "copy"),
                    b([.character("c")], "c", "copy its job id", .copyJob),
                    b([.character("H")], "H", "copy its hash", .copyHash),
                    help, back, quit, ctrlC]
        case .exportPrompt:
            return [
                b([], "a-z", "type the file name (.csv or .journal)", .submitForm),
                b([.enter], glyphs.enter, "export", .submitForm, hint: "export"),
                b([.escape], "Esc", "cancel", .cancel, hint: "cancel"),
                ctrlC,
            ]
        case .reverse:
            return [
                b([], "a-z", "type the reason (required; kept in the history)", .submitForm),
                b([.enter], glyphs.enter, "check and confirm", .submitForm, hint: "confirm"),
                b([.escape], "Esc", "back to the entry", .back, hint: "back"),
                ctrlC,
            ]
        case .void:
            return [
                b([], "a-z", "type the reason (required; kept in the history)", .submitForm),
                b([.enter], glyphs.enter, "check and confirm", .submitForm, hint: "confirm"),
                b([.escape], "Esc", "back to the history", .back, hint: "back"),
                ctrlC,
            ]
        default: preconditionFailure("not a screen: \(context)")
        }
    }

    /// A workspace's history and what can be done to the workspace from it.
    private static func workspaceBindings(_ c: Common) -> [KeyBinding] {
        let (glyphs, move, moveHint, help, back, quit, ctrlC) = (c.glyphs, c.move, c.moveHint, c.help, c.back, c.quit, c.ctrlC)
        return [moveHint] + move + [
            b([.enter, .character("l"), .right], glyphs.enter, "entry detail", .open),
            b([.character("t")], "t", "top up", .topUp, hint: "top up"),
            b([.character("r")], "r", "run an action", .runAction, hint: "run"),
            b([.character("a")], "a", "adjust the balance (support agents)", .adjust, hint: "adjust"),
            b([.character("b")], "b", "budget planner", .budget, hint: "budget"),
            b([.character("f")], "f", "filter by kind (cycles)", .filterKind, hint: "kind"),
            b([.character("/")], "/", "search the history", .search, hint: "search"),
            b([.character("e")], "e", "export the rows shown, as .csv or .journal", .export),
            b([.character("c")], "c", "chart of the balance and spend by member (again: history)", .chart, hint: "chart"),
            b([.character("v")], "v", "void what is left of this grant, with a reason (support)", .void, hint: "void"),
            // After help, back and quit, so a narrow hint line keeps those.
            help, back, quit,
            b([.character("u")], "u", "auto top-up rule: set, switch off, resume (owner, support)", .autoTopUp, hint: "auto top-up"),
            b([.character("m")], "m", "members' monthly limits: set or lift (owner, support)", .memberLimits, hint: "limits"),
            ctrlC,
        ]
    }

    /// The pack and action pickers.
    private static func pickerBindings(_ context: KeyContext, _ c: Common) -> [KeyBinding] {
        let (glyphs, move, moveHint, help, back, quit, ctrlC) = (c.glyphs, c.move, c.moveHint, c.help, c.back, c.quit, c.ctrlC)
        switch context {
        case .topUp:
            return [moveHint] + move.prefix(2) + move.suffix(2) + [
                b([.enter, .character("l"), .right], glyphs.enter, "buy this pack (asks to confirm)", .open, hint: "buy"),
                help, back, quit, ctrlC,
            ]
        case .runAction:
            return [moveHint] + move.prefix(2) + move.suffix(2) + [
                b([.enter, .character("l"), .right], glyphs.enter, "run this action (asks to confirm)", .open, hint: "run"),
                help, back, quit, ctrlC,
            ]
        default: preconditionFailure("not a picker: \(context)")
        }
    }

    /// The adjustment form and the budget planner.
    private static func formBindings(_ context: KeyContext, _ c: Common) -> [KeyBinding] {
        let (glyphs, help, back, quit, ctrlC) = (c.glyphs, c.help, c.back, c.quit, c.ctrlC)
        switch context {
        case .adjust:
            return [
                b([.tab, .down], glyphs.ascii ? "Tab" : "Tab ↓", "next field", .nextField, hint: "next field"),
                b([.backTab, .up], glyphs.ascii ? "S-Tab" : "S-Tab ↑", "previous field", .previousField),
                b([.enter], glyphs.enter, "check and confirm", .submitForm, hint: "confirm"),
                b([.escape], "Esc", "back", .back, hint: "back"),
                b([.character("?")], "?", "help (from the amount field)", .help, hint: "help"),
                ctrlC,
            ]
        case .autoTopUpForm:
            return [
                b([.tab, .down], glyphs.ascii ? "Tab" : "Tab ↓", "next field", .nextField, hint: "next field"),
                b([.backTab, .up], glyphs.ascii ? "S-Tab" : "S-Tab ↑", "previous field", .previousField),
                b([], "0-9", "type the threshold, target balance or cap (Backspace erases)", .nextField),
                b([.left, .character("h")], glyphs.ascii ? "Left" : "←", "previous pack (on the pack field)", .left),
                b([.right, .character("l")], glyphs.ascii ? "Right" : "→", "next pack, or a target balance", .right, hint: "pack"),
                b([.enter], glyphs.enter, "check and confirm the rule", .submitForm, hint: "confirm"),
                b([.character("o")], "o", "switch the rule off (asks to confirm)", .switchOff, hint: "off"),
                b([.character("p")], "p", "resume a rule paused after declines (R39)", .resume, hint: "resume"),
                b([.escape], "Esc", "back", .back, hint: "back"),
                help, ctrlC,
            ]
        case .memberLimitForm:
            return [
                b([.up, .character("k")], glyphs.ascii ? "k/Up" : "↑ k", "previous person", .up),
                b([.down, .character("j"), .tab], glyphs.ascii ? "j/Down" : "↓ j", "next person", .down, hint: "person"),
                b([], "0-9", "type the monthly limit in credits (Backspace erases)", .nextField),
                b([.enter], glyphs.enter, "check and confirm the limit", .submitForm, hint: "confirm"),
                b([.character("x")], "x", "lift the person's limit (asks to confirm)", .liftLimit, hint: "lift"),
                b([.escape], "Esc", "back", .back, hint: "back"),
                help, ctrlC,
            ]
        case .budget:
            return [
                b([.tab, .down, .character("j")], glyphs.ascii ? "Tab" : "Tab ↓", "next action", .nextField, hint: "next"),
                b([.backTab, .up, .character("k")], glyphs.ascii ? "S-Tab" : "S-Tab ↑", "previous action", .previousField),
                b([], "0-9", "type the monthly volume (Backspace erases)", .nextField, hint: "volume"),
                b([.character("p")], "p", "change the plan", .cyclePlan, hint: "plan"),
                help, back, quit, ctrlC,
            ]
        default: preconditionFailure("not a form: \(context)")
        }
    }

    /// The confirmation and insufficient-credits dialogs, the too-small screen and the palette.
    private static func dialogBindings(_ context: KeyContext, _ c: Common) -> [KeyBinding] {
        let (glyphs, ctrlC) = (c.glyphs, c.ctrlC)
        switch context {
        case .confirmation:
            return [
                b([.left, .right, .tab, .backTab, .character("h"), .character("l")], glyphs.leftRight, "choose a button", .right, hint: "choose"),
                b([.character("y")], "y", "confirm", .confirm, hint: "confirm"),
                b([.enter], glyphs.enter, "press the focused button", .open, hint: "press"),
                b([.character("n"), .escape, .character("q")], "n/Esc", "cancel", .cancel, hint: "cancel"),
                ctrlC,
            ]
        case .insufficient:
            return [
                b([.character("b")], "b", "buy credits (smallest covering pack)", .buy, hint: "buy credits"),
                b([.left, .right, .tab, .backTab], glyphs.leftRight, "choose a button", .right),
                b([.enter], glyphs.enter, "press the focused button", .open, hint: "press"),
                b([.character("n"), .escape, .character("q")], "Esc", "back", .cancel, hint: "back"),
                ctrlC,
            ]
        case .tooSmall:
            return [b([.character("q")], "q", "quit", .quit, hint: "quit"), ctrlC]
        case .palette:
            return [
                b([], "a-z", "type words of a command to narrow the list", .palette, hint: "find"),
                b([.up, .down, .tab, .backTab], glyphs.upDown, "choose", .down, hint: "choose"),
                b([.enter], glyphs.enter, "run the chosen command", .open, hint: "run"),
                b([.escape], "Esc", "close", .cancel, hint: "close"),
                ctrlC,
            ]
        default: preconditionFailure("not a dialog: \(context)")
        }
    }

    /// The command a key gives in a context, if any.
    public static func command(for key: Key, in context: KeyContext, top: Bool) -> UICommand? {
        for binding in bindings(context, glyphs: Glyphs(ascii: true), top: top) where binding.keys.contains(key) {
            return binding.command
        }
        return nil
    }
}
