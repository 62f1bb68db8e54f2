import CNcursesw
import ConsoleUI

/// Maps style tokens to what curses draws: one colour pair per token (256 colours, or each
/// token's explicit 16-colour fallback) plus attributes; under no colour, attributes only, so
/// no pair is ever drawn uninitialised (black on black).
struct ColorPalette {
    /// Whether colour pairs are in use.
    let colored: Bool
    /// The curses attributes (pair included) of each token, by token order.
    private var attributes: [StyleToken: attr_t] = [:]
    private var pairs: [StyleToken: Int16] = [:]

    /// Initialises the pairs for `theme` on the running terminal.
    init(theme: Theme, mode: TerminalOptions.ColorMode) {
        let wanted = mode != .never && has_colors()
        if wanted { start_color(); use_default_colors() }
        colored = wanted && cd_colors() >= 8
        let rich = cd_colors() >= 256
        for (index, token) in StyleToken.allCases.enumerated() {
            let look = theme.look(token)
            guard colored, index + 1 < cd_color_pairs() else {
                attributes[token] = ColorPalette.curses(look.monoAttributes)
                pairs[token] = 0
                continue
            }
            let foreground = ColorPalette.number(rich ? look.foreground : look.foreground16, colors: cd_colors())
            let background = ColorPalette.number(rich ? look.background : look.background16, colors: cd_colors())
            let pair = Int16(index + 1)
            init_pair(pair, foreground, background)
            attributes[token] = ColorPalette.curses(look.attributes)
            pairs[token] = pair
        }
    }

    /// The attributes (without the pair) and the pair of a token.
    func style(_ token: StyleToken) -> (attr_t, Int16) {
        (attributes[token] ?? cd_a_normal(), pairs[token] ?? 0)
    }

    /// A theme colour as a curses colour number: -1 for the terminal's default.
    static func number(_ color: ThemeColor, colors: Int32) -> Int16 {
        switch color {
        case .terminalDefault: return -1
        case .indexed(let index):
            if Int32(index) < colors { return Int16(index) }
            if case .indexed(let basic) = color.basic, Int32(basic) < colors { return Int16(basic) }
            return -1
        }
    }

    /// Theme attributes as curses attributes.
    static func curses(_ attributes: TextAttributes) -> attr_t {
        var value = cd_a_normal()
        if attributes.contains(.bold) { value |= cd_a_bold() }
        if attributes.contains(.dim) { value |= cd_a_dim() }
        if attributes.contains(.underline) { value |= cd_a_underline() }
        if attributes.contains(.reverse) { value |= cd_a_reverse() }
        if attributes.contains(.italic) { value |= cd_a_italic() }
        return value
    }
}
