import CreditKit

/// Moving about: `j`/`k` in an entry's detail step through the history under it, `S` reverses
/// the Accounts order, and a key that does nothing on a screen says so on the status line.
extension ConsoleState {
    /// In an entry's detail, ↓/j shows the next (older) entry and ↑/k the previous (newer) one,
    /// moving the history's selection with it; other keys of the detail do nothing.
    mutating func entryDetailCommand(_ command: UICommand) -> [Effect] {
        guard command == .up || command == .down, var model = workspace else { return nothingHere(command) }
        let before = model.cursor.selected
        _ = moveCursor(&model.cursor, command, count: model.total, visible: Layout.historyRows(size))
        guard model.cursor.selected != before else {
            flash = Flash(command == .down ? "this is the oldest entry shown" : "this is the newest entry", kind: .info)
            return []
        }
        workspace = model
        showSelectedEntry()
        return historyEffects()
    }

    /// Puts the history's selected entry in the detail on top, once its row is held.
    mutating func showSelectedEntry() {
        guard case .entryDetail = top, let model = workspace, let entry = model.entry(at: model.cursor.selected) else { return }
        top = .entryDetail(entry)
    }

    /// `S` on Accounts: the same order, the other way round.
    mutating func reverseAccountSort() {
        accounts.reversed.toggle()
        recomputeAccountRows(keeping: selectedAccount)
        flashSort()
    }

    /// `s` on Accounts: each order in its natural direction, then (pressed again) turned round,
    /// then the next order: name ▲ ▼, balance ▲ ▼, badge ▲ ▼, last use ▼ ▲.
    mutating func advanceAccountSort() {
        if accounts.reversed {
            accounts.sort = accounts.sort.next
            accounts.reversed = false
        } else {
            accounts.reversed = true
        }
        recomputeAccountRows(keeping: selectedAccount)
        flashSort()
    }

    /// `sorted by workspace ▲`: the order as the header shows it.
    private mutating func flashSort() {
        flash = Flash("sorted by \(accountSortLabel) \(accounts.directionGlyph(session.glyphs))", kind: .info)
    }

    /// What the rows are ordered by, as the person sees it: the name order is by the shown id
    /// when the name column does not show (below `AccountsScreen.wideWidth`).
    var accountSortLabel: String {
        accounts.sort == .name && !AccountsScreen.showsName(width: size.width) ? "workspace" : accounts.sort.rawValue
    }

    /// A key with no binding here: one line saying so, and where the keys are listed.
    mutating func keyDoesNothing(_ key: Key) -> [Effect] {
        flash = Flash("\(key.label) does nothing here \(session.glyphs.dot) ? lists this screen's keys", kind: .info)
        return []
    }

    /// A command bound here that has nothing to act on (Esc on the top screen): says so.
    mutating func nothingHere(_ command: UICommand) -> [Effect] {
        switch command {
        // A kiosk keeps q (only its Ctrl-X chord leaves): the line promises nothing it refuses.
        case .back where session.kiosk: flash = Flash("nothing to go back to \(session.glyphs.dot) ? lists this screen's keys", kind: .info)
        case .back: flash = Flash("nothing to go back to \(session.glyphs.dot) q quits", kind: .info)
        default: flash = Flash("nothing to do here \(session.glyphs.dot) ? lists this screen's keys", kind: .info)
        }
        return []
    }
}

extension AccountsModel {
    /// Whether the rows run upwards (A to Z, low to high, oldest first): each order's natural
    /// direction (last use is newest first), turned round by `S`.
    public var ascending: Bool { (sort != .lastUse) != reversed }

    /// `▲` ascending, `▼` descending (`^`, `v` in ASCII), for the column header.
    public func directionGlyph(_ glyphs: Glyphs) -> String {
        ascending ? (glyphs.ascii ? "^" : "▲") : (glyphs.ascii ? "v" : "▼")
    }
}

extension Key {
    /// How the status line names a key: `x`, `Tab`, `Ctrl-X`.
    public var label: String {
        switch self {
        case .character(let c): return String(c)
        case .control(let c): return "Ctrl-\(c.uppercased())"
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        }
    }
}
