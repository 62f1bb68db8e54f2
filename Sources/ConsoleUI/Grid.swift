import CreditKit

/// One terminal cell: the text it shows (one grapheme, or empty for the right half of a wide
/// character) and the style token it is painted with.
public struct Cell: Hashable, Sendable {
    public var text: String
    public var style: StyleToken
    /// The surface the cell was written on (a dialog, the selection bar): its background shows
    /// behind a style that has none of its own, so coloured text leaves no hole in the bar.
    public var ground: StyleToken?

    public init(text: String, style: StyleToken, ground: StyleToken? = nil) {
        self.text = text; self.style = style; self.ground = style.isSurface ? nil : ground
    }

    /// A blank cell in the normal style.
    public static let blank = Cell(text: " ", style: .normal)
    /// The right half of a wide character: drawn by its left half.
    public static func continuation(_ style: StyleToken) -> Cell { Cell(text: "", style: style) }
}

/// A screen as data: `width` × `height` styled cells. Rendering writes into a Grid; the terminal
/// draws it and tests read it back as text. Every write clips, so no layout can index outside.
public struct Grid: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    /// A blank grid; negative sizes are taken as zero.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = [Cell](repeating: .blank, count: self.width * self.height)
    }

    /// The cell at a position; a blank for positions outside the grid.
    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, y >= 0, x < width, y < height else { return .blank }
        return cells[y * width + x]
    }

    /// Sets one cell; ignored outside the grid.
    public mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        cells[y * width + x] = cell
    }

    /// Writes `text` from (x, y) in `style`, at most `limit` cells (default: to the right edge).
    /// Wide characters take two cells and are dropped rather than split at the edge.
    /// Returns the cells written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: StyleToken, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let end = min(width, limit.map { x + max(0, $0) } ?? width)
        var column = x
        let row = y
        /// The surface under a cell about to be written: kept for text drawn on top of it.
        func ground(_ column: Int) -> StyleToken? {
            let old = self[column, row]
            return old.style.isSurface ? old.style : old.ground
        }
        // Text from the ledger never reaches the terminal raw: steering characters show as U+FFFD.
        // A cluster of several spacing scalars (a family, a flag) takes a cell or two for each.
        characters: for character in FreeText.shown(text) {
            for (piece, cellWidth) in CellWidth.pieces(of: character) {
                if cellWidth == 0 { continue }
                if column + cellWidth > end { break characters }
                if column >= 0 {
                    let under = ground(column)
                    set(column, y, Cell(text: piece, style: style, ground: under))
                    if cellWidth == 2 { set(column + 1, y, Cell(text: "", style: style, ground: under)) }
                }
                column += cellWidth
            }
        }
        return max(0, column - x)
    }

    /// Paints a rectangle with spaces in `style` (clipped).
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: StyleToken) {
        let left = max(0, x), top = max(0, y)
        let right = min(width, x + max(0, w)), bottom = min(height, y + max(0, h))
        guard left < right, top < bottom else { return }
        for row in top..<bottom {
            for column in left..<right { cells[row * width + column] = Cell(text: " ", style: style) }
        }
    }

    /// Restyles a rectangle without changing its text (the selection bar over a table row).
    public mutating func restyle(x: Int, y: Int, width w: Int, height h: Int, style: StyleToken) {
        let left = max(0, x), top = max(0, y)
        let right = min(width, x + max(0, w)), bottom = min(height, y + max(0, h))
        guard left < right, top < bottom else { return }
        for row in top..<bottom {
            for column in left..<right {
                cells[row * width + column].style = style
                cells[row * width + column].ground = nil
            }
        }
    }

    /// Replaces every non-ASCII cell with an ASCII look-alike (`·` becomes `-`), for `--ascii`
    /// and non-UTF-8 terminals: domain text such as `Entry.what` may carry Unicode punctuation.
    public mutating func makeASCII() {
        for index in cells.indices {
            let text = cells[index].text
            guard !text.isEmpty, !text.unicodeScalars.allSatisfy(\.isASCII) else { continue }
            cells[index].text = Grid.asciiLookAlikes[text] ?? "?"
        }
    }

    /// ASCII stand-ins for the Unicode punctuation domain text uses.
    static let asciiLookAlikes: [String: String] = [
        "·": "-", "—": "-", "–": "-", "×": "x", "→": ">", "…": "~", "≤": "<", "≥": ">", "★": "*",
        "●": "o", "▲": "!", "✖": "x", "▸": ">", "é": "e", "“": "\"", "”": "\"", "’": "'",
    ]

    /// One row as plain text (wide characters once, trailing spaces kept).
    public func line(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var out = ""
        for x in 0..<width { out += cells[y * width + x].text }
        return out
    }

    /// The whole grid as text, one line per row with trailing spaces trimmed: what tests compare.
    public var text: String {
        (0..<height).map { y in
            var line = self.line(y)
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// The styles of one row, one token per cell: for tests that check colour is used.
    public func styles(_ y: Int) -> [StyleToken] {
        guard y >= 0, y < height else { return [] }
        return (0..<width).map { cells[y * width + $0].style }
    }
}

/// A terminal size in cells.
public struct Size: Hashable, Sendable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) { self.width = max(0, width); self.height = max(0, height) }

    /// The smallest size the console lays out in; below it, a message says what is needed.
    public static let minimum = Size(width: 80, height: 24)

    /// Whether every screen fits.
    public var isLargeEnough: Bool { width >= Size.minimum.width && height >= Size.minimum.height }
}
