import CreditKit

/// A span of text in one style: the unit widgets and screens compose lines from.
public struct Span: Hashable, Sendable {
    public var text: String
    public var style: StyleToken
    /// A date or an amount: shown whole or not at all, never cut inside.
    public var whole: Bool

    public init(_ text: String, _ style: StyleToken = .normal, whole: Bool = false) {
        self.text = text; self.style = style; self.whole = whole
    }
}

/// A rectangle on the grid.
public struct Rect: Hashable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }

    /// Whether a cell lies inside.
    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < x + width && py >= y && py < y + height }
}

extension Grid {
    /// Writes spans fitted into `limit` cells (see `Fit.spans`): anything cut ends in an ellipsis.
    @discardableResult
    public mutating func putFitted(_ spans: [Span], x: Int, y: Int, limit: Int, ellipsis: String) -> Int {
        put(Fit.spans(spans, limit, ellipsis: ellipsis), x: x, y: y, limit: limit)
    }

    /// Writes spans one after another from (x, y), clipped to `limit` cells; returns cells used.
    @discardableResult
    public mutating func put(_ spans: [Span], x: Int, y: Int, limit: Int? = nil) -> Int {
        var used = 0
        let room = limit ?? Swift.max(0, width - x)
        for span in spans {
            guard used < room else { break }
            used += put(span.text, x: x + used, y: y, style: span.style, limit: room - used)
        }
        return used
    }
}

/// Fitting text into a number of cells: cut with an ellipsis, padded, aligned.
public enum Fit {
    /// Spans fitted into `width` cells: when they do not all fit, the last that fits is cut and
    /// ends in `ellipsis`; a `whole` span (a date, an amount) is dropped rather than cut.
    public static func spans(_ spans: [Span], _ width: Int, ellipsis: String) -> [Span] {
        let total = spans.reduce(0) { $0 + CellWidth.of($1.text) }
        guard total > width else { return spans }
        let room = Swift.max(0, width - CellWidth.of(ellipsis))
        var out: [Span] = [], used = 0
        for span in spans {
            let w = CellWidth.of(span.text)
            if used + w <= room {
                out.append(span); used += w
                continue
            }
            if !span.whole {
                let head = cut(span.text, room - used, ellipsis: "")
                if !head.trimmingSpaces.isEmpty { out.append(Span(head, span.style)) }
            }
            break
        }
        // The ellipsis follows the last span kept, without a dangling space before it.
        while var last = out.last, last.text.hasSuffix(" ") {
            last.text.removeLast()
            out[out.count - 1] = last
            if last.text.isEmpty { out.removeLast() } else { break }
        }
        return out + [Span(width > 0 ? ellipsis : "", out.last?.style ?? .dim)]
    }

    /// `text` cut to at most `width` cells, ending in `ellipsis` when cut; a date, time or amount
    /// the cut meets is dropped whole (`WholeValues`), never shown in part.
    public static func cut(_ text: String, _ width: Int, ellipsis: String) -> String {
        guard width > 0 else { return "" }
        if CellWidth.of(text) <= width { return text }
        let room = Swift.max(0, width - CellWidth.of(ellipsis))
        var out = "", used = 0
        var rest = Substring(text)
        for character in text {
            let w = CellWidth.of(character)
            if used + w > room { break }
            out.append(character); used += w
            rest.removeFirst()
        }
        return WholeValues.keptWhole(out, before: rest) + (room > 0 ? ellipsis : "")
    }

    /// `text` in at most `width` cells with its middle left out (`/tmp/a/…/x.csv`): both ends
    /// of a path or an id stay readable.
    public static func middle(_ text: String, _ width: Int, ellipsis: String) -> String {
        guard CellWidth.of(text) > width else { return text }
        let room = Swift.max(0, width - CellWidth.of(ellipsis))
        guard room > 1 else { return cut(text, width, ellipsis: ellipsis) }
        var head = "", tail = ""
        var front = text.startIndex, back = text.endIndex
        while front < back {
            let takeTail = CellWidth.of(tail) < CellWidth.of(head)
            let character = takeTail ? text[text.index(before: back)] : text[front]
            if CellWidth.of(head) + CellWidth.of(tail) + CellWidth.of(character) > room { break }
            if takeTail { tail.insert(character, at: tail.startIndex); back = text.index(before: back) } else { head.append(character); front = text.index(after: front) }
        }
        return head + ellipsis + tail
    }

    /// `text` word-wrapped into at most `lines` lines of `width` cells: a word longer than a line
    /// loses its middle (`middle`), and text past the last line ends it in `ellipsis` (a value
    /// is dropped whole, as `cut` does).
    public static func wrap(_ text: String, _ width: Int, lines: Int, ellipsis: String) -> [String] {
        guard width > 0, lines > 0 else { return [] }
        var out: [String] = [], line = ""
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map { middle(String($0), width, ellipsis: ellipsis) }
        for (index, word) in words.enumerated() {
            let joined = line.isEmpty ? word : line + " " + word
            if CellWidth.of(joined) <= width { line = joined; continue }
            if out.count == lines - 1 {
                return out + [cut(([line] + words[index...]).joined(separator: " "), width, ellipsis: ellipsis)]
            }
            out.append(line)
            line = word
        }
        return line.isEmpty ? out : out + [line]
    }

    /// `text` cut and padded to exactly `width` cells, left or right aligned.
    public static func pad(_ text: String, _ width: Int, right: Bool = false, ellipsis: String) -> String {
        let fitted = cut(text, width, ellipsis: ellipsis)
        let gap = String(repeating: " ", count: Swift.max(0, width - CellWidth.of(fitted)))
        return right ? gap + fitted : fitted + gap
    }
}

/// The badge of R20: glyph, word and colour together, so no one needs the colour to read it.
public enum BadgeWidget {
    /// `✖ critical` (or `x critical`) in the level's style.
    public static func span(_ level: BadgeLevel, glyphs: Glyphs, upper: Bool = false) -> Span {
        Span("\(level.glyph(ascii: glyphs.ascii)) \(upper ? level.word.uppercased() : level.word)", StyleToken.badge(level))
    }
}

/// A table: columns with widths (one flexible), a header row, and rows with a selection bar
/// and a marker, so the selected row is visible without colour too.
public struct TableWidget {
    /// One column: title, width in cells, alignment; flexible columns share what is left, each
    /// up to its `limit` (an unlimited one takes the rest).
    public struct Column {
        public var title: String
        public var width: Int
        public var right: Bool
        public var flexible: Bool
        public var limit: Int?

        /// The least a text column keeps when numbers need the row's width (`TableWidget.init`).
        public var floor: Int

        public init(_ title: String, _ width: Int, right: Bool = false, flexible: Bool = false, limit: Int? = nil, floor: Int? = nil) {
            self.title = title; self.width = width; self.right = right; self.flexible = flexible; self.limit = limit
            self.floor = Swift.min(width, floor ?? TableWidget.textFloor)
        }

        /// A column given no room at all: neither drawn nor spaced.
        public var hidden: Bool { width <= 0 }
    }

    /// The least a text column keeps, unless it says otherwise, before columns are left out.
    public static let textFloor = 6

    public var columns: [Column]
    public var glyphs: Glyphs

    /// Lays the columns out in `width` cells: two for the marker, one between columns; the
    /// flexible columns share the rest a cell at a time up to their limits, so a wide terminal
    /// shows long names in full instead of one vast column.
    ///
    /// `rows` are the cells about to be shown: a number (a right-aligned column) is never cut, so
    /// its column widens to the widest, taking the room from the text columns first, each down
    /// to its floor, then leaving text columns out from the last (the first always stays).
    public init(columns: [Column], width: Int, glyphs: Glyphs, rows: [[Span]] = []) {
        self.glyphs = glyphs
        var laid = columns
        for row in rows {
            for (index, cell) in row.enumerated() where index < laid.count && laid[index].right {
                laid[index].width = Swift.max(laid[index].width, CellWidth.of(cell.text))
            }
        }
        var spare = Self.spare(laid, width: width)
        if spare < 0 { spare = Self.makeRoom(&laid, width: width) }
        var growing = laid.indices.filter { laid[$0].flexible && !laid[$0].hidden }
        while spare > 0 && !growing.isEmpty {
            for index in growing where spare > 0 {
                laid[index].width += 1
                spare -= 1
            }
            growing.removeAll { index in laid[index].limit.map { laid[index].width >= $0 } ?? false }
        }
        self.columns = laid
    }

    /// The cells left over in `width` once the shown columns, the marker and the gaps between
    /// columns are counted (negative when they do not fit).
    static func spare(_ columns: [Column], width: Int) -> Int {
        let shown = columns.filter { !$0.hidden }
        return width - shown.reduce(0) { $0 + $1.width } - 2 - Swift.max(0, shown.count - 1)
    }

    /// Narrows text columns for numbers that need the room: flexible ones first, then the rest
    /// from the last, each to its floor; then leaves text columns out from the last. Returns the
    /// spare cells after.
    static func makeRoom(_ columns: inout [Column], width: Int) -> Int {
        var spare = spare(columns, width: width)
        let text = columns.indices.filter { !columns[$0].right }
        let order = text.filter { columns[$0].flexible } + text.filter { !columns[$0].flexible }.reversed()
        for index in order where spare < 0 {
            let give = Swift.min(-spare, Swift.max(0, columns[index].width - columns[index].floor))
            columns[index].width -= give
            spare += give
        }
        for index in text.reversed() where spare < 0 && index != columns.startIndex {
            columns[index].width = 0
            spare = Self.spare(columns, width: width)
        }
        return spare
    }

    /// Draws the column titles at row `y`.
    public func drawHeader(_ grid: inout Grid, y: Int) {
        grid.fill(x: 0, y: y, width: grid.width, height: 1, style: .tableHeader)
        var x = 2
        for column in columns where !column.hidden {
            grid.put(Fit.pad(column.title, column.width, right: column.right, ellipsis: glyphs.ellipsis), x: x, y: y, style: .tableHeader)
            x += column.width + 1
        }
    }

    /// Draws one row at `y`: its cells in their styles, the selected row barred and marked.
    public func drawRow(_ grid: inout Grid, y: Int, cells: [Span], selected: Bool) {
        if selected {
            grid.fill(x: 0, y: y, width: grid.width, height: 1, style: .selection)
            grid.put(glyphs.marker, x: 0, y: y, style: .selection)
        }
        var x = 2
        for (column, cell) in zip(columns, cells) where !column.hidden {
            let text = Fit.pad(cell.text, column.width, right: column.right, ellipsis: glyphs.ellipsis)
            let style: StyleToken = selected && !cell.style.isBadge ? .selection : cell.style
            grid.put(text, x: x, y: y, style: style, limit: column.width)
            x += column.width + 1
        }
    }

    /// `(3/1,240)`: where the selection is in the list.
    public static func counter(selected: Int, count: Int) -> String {
        count == 0 ? "(0/0)" : "(\(AmountFormat.grouped(Int64(selected + 1)))/\(AmountFormat.grouped(Int64(count))))"
    }
}

extension StyleToken {
    /// Badge tokens keep their colour even on the selection bar.
    var isBadge: Bool { self == .badgeComfortable || self == .badgeLow || self == .badgeCritical }
}

/// A bordered box with a title, lines, and up to two buttons; centred, clipped to the grid.
public struct DialogWidget {
    public var title: String
    public var lines: [[Span]]
    /// Cancel on the left, confirm on the right (R23: focus starts on Cancel).
    public var cancel: String
    public var confirm: String?
    public var focus: DialogFocus
    public var width: Int

    public init(title: String, lines: [[Span]], cancel: String, confirm: String?, focus: DialogFocus, width: Int = 60) {
        self.title = title; self.lines = lines; self.cancel = cancel; self.confirm = confirm; self.focus = focus; self.width = width
    }

    /// The cells a line has inside a box of the default width on a grid `gridWidth` wide.
    public static func innerWidth(in gridWidth: Int, width: Int = 60) -> Int { Swift.max(0, Swift.min(width, gridWidth) - 4) }

    /// Where the box goes in a grid of `size`: centred, never larger than the grid.
    public func frame(in size: Size) -> Rect {
        let w = Swift.min(width, size.width)
        let h = Swift.min(lines.count + 4, size.height)
        return Rect(x: Swift.max(0, (size.width - w) / 2), y: Swift.max(0, (size.height - h) / 2), width: w, height: h)
    }

    /// Where each button is drawn, for mouse clicks.
    public func buttons(in size: Size) -> [(DialogFocus, Rect)] {
        let box = frame(in: size)
        let y = box.y + box.height - 2
        let cancelText = "[ \(cancel) ]"
        var result: [(DialogFocus, Rect)] = []
        if let confirm {
            let confirmText = "[ \(confirm) ]"
            let total = CellWidth.of(cancelText) + 6 + CellWidth.of(confirmText)
            let x = box.x + Swift.max(1, (box.width - total) / 2)
            result.append((.cancel, Rect(x: x, y: y, width: CellWidth.of(cancelText), height: 1)))
            result.append((.confirm, Rect(x: x + CellWidth.of(cancelText) + 6, y: y, width: CellWidth.of(confirmText), height: 1)))
        } else {
            let x = box.x + Swift.max(1, (box.width - CellWidth.of(cancelText)) / 2)
            result.append((.cancel, Rect(x: x, y: y, width: CellWidth.of(cancelText), height: 1)))
        }
        return result
    }

    /// Draws the box, its lines and buttons.
    public func draw(_ grid: inout Grid, glyphs: Glyphs) {
        let size = Size(width: grid.width, height: grid.height)
        let box = frame(in: size)
        guard box.width >= 4, box.height >= 3 else { return }
        grid.fill(x: box.x, y: box.y, width: box.width, height: box.height, style: .dialog)
        Frame.draw(&grid, box, glyphs: glyphs, style: .dialog)
        grid.put(" \(title) ", x: box.x + 2, y: box.y, style: .dialogTitle, limit: box.width - 4)
        // Lines stop above the buttons' row: a box cut short by the grid never draws its buttons
        // over its own text; the last line that fits says more was left out.
        let rows = Swift.max(0, box.height - 3)
        for (index, line) in lines.enumerated() where index < rows {
            let cut = lines.count > rows && index == rows - 1
            if cut {
                grid.put(glyphs.ellipsis, x: box.x + 2, y: box.y + 1 + index, style: .dim)
                continue
            }
            // A line too long for the box ends in an ellipsis, never clipped mid-word unseen.
            grid.putFitted(line.map { Span($0.text, $0.style == .normal ? .dialog : $0.style, whole: $0.whole) }, x: box.x + 2,
                           y: box.y + 1 + index, limit: Swift.max(0, box.width - 4), ellipsis: glyphs.ellipsis)
        }
        for (which, rect) in buttons(in: size) {
            let label = which == .cancel ? cancel : (confirm ?? "")
            grid.put("[ \(label) ]", x: rect.x, y: rect.y, style: which == focus ? .buttonFocused : .button)
        }
    }
}

/// Box borders from the glyph table (never curses' line-drawing mode).
public enum Frame {
    /// Draws a border around `rect`.
    public static func draw(_ grid: inout Grid, _ rect: Rect, glyphs: Glyphs, style: StyleToken) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let right = rect.x + rect.width - 1, bottom = rect.y + rect.height - 1
        for x in (rect.x + 1)..<right {
            grid.put(glyphs.horizontal, x: x, y: rect.y, style: style)
            grid.put(glyphs.horizontal, x: x, y: bottom, style: style)
        }
        for y in (rect.y + 1)..<bottom {
            grid.put(glyphs.vertical, x: rect.x, y: y, style: style)
            grid.put(glyphs.vertical, x: right, y: y, style: style)
        }
        grid.put(glyphs.topLeft, x: rect.x, y: rect.y, style: style)
        grid.put(glyphs.topRight, x: right, y: rect.y, style: style)
        grid.put(glyphs.bottomLeft, x: rect.x, y: bottom, style: style)
        grid.put(glyphs.bottomRight, x: right, y: bottom, style: style)
    }
}

/// The bottom line of every screen: its keys, each key highlighted, as many as fit.
public enum HintBar {
    /// Draws the hints of `bindings` on row `y`.
    public static func draw(_ grid: inout Grid, y: Int, bindings: [KeyBinding]) {
        grid.fill(x: 0, y: y, width: grid.width, height: 1, style: .hintText)
        var x = 1
        for binding in bindings where binding.hint {
            let need = CellWidth.of(binding.label) + 1 + CellWidth.of(binding.hintText) + 2
            guard x + need - 2 <= grid.width else { break }
            x += grid.put(binding.label, x: x, y: y, style: .hintKey)
            x += grid.put(" " + binding.hintText, x: x, y: y, style: .hintText) + 2
        }
    }
}

/// A one-line text field with a label; the focused one shows a cursor.
public enum FormField {
    /// Draws `label` then the field box of `width` cells at (x, y); returns the column after the box.
    @discardableResult
    public static func draw(_ grid: inout Grid, x: Int, y: Int, label: String, value: String, width: Int,
                            focused: Bool, glyphs: Glyphs) -> Int {
        let used = grid.put(label, x: x, y: y, style: focused ? .title : .normal)
        let fieldX = x + used + 1
        let style: StyleToken = focused ? .inputFocused : .input
        grid.fill(x: fieldX, y: y, width: width, height: 1, style: style)
        let tail = scrolled(value, cursor: focused ? glyphs.cursor : "", room: Swift.max(0, width - 1), ellipsis: glyphs.ellipsis)
        grid.put(" " + tail, x: fieldX, y: y, style: style, limit: width)
        return fieldX + width
    }

    /// The end of `value` and `cursor` that fits `room` cells: a longer value scrolls, its start
    /// replaced by `ellipsis`, so the cursor and what was just typed stay in sight.
    public static func scrolled(_ value: String, cursor: String, room: Int, ellipsis: String) -> String {
        let shown = value + cursor
        guard CellWidth.of(shown) > room else { return shown }
        let mark = room > CellWidth.of(ellipsis) ? ellipsis : ""
        let target = Swift.max(0, room - CellWidth.of(mark))
        var kept = "", used = 0
        for character in shown.reversed() {
            let w = CellWidth.of(character)
            if used + w > target { break }
            kept.insert(character, at: kept.startIndex); used += w
        }
        return mark + kept
    }
}
