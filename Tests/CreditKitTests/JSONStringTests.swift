import Testing
@testable import CreditKit

/// JSON string literals (RFC 8259, section 7) as the journal and every printed JSON write them:
/// plain text copied whole, `"` and `\` escaped, `\n` `\r` `\t` short, other C0 controls and DEL
/// as `\u00xx`, and steering characters escaped only when asked.
@Suite struct JSONStringTests {
    @Test("plain ASCII is copied as it is; each character that needs it is escaped, wherever it stands",
          arguments: [
              ("acme-academy-31", #""acme-academy-31""#),
              ("", #""""#),
              ("say \"hi\"", #""say \"hi\"""#),
              ("a\\b", #""a\\b""#),
              ("line\nnext\r\ttab", #""line\nnext\r\ttab""#),
              ("bell\u{07}del\u{7F}", #""bell\u0007del\u007f""#),
              ("\u{01}", #""\u0001""#),
          ])
    func asciiIsEscapedExactly(text: String, literal: String) {
        #expect(JSONString.quoted(text) == literal)
    }

    @Test func textBeyondASCIIKeepsItsCharactersAndEscapesSteeringOnlyWhenAsked() {
        #expect(JSONString.quoted("café \"ok\"") == #""café \"ok\"""#)
        #expect(JSONString.quoted("a\u{202E}b") == "\"a\u{202E}b\"")
        #expect(JSONString.quoted("a\u{202E}b", escapingSteering: true) == #""a\u202eb""#)
    }
}
