import CreditKit

/// How every number typed on the command line is read, so each field refuses alike and echoes
/// what was typed: not a number of the field's shape (a sign, a fraction, a word) exits 64; a
/// number past the range the field's rule allows, however many digits it has, exits 1.
enum NumberArgument {
    /// A field's name as the refusal gives it, its shape in words, and its rule's range.
    struct Field: Sendable {
        var name: String
        /// What a value looks like: `a whole number of credits such as 100`.
        var shape: String
        var range: ClosedRange<Int64>
        /// The rule's refusal of a value past the range, echoing it as typed (`invalid monthly cap 1e9: …`).
        var refusal: @Sendable (String) -> String
    }

    /// `text` as a whole number within `field.range`, else the one line that says why.
    static func whole(_ text: String, _ field: Field) throws(CLIFailure) -> Int64 {
        let digits = text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw shape(text, field) }
        guard let number = Int64(digits), field.range.contains(number) else { throw outOfRange(text, field) }
        return number
    }

    /// 64: `text` is not a number of the field's shape; a negative one is named as such.
    static func shape(_ text: String, _ field: Field) -> CLIFailure {
        if text.hasPrefix("-"), let first = text.dropFirst().first, first.isASCII, first.isNumber {
            return .usage("\(field.name) \"\(text)\" must not be negative: give \(field.shape)")
        }
        return .usage("\(field.name) \"\(text)\" must be \(field.shape)")
    }

    /// 1: `text` is a number past the field's range (its rule refuses it).
    static func outOfRange(_ text: String, _ field: Field) -> CLIFailure {
        .refused(field.refusal(text))
    }
}

extension NumberArgument.Field {
    /// `hold --ttl` (R35): 1 second to `HoldPolicy.ttlSecondsMax`.
    static let ttl = Self(name: "--ttl", shape: "a duration such as 90s, 15m, 2h or a number of seconds", range: 1...HoldPolicy.ttlSecondsMax) {
        "invalid time to live: \($0); a hold lasts from 1 second to \(HoldPolicy.ttlSecondsMax / 3_600) hours (R35)"
    }
    /// `auto-topup set --below` (R37).
    static let below = Self(name: "--below", shape: "a whole number of credits such as 100", range: 0...AutoTopUpPolicy.thresholdMax) {
        "invalid threshold \($0): --below takes 0 to \(CountText.credits(AutoTopUpPolicy.thresholdMax)) (R37)"
    }
    /// `auto-topup set --to-balance` (R37); the engine checks it is above `--below`.
    static let toBalance = Self(name: "--to-balance", shape: "a whole number of credits such as 1000", range: 0...AutoTopUpPolicy.thresholdMax) {
        "invalid target balance \($0): --to-balance must be above --below and at most \(CountText.credits(AutoTopUpPolicy.thresholdMax)) (R37)"
    }
    /// `auto-topup set --monthly-cap`, in cents (R37).
    static let monthlyCap = Self(name: "--monthly-cap", shape: "dollars such as 250 or 250.00", range: 1...AutoTopUpPolicy.capCentsMax) {
        "invalid monthly cap \($0): --monthly-cap takes $0.01 to \(AmountFormat.dollars(AutoTopUpPolicy.capCentsMax)) (R37)"
    }
    /// `copilot --messages` (R9).
    static let messages = Self(name: "--messages", shape: "a whole number of messages such as 1", range: 1...Engine.copilotMessagesMax) {
        "invalid amount \($0): Copilot messages must be between 1 and \(AmountFormat.grouped(Engine.copilotMessagesMax)) (R9)"
    }
    /// `history --limit`: as many entries as one page of a history can hold.
    static let limit = Self(name: "--limit", shape: "a whole number of entries such as 20", range: 0...Int64(Int32.max)) {
        "invalid limit \($0): --limit takes 0 to \(AmountFormat.grouped(Int64(Int32.max))) entries"
    }
    /// `member-limit set CREDITS` (R40).
    static let memberLimit = Self(name: "credits", shape: "a whole number of credits such as 200", range: 0...MemberLimitPolicy.creditsMax) {
        "invalid amount \($0): a monthly limit is 0 to \(CountText.credits(MemberLimitPolicy.creditsMax)) (R40)"
    }
    /// `grant AMOUNT` (S3).
    static let grantAmount = Self(name: "the amount", shape: "a positive whole number of credits such as 100", range: 1...Engine.adjustmentMax) {
        "invalid amount \($0): a grant must be between 1 and \(CountText.credits(Engine.adjustmentMax))"
    }
    /// `budget --action ID=COUNT` (R25).
    static func volume(_ action: String) -> Self {
        Self(name: "--action \(action)", shape: "a whole count such as \(action)=50", range: 0...BudgetPlanner.volumeMax) {
            "invalid amount: --action \(action)=\($0): a monthly volume must be between 0 and \(AmountFormat.grouped(BudgetPlanner.volumeMax)) (R25)"
        }
    }
}

/// A positional value captured raw (`parsing: .allUnrecognized`, so a leading `-` reaches the
/// command's own check instead of the parser's "unknown option").
enum OneArgument {
    /// The one value given, else 64 naming what is missing or extra.
    static func value(_ values: [String], named name: String, example: String) throws(CLIFailure) -> String {
        guard values.count == 1, let value = values.first else {
            throw .usage("give exactly one \(name), e.g. `\(example)` (got \(values.count))")
        }
        return value
    }
}
