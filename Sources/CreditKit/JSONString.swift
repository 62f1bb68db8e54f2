/// JSON string literals, written one way for the journal and for every JSON the command line
/// prints: `"` and `\` escaped, `\n` `\r` `\t` short, other C0 controls and DEL as `\u00xx`.
public enum JSONString {
    /// Appends `text` as a JSON string literal (quotes included) to `out`, as UTF-8. With
    /// `escapingSteering`, every character that steers a terminal (`FreeText.isSteering`: C1,
    /// line separators, bidi controls) is a `\u` escape too, so `jq` output never carries one raw;
    /// without it (the journal), those stay as they are.
    public static func append(_ text: String, escapingSteering: Bool = false, to out: inout [UInt8]) {
        out.append(quote)
        // Plain ASCII, the usual text, is copied whole when nothing in it needs escaping, and
        // escaped byte by byte otherwise, without decoding scalars.
        var contiguous = text
        let ascii = contiguous.withUTF8 { bytes in
            var needsEscaping = false
            for byte in bytes {
                if byte >= 0x80 { return false }
                if byte < 32 || byte == quote || byte == backslash || byte == 127 { needsEscaping = true }
            }
            if needsEscaping {
                for byte in bytes { appendASCII(byte, to: &out) }
            } else {
                out.append(contentsOf: bytes)
            }
            return true
        }
        if ascii { out.append(quote); return }
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                appendASCII(UInt8(scalar.value), to: &out)
            } else if escapingSteering && FreeText.isSteering(scalar) {
                appendEscape(scalar.value, to: &out)
            } else {
                Unicode.UTF8.encode(scalar) { out.append($0) }
            }
        }
        out.append(quote)
    }

    /// `text` as a JSON string literal (`append`).
    public static func quoted(_ text: String, escapingSteering: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 2)
        append(text, escapingSteering: escapingSteering, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static let quote: UInt8 = 34
    private static let backslash: UInt8 = 92
    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendASCII(_ byte: UInt8, to out: inout [UInt8]) {
        switch byte {
        case quote, backslash: out.append(backslash); out.append(byte)
        case 10: out.append(backslash); out.append(110)
        case 13: out.append(backslash); out.append(114)
        case 9: out.append(backslash); out.append(116)
        case 0..<32, 127: appendEscape(UInt32(byte), to: &out)
        default: out.append(byte)
        }
    }

    /// `\u` and four lower-case hex digits (every scalar escaped here is below U+10000).
    private static func appendEscape(_ value: UInt32, to out: inout [UInt8]) {
        out.append(backslash)
        out.append(117)
        for shift in stride(from: 12, through: 0, by: -4) { out.append(hexDigits[Int((value >> UInt32(shift)) & 15)]) }
    }
}
