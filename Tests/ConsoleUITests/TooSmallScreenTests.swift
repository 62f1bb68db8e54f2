import Testing
import CreditKit
@testable import ConsoleUI

/// The "window too small" screen: both sizes readable, whole, at any size down to 11 columns.
@Suite struct TooSmallScreenTests {
    @Test func theTooSmallScreenShowsBothSizesWholeDownTo11Columns() {
        var driver = Driver()
        for width in 11..<Size.minimum.width {
            for height in 2..<Size.minimum.height {
                driver.send(.resize(Size(width: width, height: height)))
                let screen = driver.screen
                #expect(screen.contains("80×24"), "\(width)x\(height):\n\(screen)")
                #expect(screen.contains("\(width)×\(height)"), "\(width)x\(height):\n\(screen)")
                #expect(!screen.contains("…"), "\(width)x\(height):\n\(screen)")
            }
        }
    }

    @Test func at30x8TheTooSmallScreenSaysWhatItNeedsInFull() throws {
        var driver = Driver()
        driver.send(.resize(Size(width: 30, height: 8)))
        #expect(driver.screen.contains("CreditDesk needs 80×24."), "\(driver.screen)")
        #expect(driver.screen.contains("This window is 30×8."), "\(driver.screen)")
        try ConsoleSnapshotTests.compare(driver.screen, file: "too-small-30x8")
    }
}
