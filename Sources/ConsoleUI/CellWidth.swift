/// Terminal cell widths computed without the C library: an East Asian Width approximation that
/// agrees with `wcwidth` on the characters a console shows (Latin, box drawing, CJK, emoji).
/// Pure, so layout is the same in tests and on screen.
public enum CellWidth {
    /// Cells one Unicode scalar takes: 0 for combining marks and controls, 2 for wide, else 1.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v == 0 { return 0 }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        if isZeroWidth(v) { return 0 }
        if isWide(v) { return 2 }
        return 1
    }

    /// Cells a grapheme cluster takes, as the console draws it: the sum of its pieces' widths
    /// (`pieces(of:)`), so a family of four people takes 8 cells and a flag 2.
    public static func of(_ character: Character) -> Int {
        if character.unicodeScalars.count == 1 { return of(character.unicodeScalars.first!) }
        return pieces(of: character).reduce(0) { $0 + $1.width }
    }

    /// Skin-tone modifiers (U+1F3FB–U+1F3FF, UTS #51) and the tone mark each is drawn as: the
    /// superscript of its Fitzpatrick type (🏻 types 1–2 → ², 🏽 → ⁴, 🏿 → ⁶).
    static let skinToneMarks: [UInt32: Character] = [0x1F3FB: "²", 0x1F3FC: "³", 0x1F3FD: "⁴", 0x1F3FE: "⁵", 0x1F3FF: "⁶"]

    /// What the console puts in cells for `character`, one piece per spacing scalar (with the
    /// combining marks after it) and its width by `of(_:)` (wcwidth). Terminals disagree on
    /// how many cells a joined emoji sequence (👩‍👩‍👧‍👦) or a flag takes, so none is drawn joined:
    /// zero-width joiners and variation selectors are dropped and each person or regional
    /// indicator gets its own cells (the family in 8, 🇩🇪 as 🇩 🇪 in 1 each), which keeps every line
    /// aligned and every name distinct. A skin-tone modifier is drawn as a narrow tone mark
    /// (👍🏽 as 👍⁴): as itself (2 cells) a terminal that joins it to the emoji before would
    /// draw 2 cells fewer and shift the line, and dropped it would make 👍🏽 and 👍🏿 one person.
    public static func pieces(of character: Character) -> [(text: String, width: Int)] {
        let scalars = character.unicodeScalars
        guard scalars.count > 1 else { return [(String(character), of(scalars.first!))] }
        var result: [(text: String, width: Int)] = []
        for scalar in scalars {
            let v = scalar.value
            if v == 0x200D || (0xFE00...0xFE0F).contains(v) || (0xE0100...0xE01EF).contains(v) { continue }
            if let mark = skinToneMarks[v] {
                result.append((String(mark), 1))
                continue
            }
            let width = of(scalar)
            if width == 0, !result.isEmpty {
                result[result.count - 1].text.unicodeScalars.append(scalar)
            } else if width > 0 {
                result.append((String(scalar), width))
            }
        }
        return result
    }

    /// Cells a string takes on a terminal.
    public static func of(_ text: String) -> Int {
        if let cells = asciiCells(text) { return cells }
        var total = 0
        for character in text {
            if character.isASCII { total += (character.asciiValue.map { $0 >= 0x20 && $0 < 0x7F } ?? false) ? 1 : 0 }
            else { total += of(character) }
        }
        return total
    }

    /// The cells of plain ASCII text, counted over its bytes (one per printable character, none
    /// for a control), without breaking it into characters; nil when it holds anything else.
    private static func asciiCells(_ text: String) -> Int? {
        let counted: Int?? = text.utf8.withContiguousStorageIfAvailable { bytes in
            var cells = 0
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if byte >= 0x20 && byte < 0x7F { cells += 1 }
            }
            return cells
        }
        return counted ?? nil
    }

    private static func isZeroWidth(_ v: UInt32) -> Bool {
        (0x0300...0x036F).contains(v) || (0x0483...0x0489).contains(v) || (0x0591...0x05BD).contains(v)
            || (0x0610...0x061A).contains(v) || (0x064B...0x065F).contains(v) || (0x200B...0x200F).contains(v)
            || (0x2028...0x202E).contains(v) || (0x2060...0x2064).contains(v) || (0x20D0...0x20FF).contains(v)
            || (0xFE00...0xFE0F).contains(v) || (0xFE20...0xFE2F).contains(v) || v == 0xFEFF
            || (0x1160...0x11FF).contains(v) || (0xE0100...0xE01EF).contains(v)
    }

    private static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115F).contains(v) || (0x231A...0x231B).contains(v) || (0x2329...0x232A).contains(v)
            || (0x23E9...0x23EC).contains(v) || v == 0x23F0 || v == 0x23F3 || (0x25FD...0x25FE).contains(v)
            || (0x2614...0x2615).contains(v) || (0x2648...0x2653).contains(v) || v == 0x267F || v == 0x2693
            || v == 0x26A1 || (0x26AA...0x26AB).contains(v) || (0x26BD...0x26BE).contains(v)
            || (0x26C4...0x26C5).contains(v) || v == 0x26CE || v == 0x26D4 || v == 0x26EA
            || (0x26F2...0x26F3).contains(v) || v == 0x26F5 || v == 0x26FA || v == 0x26FD || v == 0x2705
            || (0x270A...0x270B).contains(v) || v == 0x2728 || v == 0x274C || v == 0x274E
            || (0x2753...0x2755).contains(v) || v == 0x2757 || (0x2795...0x2797).contains(v) || v == 0x27B0
            || v == 0x27BF || (0x2B1B...0x2B1C).contains(v) || v == 0x2B50 || v == 0x2B55
            || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v) || (0x3400...0x4DBF).contains(v)
            || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v) || (0xA960...0xA97F).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE10...0xFE19).contains(v)
            || (0xFE30...0xFE6F).contains(v) || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
            || (0x1F004 == v) || v == 0x1F0CF || v == 0x1F18E || (0x1F191...0x1F19A).contains(v)
            || (0x1F200...0x1F251).contains(v) || (0x1F300...0x1F64F).contains(v) || (0x1F680...0x1F6FF).contains(v)
            || (0x1F7E0...0x1F7EB).contains(v) || (0x1F90C...0x1F9FF).contains(v) || (0x1FA70...0x1FAFF).contains(v)
            || (0x20000...0x2FFFD).contains(v) || (0x30000...0x3FFFD).contains(v)
    }
}
