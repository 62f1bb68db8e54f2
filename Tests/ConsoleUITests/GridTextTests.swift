import Testing
import CreditKit
@testable import ConsoleUI

/// Text from an older ledger never reaches the terminal raw: a steering character
/// is drawn as U+FFFD in its own cell.
@Suite struct GridTextTests {
    @Test("C1 controls, line separators and bidi overrides are drawn as U+FFFD",
          arguments: ["\u{9B}", "\u{85}", "\u{2028}", "\u{2029}", "\u{202E}", "\u{1B}", "\n"])
    func steeringCharactersShowAsReplacement(character: String) {
        var grid = Grid(width: 20, height: 1)
        let written = grid.put("ab" + character + "2J", x: 0, y: 0, style: .normal)
        #expect(written == 5)
        #expect(grid.line(0).hasPrefix("ab\u{FFFD}2J"), "\(grid.line(0))")
        for x in 0..<20 {
            #expect(!grid[x, 0].text.unicodeScalars.contains(where: FreeText.isSteering))
        }
    }
}
