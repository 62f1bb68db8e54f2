/// The balance badge of R20: a level shown with a word, a glyph and a colour, never colour alone.
public enum BadgeLevel: String, Sendable, CaseIterable, Codable {
    case comfortable, low, critical

    /// The level for a balance under a catalog's thresholds.
    public static func of(balance: Credits, thresholds: Catalog.BadgeThresholds) -> BadgeLevel {
        if balance <= thresholds.criticalAtOrBelow { return .critical }
        if balance <= thresholds.lowAtOrBelow { return .low }
        return .comfortable
    }

    /// The word people read: `comfortable`, `running low`, `critical`.
    public var word: String {
        switch self {
        case .comfortable: return "comfortable"
        case .low: return "running low"
        case .critical: return "critical"
        }
    }

    /// A glyph that tells the level apart without colour, Unicode or ASCII.
    public func glyph(ascii: Bool) -> String {
        switch self {
        case .comfortable: return ascii ? "o" : "●"
        case .low: return ascii ? "!" : "▲"
        case .critical: return ascii ? "x" : "✖"
        }
    }
}
