import Testing
import CreditKit

/// Text that steers terminals, mail readers and editors is refused at input, and
/// `FreeText.shown` neutralises it on the way out.
@Suite("Free text and mail addresses")
struct FreeTextTests {
    /// One of every kind of steering character: ESC, a C0 control, DEL, CSI and NEL (C1), the line
    /// and paragraph separators, a bidi override, an isolate, a mark, and U+206A.
    static let steering: [String] = ["\u{1B}", "\u{07}", "\u{7F}", "\u{9B}", "\u{85}", "\u{2028}", "\u{2029}",
                                     "\u{202E}", "\u{2067}", "\u{200F}", "\u{061C}", "\u{206A}", "\u{FFF9}"]

    @Test("every steering character is refused in a token and in a line", arguments: steering)
    func steeringIsRefused(character: String) {
        #expect(!FreeText.isValidToken("job" + character + "1"))
        #expect(!FreeText.isValidLine("Acme " + character + "2J Tees"))
        #expect(FreeText.isSteering(character.unicodeScalars.first!))
    }

    @Test("a name made only of Unicode spaces or invisible characters is blank",
          arguments: ["\u{A0}", "\u{3000}", "\u{200B}", "\u{2060}\u{FEFF}", " \u{2003}\u{202F}", "\u{3164}", "\u{2800}", ""])
    func unicodeSpacesAreBlank(name: String) {
        #expect(!FreeText.isValidLine(name))
        #expect(!FreeText.isValidToken(name))
    }

    @Test("ordinary names, accents, emoji and CJK stay valid")
    func ordinaryTextIsValid() {
        for name in ["Acme Tees", "Ünïcødé Tées", "東京デザイン", "Café 🎨", "O'Brien & Sons, Ltd."] {
            #expect(FreeText.isValidLine(name), "\(name)")
        }
        for token in ["j-881", "sam", "inv_2026.01", "José"] { #expect(FreeText.isValidToken(token), "\(token)") }
        #expect(!FreeText.isValidToken("a\u{A0}b"), "a no-break space is a space")
    }

    @Test("shown replaces every steering character with U+FFFD and leaves the rest")
    func shownNeutralises() {
        #expect(FreeText.shown("a\u{9B}2Jb\nc\u{202E}d") == "a\u{FFFD}2Jb\u{FFFD}c\u{FFFD}d")
        #expect(FreeText.shown("Café 🎨") == "Café 🎨")
        #expect(FreeText.shownKeepingLines("a\u{85}\nb\u{1B}") == "a\u{FFFD}\nb\u{FFFD}")
    }

    @Test("a whole output is scanned to its last byte: a steering byte anywhere in a long text is caught, a clean one is left as it is")
    func shownKeepingLinesScansEveryByte() {
        let clean = String(repeating: "{\"workspace\":\"acme\",\"balance\":42}\n", count: 20_000)
        #expect(FreeText.shownKeepingLines(clean) == clean)
        for steering in ["\u{1B}", "\u{7F}", "\u{85}", "\r"] {
            for at in [0, clean.utf8.count / 2, clean.utf8.count] {
                let index = clean.utf8.index(clean.startIndex, offsetBy: at)
                let shown = FreeText.shownKeepingLines(String(clean[..<index]) + steering + String(clean[index...]))
                #expect(shown == String(clean[..<index]) + "\u{FFFD}" + String(clean[index...]),
                        "U+\(steering.unicodeScalars.first!.value) at byte \(at)")
            }
        }
        #expect(FreeText.shownKeepingLines(clean + "\u{1B}[2J") == clean + "\u{FFFD}[2J")
    }

    @Test("an owner is exactly one mail address or a plain local name")
    func mailAddresses() {
        for valid in ["sam", "olga@example.com", "ana.lima+alerts@mail.example.co", "o'neil@x-y.example"] {
            #expect(MailAddress.isValid(valid), "\(valid)")
        }
        for invalid in ["sam@x.com>,victim@evil.com,<x", "a@b@c", "sam@", "@x.com", "a..b@x.com", "sam,eve",
                        "<sam@x.com>", "sam@-x.com", "sam@x_y.com", "José@example.com", "\"sam\"@x.com", "sam@x.com\u{85}"] {
            #expect(!MailAddress.isValid(invalid), "\(invalid)")
        }
    }

    /// The per-byte answer for printable ASCII is the same as the per-character rule: every
    /// ASCII byte alone, and in a few shapes, judged both ways.
    @Test("printable ASCII is judged per byte exactly as per character")
    func asciiFastPathAgreesWithTheCharacterRule() {
        func tokenByRule(_ text: String) -> Bool {
            !text.isEmpty && text.utf8.count <= FreeText.tokenLengthMax
                && text.unicodeScalars.allSatisfy { !FreeText.isSteering($0) && !FreeText.isBlank($0) }
        }
        func lineByRule(_ text: String) -> Bool {
            !text.unicodeScalars.allSatisfy(FreeText.isBlank) && !text.unicodeScalars.contains(where: FreeText.isSteering)
        }
        for byte in UInt8(0)...UInt8(0x7F) {
            let c = String(UnicodeScalar(byte))
            for text in [c, "a" + c, c + "b", "job-" + c + "-1", " " + c + " ", c + c] {
                #expect(FreeText.isValidToken(text) == tokenByRule(text), "token \(Array(text.utf8))")
                #expect(FreeText.isValidLine(text) == lineByRule(text), "line \(Array(text.utf8))")
            }
        }
        #expect(!FreeText.isValidLine("") && !FreeText.isValidLine("   ") && !FreeText.isValidToken(""))
    }
}
