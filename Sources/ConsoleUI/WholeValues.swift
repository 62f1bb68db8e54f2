/// Dates, times and amounts inside running text (`$200.00`, `22:30`, `2027-06-01`, `Jun 1 2027`,
/// `+2,200`): a cut never lands inside one. README: "dates and amounts are shown whole or not at all".
enum WholeValues {
    /// Month words, which belong to the number after them (`Jun 1`).
    static let months: Set<Substring> = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    /// What a value is made of besides digits: currency, grouping, point, clock, date and sign
    /// marks, and the brackets around it.
    static let marks: Set<Character> = ["$", ",", ".", ":", "-", "+", "/", "%", "#", "(", ")", "×", "−"]

    /// Whether `word` is a value: at least one digit, nothing but digits and `marks`.
    static func isValue(_ word: Substring) -> Bool {
        word.contains { $0.isASCII && $0.isNumber } && word.allSatisfy { ($0.isASCII && $0.isNumber) || marks.contains($0) }
    }

    /// Whether `word` is part of a date or an amount: a value or a month word.
    static func isPart(_ word: Substring) -> Bool { isValue(word) || months.contains(word) }

    /// `head`, the part of a text kept before `rest` by a cut, without the value the cut meets
    /// (the word it splits, or the next word when the cut falls between words) and the words of
    /// the same date or amount one space before it (`Nov 21 14:0` loses all three), then
    /// without trailing spaces. `head` as it is when the cut meets no value.
    static func keptWhole(_ head: String, before rest: Substring) -> String {
        var kept = Substring(head)
        let splits = !(kept.last?.isWhitespace ?? true) && !(rest.first?.isWhitespace ?? true)
        if splits {
            let tail = trailingWord(kept)
            let word = tail + rest.prefix { !$0.isWhitespace }
            // A month word split (`Ju|n 1`) goes as its date does.
            let after = rest.drop { !$0.isWhitespace }.drop { $0.isWhitespace }.prefix { !$0.isWhitespace }
            guard isValue(word) || (months.contains(word) && isValue(after)) else { return head }
            kept = kept.dropLast(tail.count)
        } else {
            let gap = kept.reversed().prefix { $0.isWhitespace }.count + rest.prefix { $0.isWhitespace }.count
            guard gap == 1, isValue(rest.drop { $0.isWhitespace }.prefix { !$0.isWhitespace }) else { return head }
        }
        // Words of the same date or amount, one space apart, go with it.
        while !kept.isEmpty {
            let spaces = kept.reversed().prefix { $0.isWhitespace }.count
            let word = trailingWord(kept.dropLast(spaces))
            guard spaces <= 1, !word.isEmpty, isPart(word) else { break }
            kept = kept.dropLast(spaces + word.count)
        }
        while kept.last?.isWhitespace == true { kept.removeLast() }
        return String(kept)
    }

    /// The last word of `text`: what follows its last space (all of it when there is none).
    private static func trailingWord(_ text: Substring) -> Substring {
        text[(text.lastIndex { $0.isWhitespace }.map { text.index(after: $0) } ?? text.startIndex)...]
    }
}
