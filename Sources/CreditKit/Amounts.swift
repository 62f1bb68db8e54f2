/// A whole number of credits. Credits are never fractional (RULES.md).
public typealias Credits = Int64

/// An amount of money in whole cents. No floating point ever touches a price.
public typealias Cents = Int64

/// Display helpers for credits and money. Formatting only: no arithmetic here feeds a balance.
public enum AmountFormat {
    /// `1234567` → `1,234,567`; negative values keep their sign.
    public static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    /// Signed credits for history lines: `+500`, `-6`, `0`.
    public static func signed(_ value: Int64) -> String {
        value > 0 ? "+" + grouped(value) : grouped(value)
    }

    /// `5000` cents → `$50.00`.
    public static func dollars(_ cents: Cents) -> String {
        let sign = cents < 0 ? "-" : ""
        let whole = cents.magnitude / 100
        let fraction = cents.magnitude % 100
        return "\(sign)$\(grouped(Int64(whole))).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// `5000` cents → `$50` when whole, else `$50.25`: for compact tables.
    public static func dollarsShort(_ cents: Cents) -> String {
        // The sign goes before the dollar sign, as in `dollars`: `-$1`, not `$-1`.
        cents % 100 == 0 ? (cents < 0 ? "-$" : "$") + grouped(Int64(cents.magnitude / 100)) : dollars(cents)
    }

    /// Price per credit with three decimals (`0.091`), rounded half up; display only.
    public static func perCredit(priceCents: Cents, credits: Credits) -> String {
        guard credits > 0 else { return "—" }
        // thousandths of a dollar per credit = priceCents * 10 / credits, rounded.
        let thousandths = (priceCents * 10 * 2 + credits) / (credits * 2)
        let whole = thousandths / 1000
        let fraction = thousandths % 1000
        let padded = String(repeating: "0", count: max(0, 3 - String(fraction).count)) + String(fraction)
        return "\(whole).\(padded)"
    }

    /// Adds two amounts, or nil when the sum would not fit in 64 bits.
    public static func checkedSum(_ a: Int64, _ b: Int64) -> Int64? {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : sum
    }

    /// Multiplies two amounts, or nil when the product would not fit in 64 bits.
    public static func checkedProduct(_ a: Int64, _ b: Int64) -> Int64? {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : product
    }
}
