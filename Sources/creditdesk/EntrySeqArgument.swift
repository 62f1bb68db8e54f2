/// Parses the seq of a journal entry typed on the command line (`reverse`, `void`).
enum EntrySeqArgument {
    /// `42` or `#42` → 42; anything else (zero, signs, other digits, overflow) is a usage error (64).
    static func number(_ text: String) throws(CLIFailure) -> Int64 {
        let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
        if text.hasPrefix("-"), let first = text.dropFirst().first, first.isASCII, first.isNumber {
            throw CLIFailure.usage("the entry \"\(text)\" must not be negative: give a sequence number such as 42")
        }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int64(digits), number > 0 else {
            throw CLIFailure.usage("the entry \"\(text)\" must be a sequence number such as 42")
        }
        return number
    }
}
