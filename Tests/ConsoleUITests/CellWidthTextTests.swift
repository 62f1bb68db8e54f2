import Testing
@testable import ConsoleUI

/// A string's cells: plain ASCII counted over its bytes gives what counting its characters one
/// by one gives, controls taking none; anything else is counted character by character.
@Suite struct CellWidthTextTests {
    @Test("ASCII text counts one cell per printable character and none per control, as character by character",
          arguments: ["", "acme", "a b", "tab\there", "line\r\nbreak", "\u{1B}[31m", "\u{7F}", String(repeating: "x", count: 300)])
    func asciiIsCountedAsCharacters(text: String) {
        let oneByOne = text.reduce(0) { $0 + ($1.asciiValue.map { $0 >= 0x20 && $0 < 0x7F ? 1 : 0 } ?? CellWidth.of($1)) }
        #expect(CellWidth.of(text) == oneByOne)
    }

    @Test("text with anything beyond ASCII is counted by its characters: wide, joined and zero-width")
    func otherTextIsCountedByCharacters() {
        #expect(CellWidth.of("ana🇩🇪") == 5)
        #expect(CellWidth.of("東京") == 4)
        #expect(CellWidth.of("e\u{301}") == 1)
        #expect(CellWidth.of("acme 東") == 7)
    }
}
