import CreditKit

/// A line chart of a series in a rectangle of cells: braille cells (2 columns × 4 rows of dots
/// each, U+2800–U+28FF) in Unicode, one `*` per cell in ASCII. Horizontal reference lines (the
/// badge thresholds) are drawn where the line does not pass. The value axis starts at 0; a nil
/// value (a day before there was anything to measure) leaves its column empty.
struct LineChart {
    /// A horizontal reference line at `value`, labelled on the axis.
    struct Reference {
        var value: Int64
        var style: StyleToken
    }

    var values: [Int64?]
    var references: [Reference]
    var lineStyle: StyleToken

    /// Draws the axis labels (the top value and 0) at the left of `rect` and the plot beside them.
    func draw(_ grid: inout Grid, in rect: Rect, glyphs: Glyphs) {
        guard rect.width > 4, rect.height > 1, !values.isEmpty else { return }
        let top = max(1, values.compactMap { $0 }.max() ?? 1, references.map(\.value).max() ?? 1)
        let topLabel = AmountFormat.grouped(top)
        let labelWidth = CellWidth.of(topLabel) + 1
        grid.put(Fit.pad(topLabel, labelWidth - 1, right: true, ellipsis: glyphs.ellipsis), x: rect.x, y: rect.y, style: .dim)
        grid.put(Fit.pad("0", labelWidth - 1, right: true, ellipsis: glyphs.ellipsis), x: rect.x, y: rect.y + rect.height - 1, style: .dim)
        let plot = Rect(x: rect.x + labelWidth, y: rect.y, width: rect.width - labelWidth, height: rect.height)
        guard plot.width > 0 else { return }
        var canvas = DotCanvas(columns: plot.width, rows: plot.height, perCell: glyphs.ascii ? (1, 1) : (2, 4))
        canvas.plot(values: values, top: top)
        canvas.draw(&grid, at: plot, style: lineStyle, ascii: glyphs.ascii)
        for reference in references {
            let row = canvas.cellRow(of: reference.value, top: top)
            for column in 0..<plot.width where !canvas.isInked(cellColumn: column, cellRow: row) {
                grid.put(glyphs.ascii ? "-" : "┄", x: plot.x + column, y: plot.y + row, style: reference.style)
            }
        }
    }
}

/// A grid of dots, `perCell` dots wide and high per terminal cell, that a series is plotted on.
struct DotCanvas {
    let columns: Int
    let rows: Int
    let perCell: (x: Int, y: Int)
    private var inked: Set<Int> = []

    init(columns: Int, rows: Int, perCell: (Int, Int)) {
        self.columns = columns
        self.rows = rows
        self.perCell = (x: perCell.0, y: perCell.1)
    }

    private var dotColumns: Int { columns * perCell.x }
    private var dotRows: Int { rows * perCell.y }

    /// The dot row (0 at the top) that a value falls on, with 0 on the bottom row and `top` on the first.
    func dotRow(of value: Int64, top: Int64) -> Int {
        let clamped = min(max(value, 0), top)
        let fromBottom = Int((Double(clamped) / Double(top) * Double(dotRows - 1)).rounded())
        return dotRows - 1 - fromBottom
    }

    /// The cell row a value falls on.
    func cellRow(of value: Int64, top: Int64) -> Int { dotRow(of: value, top: top) / perCell.y }

    /// Inks the series, resampled to the canvas width (each dot column takes the value at its
    /// share of the series), joining neighbouring points with vertical runs so steps stay visible.
    mutating func plot(values: [Int64?], top: Int64) {
        var previous: Int?
        for column in 0..<dotColumns {
            let index = min(values.count - 1, column * values.count / max(1, dotColumns))
            guard let value = values[index] else { previous = nil; continue }
            let row = dotRow(of: value, top: top)
            // The run from just past the previous column's dot to this one, so a slope stays one dot thick.
            let start = previous.map { $0 < row ? $0 + 1 : ($0 > row ? $0 - 1 : row) } ?? row
            for run in min(start, row)...max(start, row) { inked.insert(run * dotColumns + column) }
            previous = row
        }
    }

    /// Whether any dot in a cell is inked.
    func isInked(cellColumn: Int, cellRow: Int) -> Bool {
        for dy in 0..<perCell.y {
            for dx in 0..<perCell.x where inked.contains((cellRow * perCell.y + dy) * dotColumns + cellColumn * perCell.x + dx) {
                return true
            }
        }
        return false
    }

    /// Draws each inked cell: a braille pattern of its dots, or `*` in ASCII.
    func draw(_ grid: inout Grid, at rect: Rect, style: StyleToken, ascii: Bool) {
        for cellRow in 0..<rows {
            for cellColumn in 0..<columns where isInked(cellColumn: cellColumn, cellRow: cellRow) {
                let text = ascii ? "*" : braille(cellColumn: cellColumn, cellRow: cellRow)
                grid.put(text, x: rect.x + cellColumn, y: rect.y + cellRow, style: style)
            }
        }
    }

    /// The braille character for a cell's inked dots (Unicode's dot numbering: 1–3 and 7 down
    /// the left column, 4–6 and 8 down the right).
    private func braille(cellColumn: Int, cellRow: Int) -> String {
        let bits: [[UInt32]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
        var pattern: UInt32 = 0
        for dy in 0..<4 {
            for dx in 0..<2 where inked.contains((cellRow * 4 + dy) * dotColumns + cellColumn * 2 + dx) {
                pattern |= bits[dy][dx]
            }
        }
        return String(Character(Unicode.Scalar(0x2800 + pattern)!))
    }
}

/// One row per person: their spend per week as a run of block heights (▁ to █), or ASCII
/// density marks, scaled to the largest week of anyone shown.
struct SpendSparklines {
    var spend: WeeklySpend

    private static let blocks = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    private static let asciiMarks = [":", "-", "=", "~", "+", "*", "#", "@"]

    /// Draws up to `rect.height` rows: the name, the sparkline, and the total.
    func draw(_ grid: inout Grid, in rect: Rect, glyphs: Glyphs) {
        let peak = max(1, spend.rows.flatMap(\.weeks).max() ?? 1)
        let nameWidth = min(12, max(4, spend.rows.map { CellWidth.of($0.person) }.max() ?? 4))
        for (line, row) in spend.rows.prefix(rect.height).enumerated() {
            let y = rect.y + line
            grid.put(Fit.pad(row.person, nameWidth, ellipsis: glyphs.ellipsis), x: rect.x, y: y, style: .normal)
            var x = rect.x + nameWidth + 1
            for credits in row.weeks where x < rect.x + rect.width {
                grid.put(SpendSparklines.mark(credits, peak: peak, ascii: glyphs.ascii), x: x, y: y, style: credits == 0 ? .dim : .negative)
                x += 1
            }
            let total = " \(AmountFormat.grouped(row.weeks.reduce(0, +))) cr"
            if x + CellWidth.of(total) <= rect.x + rect.width { grid.put(total, x: x, y: y, style: .dim) }
        }
    }

    /// The mark for one week: a dot for nothing spent, else a height by its share of `peak`.
    static func mark(_ credits: Credits, peak: Credits, ascii: Bool) -> String {
        let marks = ascii ? asciiMarks : blocks
        guard credits > 0 else { return ascii ? "." : "·" }
        let level = Int((Double(credits) / Double(peak) * Double(marks.count - 1)).rounded(.up))
        return marks[min(marks.count - 1, max(0, level))]
    }
}
