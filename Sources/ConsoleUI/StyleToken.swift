import CreditKit

/// The named styles a screen paints with. Screens say what a cell is (`badgeCritical`,
/// `selection`), never which colour: a theme maps each token to colours and attributes.
public enum StyleToken: String, CaseIterable, Sendable, Hashable {
    case normal
    case dim
    case title
    case header
    case demo
    case live
    case border
    case tableHeader
    case selection
    case badgeComfortable = "badge_comfortable"
    case badgeLow = "badge_low"
    case badgeCritical = "badge_critical"
    case positive
    case negative
    case money
    case best
    case hintKey = "hint_key"
    case hintText = "hint_text"
    case dialog
    case dialogTitle = "dialog_title"
    case button
    case buttonFocused = "button_focused"
    case input
    case inputFocused = "input_focused"
    case filter
    case warning
    case error
    case success

    /// Tokens that paint a surface (a bar, a box, a field): text written on one keeps its
    /// background when its own style has none.
    public var isSurface: Bool {
        switch self {
        case .header, .demo, .tableHeader, .selection, .hintText, .dialog, .button, .buttonFocused, .input, .inputFocused:
            return true
        default:
            return false
        }
    }

    /// The theme-file key: `badge_critical`, `table_header`.
    public var key: String {
        switch self {
        case .tableHeader: return "table_header"
        default: return rawValue
        }
    }

    /// The token a theme-file key names, if any.
    public static func named(_ key: String) -> StyleToken? {
        allCases.first { $0.key == key }
    }

    /// The badge token of a level: the colour that goes with its word and glyph.
    public static func badge(_ level: BadgeLevel) -> StyleToken {
        switch level {
        case .comfortable: return .badgeComfortable
        case .low: return .badgeLow
        case .critical: return .badgeCritical
        }
    }
}
