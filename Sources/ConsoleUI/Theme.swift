/// A terminal colour as a theme names it: the terminal's own default, or an index into the
/// 256-colour palette (0–15 are the sixteen basic colours).
public enum ThemeColor: Hashable, Sendable {
    case terminalDefault
    case indexed(Int)

    /// The sixteen colour names a theme file may use, by palette index.
    public static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
                               "bright_black", "bright_red", "bright_green", "bright_yellow",
                               "bright_blue", "bright_magenta", "bright_cyan", "bright_white"]

    /// Parses `default`, a name from `names`, or a number 0–255.
    public init?(parsing text: String) {
        let word = text.lowercased()
        if word == "default" || word == "-1" { self = .terminalDefault; return }
        if let index = ThemeColor.names.firstIndex(of: word) { self = .indexed(index); return }
        if let value = Int(word), (0...255).contains(value) { self = .indexed(value); return }
        return nil
    }

    /// The nearest of the sixteen basic colours, for terminals with fewer than 256.
    public var basic: ThemeColor {
        guard case .indexed(let index) = self else { return self }
        if index < 16 { return self }
        if index >= 232 {
            let level = index - 232
            return .indexed(level < 6 ? 0 : level < 14 ? 8 : level < 20 ? 7 : 15)
        }
        let cube = index - 16
        let r = cube / 36, g = (cube / 6) % 6, b = cube % 6
        let high = max(r, g, b)
        if high == 0 { return .indexed(0) }
        let threshold = max(1, high - 1)
        let bits = (r >= threshold ? 1 : 0) | (g >= threshold ? 2 : 0) | (b >= threshold ? 4 : 0)
        return .indexed(bits + (high >= 4 ? 8 : 0))
    }

    /// How a theme file writes this colour.
    public var text: String {
        switch self {
        case .terminalDefault: return "default"
        case .indexed(let index): return index < 16 ? ThemeColor.names[index] : String(index)
        }
    }
}

/// Text attributes a theme can ask for; under no colour they are all a theme has.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1)
    public static let dim = TextAttributes(rawValue: 2)
    public static let underline = TextAttributes(rawValue: 4)
    public static let reverse = TextAttributes(rawValue: 8)
    public static let italic = TextAttributes(rawValue: 16)

    /// The words a theme file uses for each attribute.
    public static let words: [(String, TextAttributes)] = [
        ("bold", .bold), ("dim", .dim), ("underline", .underline), ("reverse", .reverse), ("italic", .italic),
    ]
}

/// How one style token looks: 256-colour foreground and background, their explicit
/// 16-colour fallbacks, attributes, and the attributes used when there is no colour at all.
public struct TokenLook: Hashable, Sendable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var foreground16: ThemeColor
    public var background16: ThemeColor
    public var attributes: TextAttributes
    public var monoAttributes: TextAttributes

    public init(foreground: ThemeColor, background: ThemeColor = .terminalDefault,
                foreground16: ThemeColor? = nil, background16: ThemeColor? = nil,
                attributes: TextAttributes = [], monoAttributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.foreground16 = foreground16 ?? foreground.basic
        self.background16 = background16 ?? background.basic
        self.attributes = attributes
        self.monoAttributes = monoAttributes
    }
}

/// A named set of looks for every style token, read from a hand-editable `key = value` file.
public struct Theme: Hashable, Sendable {
    public var name: String
    public var looks: [StyleToken: TokenLook]
    /// What the file got wrong, one line each; the theme still loads and the console shows these.
    public var warnings: [String]

    public init(name: String, looks: [StyleToken: TokenLook], warnings: [String] = []) {
        self.name = name; self.looks = looks; self.warnings = warnings
    }

    /// The look of a token; the normal look when a theme leaves a token out.
    public func look(_ token: StyleToken) -> TokenLook {
        looks[token] ?? looks[.normal] ?? TokenLook(foreground: .terminalDefault)
    }

    /// The built-in default theme: what `Themes/default.theme` says, so the console runs
    /// even where the theme files are not installed.
    public static let standard: Theme = {
        func look(_ fg: Int?, on bg: Int? = nil, _ attrs: TextAttributes = [], mono: TextAttributes = [],
                  fg16: Int? = nil, bg16: Int? = nil) -> TokenLook {
            TokenLook(foreground: fg.map { .indexed($0) } ?? .terminalDefault,
                      background: bg.map { .indexed($0) } ?? .terminalDefault,
                      foreground16: fg16.map { .indexed($0) }, background16: bg16.map { .indexed($0) },
                      attributes: attrs, monoAttributes: mono)
        }
        return Theme(name: "default", looks: [
            .normal: look(nil),
            .dim: look(245, [], mono: .dim, fg16: 8),
            .title: look(75, .bold, mono: .bold, fg16: 12),
            .header: look(252, on: 236, mono: .bold, fg16: 7, bg16: 0),
            .demo: look(16, on: 214, .bold, mono: .reverse, fg16: 0, bg16: 3),
            .live: look(114, on: 236, .bold, mono: .bold, fg16: 10, bg16: 0),
            .border: look(240, fg16: 8),
            .tableHeader: look(250, .underline, mono: .underline, fg16: 7),
            .selection: look(231, on: 25, .bold, mono: .reverse, fg16: 15, bg16: 4),
            .badgeComfortable: look(40, .bold, mono: .bold, fg16: 2),
            .badgeLow: look(214, .bold, mono: .underline, fg16: 3),
            .badgeCritical: look(196, .bold, mono: [.bold, .reverse], fg16: 1),
            .positive: look(78, fg16: 2),
            .negative: look(174, fg16: 1),
            .money: look(180, fg16: 3),
            .best: look(220, .bold, mono: .bold, fg16: 11),
            .hintKey: look(231, on: 238, .bold, mono: .reverse, fg16: 15, bg16: 8),
            .hintText: look(248, fg16: 7),
            .dialog: look(253, on: 237, fg16: 15, bg16: 0),
            .dialogTitle: look(117, on: 237, .bold, mono: .bold, fg16: 14, bg16: 0),
            .button: look(252, on: 240, mono: [], fg16: 7, bg16: 8),
            .buttonFocused: look(16, on: 117, .bold, mono: .reverse, fg16: 0, bg16: 14),
            .input: look(252, on: 238, mono: .underline, fg16: 15, bg16: 8),
            .inputFocused: look(231, on: 24, .bold, mono: [.underline, .bold], fg16: 15, bg16: 4),
            .filter: look(117, .bold, mono: .bold, fg16: 14),
            .warning: look(214, .bold, mono: .bold, fg16: 3),
            .error: look(203, .bold, mono: [.bold, .reverse], fg16: 9),
            .success: look(114, .bold, mono: .bold, fg16: 10),
        ])
    }()

    /// Reads a theme file: `token = FG[/FG16] [on BG[/BG16]] [attributes] [| mono attributes]`,
    /// `#` comments, blank lines, and `name = ...`. Tokens it leaves out keep `base`'s look.
    /// An unknown key or a bad value is skipped with a warning naming the line; it never fails.
    public static func parse(_ text: String, name: String, base: Theme = .standard) -> Theme {
        var theme = base
        theme.name = name
        theme.warnings = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.firstIndex(of: "=") else {
                theme.warnings.append("\(name) line \(lineNumber): expected `key = value`, found \"\(trimmed)\"")
                continue
            }
            let key = trimmed[..<equals].trimmingSpaces.lowercased()
            let value = trimmed[trimmed.index(after: equals)...].trimmingSpaces
            if key == "name" || key == "description" { continue }
            guard let token = StyleToken.named(key) else {
                theme.warnings.append("\(name) line \(lineNumber): unknown key \"\(key)\"")
                continue
            }
            switch parseLook(value) {
            case .success(let look): theme.looks[token] = look
            case .failure(let problem):
                theme.warnings.append("\(name) line \(lineNumber): \(key): \(problem.text)")
            }
        }
        return theme
    }

    /// Why a theme value did not parse.
    public struct ValueProblem: Error, Hashable, Sendable { public var text: String }

    /// Parses the value half of a theme line into a look.
    static func parseLook(_ value: String) -> Result<TokenLook, ValueProblem> {
        let halves = value.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        var words = halves[0].split(separator: " ").map(String.init)
        var monoAttributes: TextAttributes = []
        if halves.count > 1 {
            for word in halves[1].split(separator: " ") {
                guard let attribute = TextAttributes.words.first(where: { $0.0 == word.lowercased() })?.1 else {
                    return .failure(ValueProblem(text: "unknown attribute \"\(word)\""))
                }
                monoAttributes.insert(attribute)
            }
        }
        guard !words.isEmpty else { return .failure(ValueProblem(text: "no colour given")) }
        func colourPair(_ word: String) -> (ThemeColor, ThemeColor?)? {
            let parts = word.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2, let main = ThemeColor(parsing: parts[0]) else { return nil }
            if parts.count == 2 {
                guard let basic = ThemeColor(parsing: parts[1]) else { return nil }
                if case .indexed(let index) = basic, index > 15 { return nil }
                return (main, basic)
            }
            return (main, nil)
        }
        guard let foreground = colourPair(words.removeFirst()) else {
            return .failure(ValueProblem(text: "bad colour in \"\(value)\" (use default, a colour name, or 0-255, with an optional /FALLBACK of the 16)"))
        }
        var background: (ThemeColor, ThemeColor?) = (.terminalDefault, nil)
        if let first = words.first, first.lowercased() == "on" {
            words.removeFirst()
            guard !words.isEmpty, let parsed = colourPair(words.removeFirst()) else {
                return .failure(ValueProblem(text: "bad background in \"\(value)\""))
            }
            background = parsed
        }
        var attributes: TextAttributes = []
        for word in words {
            guard let attribute = TextAttributes.words.first(where: { $0.0 == word.lowercased() })?.1 else {
                return .failure(ValueProblem(text: "unknown attribute \"\(word)\""))
            }
            attributes.insert(attribute)
        }
        return .success(TokenLook(foreground: foreground.0, background: background.0,
                                  foreground16: foreground.1, background16: background.1,
                                  attributes: attributes, monoAttributes: monoAttributes))
    }

    /// The names of the themes shipped in `Themes/`.
    public static let shippedNames = ["default", "light", "high-contrast", "mono", "tradeshow"]
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (no Foundation needed).
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" || first == "\r" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars.removeLast() }
        return String(scalars)
    }
}
