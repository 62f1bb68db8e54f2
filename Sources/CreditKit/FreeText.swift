/// Rules for free text that lands in the journal (names, job ids, reasons), and the one way any
/// such text is shown (`shown`). Text must not steer a terminal, a mail reader or an
/// editor, neither at input nor when an older ledger holds it.
public enum FreeText {
    public static let tokenLengthMax = 128
    public static let reasonLengthMax = 500
    /// The longest workspace display name, in bytes.
    public static let displayNameLengthMax = 200
    /// What `shown` puts in place of a character that would steer the display: U+FFFD.
    public static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// A token (job id, item id, invoice id, person's name): no spaces of any kind, nothing
    /// invisible, nothing that steers the display (`isSteering`); 1 to 128 bytes.
    public static func isValidToken(_ text: String) -> Bool {
        guard !text.isEmpty && text.utf8.count <= tokenLengthMax else { return false }
        // Printable ASCII but space (the common case, checked per byte): valid without asking
        // the Unicode tables, which cost a replay of a million records seconds.
        if text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) { return true }
        return text.unicodeScalars.allSatisfy { !isSteering($0) && !isBlank($0) }
    }

    /// A reason or a display name: one line, not blank (Unicode spaces and invisible characters
    /// alone are blank), nothing that steers the display; at most `lengthMax` bytes.
    public static func isValidLine(_ text: String, lengthMax: Int = reasonLengthMax) -> Bool {
        guard text.utf8.count <= lengthMax else { return false }
        // Printable ASCII with at least one visible character: valid per byte (see isValidToken).
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.contains { $0 != 0x20 } }
        return !text.unicodeScalars.allSatisfy(isBlank) && !text.unicodeScalars.contains(where: isSteering)
    }

    /// A character that changes how a terminal, a mail reader or an editor shows what follows:
    /// the C0 and C1 controls and DEL (ESC, CSI, NEL…), the line and paragraph separators,
    /// the bidirectional embeddings, overrides, isolates and marks, and the other format
    /// characters that act on the text after them (U+206A–U+206F, U+FFF9–U+FFFB).
    public static func isSteering(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F: return true
        case 0x2028, 0x2029: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        case 0x206A...0x206F, 0xFFF9...0xFFFB: return true
        default: return false
        }
    }

    /// The first character of `text` that steers the display (`isSteering`), with its 1-based
    /// position in the text's characters; nil when there is none.
    public static func firstSteering(_ text: String) -> SteeringMark? {
        guard mayNeedShowing(text) || text.utf8.contains(0x0A) else { return nil }
        for (offset, scalar) in text.unicodeScalars.enumerated() where isSteering(scalar) {
            return SteeringMark(scalar: scalar.value, position: offset + 1)
        }
        return nil
    }

    /// A character that shows as nothing or as space: every Unicode space (no-break,
    /// ideographic…) and every default-ignorable character (zero-width space and joiners,
    /// word joiner, byte-order mark, Hangul fillers), and the blank braille pattern.
    public static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar.properties.isDefaultIgnorableCodePoint || scalar.value == 0x2800
    }

    /// `text` safe to print: every steering character (`isSteering`) becomes U+FFFD, so a
    /// value from an older ledger can never move the cursor, clear a screen or reorder a line.
    /// The one function every output path (CLI text, exports, mail, the console) uses.
    public static func shown(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isSteering) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { out.append(isSteering(scalar) ? replacement : scalar) }
        return String(out)
    }

    /// `shown` line by line: the line breaks of `text` itself are kept, everything else that
    /// steers the display is replaced. For whole outputs whose values were already `shown`.
    public static func shownKeepingLines(_ text: String) -> String {
        guard mayNeedShowing(text) else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { shown(String($0)) }.joined(separator: "\n")
    }

    /// Whether `text` holds a control byte other than a newline, or a byte that is not ASCII:
    /// only then can anything in it steer. A plain loop over a native string's UTF-8 (whole
    /// outputs of megabytes are checked: `workspace list --json` at a million records).
    static func mayNeedShowing(_ text: String) -> Bool {
        let scanned: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where (byte < 0x20 && byte != 10) || byte >= 0x7F { return true }
            return false
        }
        return scanned ?? text.utf8.contains { ($0 < 0x20 && $0 != 10) || $0 >= 0x7F }
    }
}

/// Rules for an owner's mail address: the alert for a workspace goes to exactly
/// one address, its owner, so the owner must be one RFC 5322 `addr-spec` or a bare local part.
public enum MailAddress {
    /// The longest address accepted (RFC 5321 §4.5.3.1.3).
    public static let lengthMax = 254

    /// Whether `text` is `local` or `local@domain`: `local` a dot-atom of ASCII atext (RFC 5322
    /// §3.2.3), `domain` dot-separated labels of letters, digits and inner hyphens (RFC 1035).
    public static func isValid(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= lengthMax else { return false }
        let parts = text.split(separator: "@", maxSplits: 2, omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return isDotAtom(parts[0])
        case 2: return isDotAtom(parts[0]) && parts[0].utf8.count <= 64 && isDomain(parts[1])
        default: return false
        }
    }

    /// `local@localhost` for a bare local part, else `text` as it is.
    public static func address(of text: String) -> String {
        text.contains("@") ? text : text + "@localhost"
    }

    private static func isDotAtom(_ text: Substring) -> Bool {
        let atoms = text.split(separator: ".", omittingEmptySubsequences: false)
        return atoms.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy(isAtext) }
    }

    private static func isDomain(_ text: Substring) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return text.utf8.count <= 253 && labels.allSatisfy { label in
            let bytes = Array(label.utf8)
            guard let first = bytes.first, let last = bytes.last, bytes.count <= 63 else { return false }
            return first != 45 && last != 45 && bytes.allSatisfy { isAlnum($0) || $0 == 45 }
        }
    }

    private static func isAlnum(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    /// RFC 5322 atext: letters, digits and ``!#$%&'*+-/=?^_`{|}~``.
    private static func isAtext(_ byte: UInt8) -> Bool {
        isAlnum(byte) || Array("!#$%&'*+-/=?^_`{|}~".utf8).contains(byte)
    }
}

/// Where a line of free text holds a character that steers the display: the character's code
/// point and its 1-based position, so a refusal can name it (`U+202E RIGHT-TO-LEFT OVERRIDE at
/// position 5`).
public struct SteeringMark: Hashable, Sendable {
    public var scalar: UInt32
    public var position: Int

    public init(scalar: UInt32, position: Int) { self.scalar = scalar; self.position = position }

    /// The controls most often met in pasted text, which Unicode gives no character name.
    static let controlNames: [UInt32: String] = [0x09: "TAB", 0x0A: "LINE FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE"]

    /// `U+202E RIGHT-TO-LEFT OVERRIDE at position 5`; a control character without a Unicode
    /// name is named as one (`U+001B control character at position 3`).
    public var description: String {
        let hex = String(scalar, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let name = Unicode.Scalar(scalar).flatMap { $0.properties.name ?? $0.properties.nameAlias } ?? Self.controlNames[scalar] ?? "control character"
        return "\(code) \(name) at position \(position)"
    }
}
