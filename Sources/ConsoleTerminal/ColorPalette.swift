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
    /// Pairs made on demand for a style drawn on a surface: the style's foreground on the
    /// surface's background.
    private var groundPairs: [GroundKey: Int16] = [:]
    private let theme: Theme
    private let rich: Bool

    private struct GroundKey: Hashable { var style: StyleToken; var ground: StyleToken }

    /// Initialises the pairs for `theme` on the running terminal.
    init(theme: Theme, mode: TerminalOptions.ColorMode) {
        let wanted = mode != .never && has_colors()
        if wanted { start_color(); use_default_colors() }
        colored = wanted && cd_colors() >= 8
        let rich = cd_colors() >= 256
        self.theme = theme
        self.rich = rich
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

    /// A token drawn on a surface: where the token has no background of its own, the
    /// surface's shows (a pair made once, on first use); with no colour, both sets of attributes.
    mutating func style(_ token: StyleToken, on ground: StyleToken?) -> (attr_t, Int16) {
        guard let ground, ground != token else { return style(token) }
        guard colored else { return (style(token).0 | style(ground).0, 0) }
        let look = theme.look(token), surface = theme.look(ground)
        guard look.background == .terminalDefault, surface.background != .terminalDefault else { return style(token) }
        let key = GroundKey(style: token, ground: ground)
        if let pair = groundPairs[key] { return (style(token).0, pair) }
        let next = Int32(StyleToken.allCases.count + 1 + groundPairs.count)
        guard next < cd_color_pairs(), next <= Int32(Int16.max) else { return style(token) }
        let pair = Int16(next)
        init_pair(pair, ColorPalette.number(rich ? look.foreground : look.foreground16, colors: cd_colors()),
                  ColorPalette.number(rich ? surface.background : surface.background16, colors: cd_colors()))
        groundPairs[key] = pair
        return (style(token).0, pair)
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
