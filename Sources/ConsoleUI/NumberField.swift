import CreditKit

/// A field for a whole number of credits or a count: digits only (and, when signed, one leading
/// `+` or `-`), at most `digitsMax` digits. A key it refuses leaves the text as it was and names
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

        /// The line shown beside the field.
        public var message: String {
            switch self {
            case .wholeNumbersOnly(let unit): return "whole \(unit) only"
            case .digitsOnly: return "digits only"
            case .signFirst: return "a sign goes first"
            case .tooManyDigits(let limit): return "at most \(limit) digits"
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
    /// Why the last key was refused; cleared by the next key the field accepts.
    public private(set) var refusal: Refusal?

    public init(signed: Bool, digitsMax: Int, unit: String, text: String = "") {
        precondition(digitsMax > 0 && digitsMax <= 18, "a number field holds 1 to 18 digits")
        self.signed = signed; self.digitsMax = digitsMax; self.unit = unit
        for character in text { type(character) }
    }

    /// The most digits a field needs for values up to `limit`.
    public static func digits(for limit: Int64) -> Int { String(limit.magnitude).count }

    /// The digits typed, without any sign.
    public var digits: Substring { text.drop { $0 == "+" || $0 == "-" } }

    /// The number typed, or nil while there is none (empty, or a sign alone).
    public var value: Int64? {
        guard !digits.isEmpty, let magnitude = Int64(digits) else { return nil }
        return text.hasPrefix("-") ? -magnitude : magnitude
    }

    /// Types one character: appended when the field accepts it, else refused with a reason.
    /// While a refusal shows, the field takes nothing more (so `1 2 . 5` stays `12`, never
    /// `125`) until Backspace acknowledges it.
    public mutating func type(_ character: Character) {
        if refusal != nil { return }
        refusal = check(character)
        if refusal == nil { text.append(character) }
    }

    /// Backspace: acknowledges a refusal (the text stays), else erases the last character.
    public mutating func erase() {
        if refusal != nil {
            refusal = nil
        } else {
            _ = text.popLast()
        }
    }

    private func check(_ character: Character) -> Refusal? {
        if character.isASCII && character.isNumber {
            return digits.count < digitsMax ? nil : .tooManyDigits(digitsMax)
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
