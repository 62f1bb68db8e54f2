import CreditKit

/// A field for a whole number of credits or a count: digits only (and, when signed, one leading
/// `+` or `-`), at most `digitsMax` digits; a money field (`fractionDigits` 2) also takes one
/// `.` and up to that many digits after it. A key it refuses leaves the text as it was and names
/// why, so the field never shows a number the person did not type.
public struct NumberField: Hashable, Sendable {
    /// Why a key was refused, shown beside the field until the next key.
    public enum Refusal: Hashable, Sendable {
        /// `.` or `,`: credits and counts are whole numbers.
        case wholeNumbersOnly(unit: String)
        /// A letter, a space, `e`...: only digits (and a leading sign) go in.
        case digitsOnly
        /// A sign typed after the first character.
        case signFirst
        /// A digit past the field's limit.
        case tooManyDigits(Int)
        /// A digit past the `fractionDigits` a money field takes after its point.
        case tooManyDecimals(Int)
        /// A second `.`, or a `,` where a money field takes a `.`.
        case onePoint

        /// The line shown beside the field.
        public var message: String {
            switch self {
            case .wholeNumbersOnly(let unit): return "whole \(unit) only"
            case .digitsOnly: return "digits only"
            case .signFirst: return "a sign goes first"
            case .tooManyDigits(let limit): return "at most \(limit) digits"
            case .tooManyDecimals(let limit): return "at most \(limit) digits after the point"
            case .onePoint: return "one . between dollars and cents"
            }
        }
    }

    public private(set) var text = ""
    /// Whether a leading `+` or `-` is accepted (an adjustment); counts are never signed.
    public let signed: Bool
    /// The most digits the field takes; the value can never exceed what that many digits hold.
    public let digitsMax: Int
    /// What the field counts, for the refusal of a fraction: `credits`, `numbers`.
    public let unit: String
    /// Digits taken after a `.` (0: whole numbers only).
    public let fractionDigits: Int
    /// Why the last key was refused; cleared by the next key the field accepts.
    public private(set) var refusal: Refusal?

    public init(signed: Bool, digitsMax: Int, unit: String, fractionDigits: Int = 0, text: String = "") {
        precondition(digitsMax > 0 && digitsMax <= 18, "a number field holds 1 to 18 digits")
        precondition(fractionDigits >= 0 && digitsMax + fractionDigits <= 18, "a number field holds at most 18 digits in all")
        self.signed = signed; self.digitsMax = digitsMax; self.unit = unit; self.fractionDigits = fractionDigits
        for character in text { type(character) }
    }

    /// The most digits a field needs for values up to `limit`.
    public static func digits(for limit: Int64) -> Int { String(limit.magnitude).count }

    /// The digits typed, without any sign.
    public var digits: Substring { text.drop { $0 == "+" || $0 == "-" } }

    /// The number typed in units of 10^-`fractionDigits` (a money field's cents: `250.5` is
    /// 25050), or nil while there is no digit before the point.
    public var scaled: Int64? {
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, let units = Int64(whole) else { return nil }
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        let padded = fraction + String(repeating: "0", count: fractionDigits - fraction.count)
        var scale: Int64 = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        let magnitude = units * scale + (Int64(padded) ?? 0)
        return text.hasPrefix("-") ? -magnitude : magnitude
    }

    /// The number typed, or nil while there is none (empty, or a sign alone).
    public var value: Int64? {
        guard !digits.isEmpty, let magnitude = Int64(digits) else { return nil }
        return text.hasPrefix("-") ? -magnitude : magnitude
    }

    /// Types one character: appended when the field accepts it, else refused with a reason.
    /// While a refusal shows, the field takes nothing more (so `1 2 . 5` stays `12`, never
    /// `125`) until Backspace clears it.
    public mutating func type(_ character: Character) {
        if refusal != nil { return }
        refusal = check(character)
        if refusal == nil { text.append(character) }
    }

    /// Backspace: erases the last character and clears any refusal, so every Backspace takes
    /// one character off what is shown (never a silent first press).
    public mutating func erase() {
        refusal = nil
        _ = text.popLast()
    }

    private func check(_ character: Character) -> Refusal? {
        if character.isASCII && character.isNumber {
            if let point = digits.firstIndex(of: ".") {
                return digits[digits.index(after: point)...].count < fractionDigits ? nil : .tooManyDecimals(fractionDigits)
            }
            return digits.count < digitsMax ? nil : .tooManyDigits(digitsMax)
        }
        if fractionDigits > 0 && (character == "." || character == ",") {
            return character == "." && !digits.isEmpty && !digits.contains(".") ? nil : .onePoint
        }
        if character == "+" || character == "-" {
            guard signed else { return .digitsOnly }
            return text.isEmpty ? nil : .signFirst
        }
        if character == "." || character == "," { return .wholeNumbersOnly(unit: unit) }
        return .digitsOnly
    }
}

/// The limits of the console's number fields, named once.
public enum NumberFieldLimits {
    /// Digits of an adjustment: as many as the largest adjustment the engine takes (R19).
    public static let adjustmentDigits = NumberField.digits(for: Engine.adjustmentMax)
    /// Digits of a monthly volume in the budget planner: below the planner's limit (R25).
    public static let volumeDigits = NumberField.digits(for: BudgetPlanner.volumeMax) - 1

    /// A fresh adjustment amount field.
    public static func adjustment() -> NumberField { NumberField(signed: true, digitsMax: adjustmentDigits, unit: "credits") }
    /// A fresh monthly-volume field.
    public static func volume() -> NumberField { NumberField(signed: false, digitsMax: volumeDigits, unit: "numbers") }
}
