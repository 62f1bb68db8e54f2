import CreditKit

/// Every non-letter a screen draws, in Unicode or in ASCII (`--ascii`, or a locale without
/// UTF-8). Borders come from here, never from curses' line-drawing mode.
public struct Glyphs: Hashable, Sendable {
    public var ascii: Bool
    public var horizontal: String
    public var vertical: String
    public var topLeft: String
    public var topRight: String
    public var bottomLeft: String
    public var bottomRight: String
    public var marker: String
    public var dot: String
    public var ellipsis: String
    public var dash: String
    public var star: String
    public var arrow: String
    public var enter: String
    public var upDown: String
    public var leftRight: String
    public var times: String
    public var cursor: String
    /// Marks a balance part of which open holds reserve (R35).
    public var held: String

    /// The table for a terminal: Unicode unless `ascii`.
    public init(ascii: Bool) {
        self.ascii = ascii
        horizontal = ascii ? "-" : "─"
        vertical = ascii ? "|" : "│"
        topLeft = ascii ? "+" : "┌"
        topRight = ascii ? "+" : "┐"
        bottomLeft = ascii ? "+" : "└"
        bottomRight = ascii ? "+" : "┘"
        marker = ascii ? ">" : "▸"
        dot = ascii ? "-" : "·"
        ellipsis = ascii ? "~" : "…"
        dash = ascii ? "-" : "—"
        star = ascii ? "*" : "★"
        arrow = ascii ? "->" : "→"
        enter = ascii ? "Enter" : "⏎"
        upDown = ascii ? "j/k" : "↑↓"
        leftRight = ascii ? "h/l" : "←→"
        times = ascii ? "x" : "×"
        cursor = ascii ? "_" : "▏"
        held = ascii ? "h" : "◔"
    }

    /// The badge glyph of a level (● ▲ ✖, or o ! x).
    public func badge(_ level: BadgeLevel) -> String { level.glyph(ascii: ascii) }
}
