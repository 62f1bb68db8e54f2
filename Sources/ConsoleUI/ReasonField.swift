import CreditKit

/// The one-line reason a support agent types (adjust R19, reverse R34, void R36): what a key
/// does to it. The reason is kept within `FreeText.reasonLengthMax` bytes as it is typed, so the
/// engine never refuses for its length a reason the field took.
enum ReasonField {
    /// Appends `character` unless it breaks the line or would take the reason past the limit.
    static func type(_ character: Character, into reason: inout String) {
        guard !character.isNewline, reason.utf8.count + character.utf8.count <= FreeText.reasonLengthMax else { return }
        reason.append(character)
    }

    /// A key for a reason field: a character typed, Backspace or Delete erasing the last one;
    /// false for any other key (and a line break), which the field leaves to its screen.
    static func edit(_ reason: inout String, with key: Key) -> Bool {
        switch key {
        case .character(let c) where !c.isNewline: type(c, into: &reason)
        case .backspace, .delete: _ = reason.popLast()
        default: return false
        }
        return true
    }
}
