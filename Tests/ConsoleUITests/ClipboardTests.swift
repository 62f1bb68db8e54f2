import Foundation
import Testing
import CreditKit
@testable import ConsoleUI

/// Copying with OSC 52: the escape sequence, its base64 (RFC 4648), the length bound, and `y`,
/// `c` and `H` in an entry's detail.
@Suite struct ClipboardTests {
    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
                      ("foobar", "Zm9vYmFy")])
    func base64IsRFC4648(text: String, encoded: String) {
        #expect(Clipboard.base64(Array(text.utf8)) == encoded)
        #expect(Data(text.utf8).base64EncodedString() == encoded, "the vectors are RFC 4648's")
    }

    @Test func osc52FramesBase64OfUTF8() {
        let sequence = Clipboard.osc52("j-881 · ✓")
        #expect(sequence == "\u{1B}]52;c;" + Data("j-881 · ✓".utf8).base64EncodedString() + "\u{07}")
    }

    @Test func longTextIsCutAtACharacterWithinTheBound() {
        let text = String(repeating: "é", count: Clipboard.bytesMax)
        let sequence = Clipboard.osc52(text)
        let payload = String(sequence.dropFirst(7).dropLast())
        let decoded = try? #require(Data(base64Encoded: payload))
        #expect(decoded?.count == Clipboard.bytesMax)
        #expect(String(data: decoded ?? Data(), encoding: .utf8) != nil, "cut between characters, never inside one")
    }

    @Test("y copies the entry as one line; c its job id; H its hash; each says so")
    func detailCopiesEntryJobAndHash() throws {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .enter)
        let adjustment = try #require(NavigationTests.detailEntry(driver))
        #expect(driver.screen.contains("y copy"))
        driver.keys(.character("y"))
        let line = "#\(adjustment.seq) 2026-01-07T08:00:00Z acme adjustment +25 (balance 867) by maria: print job billed twice"
        #expect(driver.effects.last == .copy(line))
        #expect(driver.state.flash?.text == "copied entry #\(adjustment.seq) to the clipboard (OSC 52)")
        let before = driver.effects.count
        driver.keys(.character("c"))
        #expect(driver.effects.count == before, "an adjustment has no job id: nothing is copied")
        #expect(driver.state.flash?.text.contains("has no job id") == true)
        driver.keys(.character("j"))
        let refund = try #require(NavigationTests.detailEntry(driver))
        driver.keys(.character("c"))
        #expect(driver.effects.last == .copy(refund.job ?? "?"))
        driver.keys(.character("H"))
        #expect(driver.effects.last == .copy(refund.hash))
    }
}
