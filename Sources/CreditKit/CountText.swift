/// A count with its noun in agreement, for every line a person reads: `1 credit`, `2 credits`,
/// `1,000 credits`, `1 batch`, `3 batches`. Display only.
public enum CountText {
    /// `n` grouped (`AmountFormat.grouped`) and `singular` when `n` is 1 or -1, else `plural`
    /// (by default `singular` + "s").
    public static func count(_ n: Int64, _ singular: String, _ plural: String? = nil) -> String {
        "\(AmountFormat.grouped(n)) \(n.magnitude == 1 ? singular : plural ?? singular + "s")"
    }

    /// `count`, for an `Int` (a number of rows, events, bytes).
    public static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        count(Int64(n), singular, plural)
    }

    /// `1 credit`, `6 credits`, `-1 credit`.
    public static func credits(_ n: Credits) -> String { count(n, "credit") }
}

extension CountText {
    /// Signed credits (`AmountFormat.signed`) with the noun in agreement: `+1 credit`, `-6 credits`.
    public static func signedCredits(_ n: Credits) -> String {
        "\(AmountFormat.signed(n)) \(n.magnitude == 1 ? "credit" : "credits")"
    }
}
