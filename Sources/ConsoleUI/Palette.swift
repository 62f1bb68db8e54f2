import CreditKit

/// The `:` command palette: type a few letters of what you want to do on this screen, pick it
/// from the list and press Enter. Its entries are the screen's own key bindings, so it offers
/// exactly what the keys do, and teaches the key as it goes.
public struct Palette: Hashable, Sendable {
    public var text = ""
    public var selected = 0

    /// Most entries shown at once.
    public static let rowsMax = 8
}

extension ConsoleState {
    /// What the palette offers on the screen under it: every binding with a key, except
    /// movement, help and quitting, whose words match what was typed.
    public var paletteEntries: [KeyBinding] {
        guard let palette else { return [] }
        let skipped = Set<UICommand>([.up, .down, .pageUp, .pageDown, .top, .bottom, .upTen, .downTen, .palette, .help])
            .union(Chrome.hiddenHints(self, context: screenKeyContext))
        let typed = palette.text.lowercased().split(separator: " ")
        var offered: Set<String> = []
        // What help leaves out is left out here too: in a kiosk, quitting and export (R18 refusals
        // are `hiddenHints`, above).
        return Chrome.offered(KeyMap.bindings(screenKeyContext, glyphs: session.glyphs, top: atBottom), self).filter { binding in
            // One entry per thing to do (Esc and q both go back).
            guard !binding.keys.isEmpty, !skipped.contains(binding.command), offered.insert(binding.text).inserted else { return false }
            // Each typed word starts a word of the command: `to` finds "top up", `bu` "budget planner".
            let words = (binding.text + " " + binding.hintText).lowercased().split { !$0.isLetter && !$0.isNumber }
            return typed.allSatisfy { part in words.contains { $0.hasPrefix(part) } }
        }
    }

    /// Opens the palette over the current screen.
    mutating func openPalette() -> [Effect] {
        palette = Palette()
        return []
    }

    /// Keys while the palette is open: letters filter, arrows choose, Enter runs, Esc closes.
    mutating func paletteKey(_ key: Key) -> [Effect] {
        guard var model = palette else { return [] }
        let count = paletteEntries.count
        switch key {
        case .escape:
            palette = nil
            return []
        case .up, .backTab:
            model.selected = max(0, model.selected - 1)
        case .down, .tab:
            model.selected = min(max(0, count - 1), model.selected + 1)
        case .enter:
            let entries = paletteEntries
            palette = nil
            guard entries.indices.contains(model.selected), let key = entries[model.selected].keys.first else { return [] }
            return handleKey(key)
        default:
            guard let edited = edit(model.text, key, lengthMax: 40), case .text(let text) = edited else {
                flash = Flash("\(key.label) does nothing here \(session.glyphs.dot) type to narrow, Enter runs, Esc closes", kind: .info)
                return []
            }
            model.text = text
            model.selected = 0
        }
        palette = model
        return []
    }
}

/// Draws the palette: the typed text and the matching commands with their keys.
enum PaletteView {
    static func draw(_ grid: inout Grid, _ state: ConsoleState) {
        guard let palette = state.palette else { return }
        let glyphs = state.session.glyphs
        let entries = state.paletteEntries
        let first = max(0, palette.selected - Palette.rowsMax + 1)
        let shown = Array(entries.dropFirst(first).prefix(Palette.rowsMax))
        let width = min(grid.width, 60)
        let height = min(grid.height - 2, max(1, shown.count) + 3)
        let box = Rect(x: max(0, (grid.width - width) / 2), y: max(0, grid.height - 2 - height), width: width, height: height)
        grid.fill(x: box.x, y: box.y, width: box.width, height: box.height, style: .dialog)
        Frame.draw(&grid, box, glyphs: glyphs, style: .dialog)
        grid.put(" Do what? ", x: box.x + 2, y: box.y, style: .dialogTitle, limit: box.width - 4)
        grid.put(":" + FormField.scrolled(palette.text, cursor: glyphs.cursor, room: max(0, box.width - 5), ellipsis: glyphs.ellipsis), x: box.x + 2, y: box.y + 1, style: .inputFocused, limit: box.width - 4)
        if shown.isEmpty {
            grid.put(Fit.cut("nothing here matches \"\(palette.text)\"", box.width - 4, ellipsis: glyphs.ellipsis), x: box.x + 2, y: box.y + 2, style: .dim, limit: box.width - 4)
        }
        for (offset, binding) in shown.enumerated() {
            let y = box.y + 2 + offset
            let selected = first + offset == palette.selected
            if selected { grid.fill(x: box.x + 1, y: y, width: box.width - 2, height: 1, style: .selection) }
            grid.put(Fit.pad(binding.label, 8, ellipsis: glyphs.ellipsis), x: box.x + 2, y: y, style: selected ? .selection : .hintKey)
            grid.put(binding.text, x: box.x + 11, y: y, style: selected ? .selection : .dialog, limit: box.width - 13)
        }
    }
}
