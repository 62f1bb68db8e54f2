import Testing
import CreditKit
@testable import ConsoleUI

/// The export dialog's text: its hint fits, a failure wraps with its reason whole, and a line
/// too long for any dialog ends in `…`, never clipped unseen.
@Suite struct ExportDialogTextTests {
    /// maria's export prompt on acme's history, answered by an export that failed with `why`.
    static func failedExport(_ why: String, path: String) -> Driver {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("e"))
        let request = ExportRequest(view: .history(workspace: "acme", kind: nil, search: ""), path: path, format: .csv, overwrite: false)
        driver.send(.exported(request, .failed(why)))
        return driver
    }

    @Test func theExportHintFitsTheDialog() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("e"))
        #expect(driver.screen.contains(".csv is CSV, .journal hledger; oldest entry first"), "\(driver.screen)")
    }

    @Test func anExportFailureShowsItsReasonWhole() {
        let why = "cannot write /tmp/x/nodir/x.csv: No such file or directory"
        let driver = Self.failedExport(why, path: "/tmp/x/nodir/x.csv")
        #expect(driver.screen.contains("No such file or directory"), "\(driver.screen)")
        #expect(driver.screen.contains("/tmp/x/nodir/x.csv"), "\(driver.screen)")
    }

    @Test func aLongPathLosesItsMiddleAndTheReasonStillShows() {
        let path = "/tmp/" + String(repeating: "deeply-nested-folder/", count: 6) + "acme-refunds.csv"
        let driver = Self.failedExport("cannot write \(path): Permission denied", path: path)
        #expect(driver.screen.contains("Permission denied"), "\(driver.screen)")
        #expect(driver.screen.contains("acme-refunds.csv"), "the file name, at the path's end, shows:\n\(driver.screen)")
        #expect(driver.screen.contains("…"), "\(driver.screen)")
    }

    @Test func aDialogLineTooLongForItsBoxEndsInAnEllipsis() {
        var grid = Grid(width: 80, height: 24)
        let line = String(repeating: "word ", count: 20)
        DialogWidget(title: "T", lines: [[Span(line)]], cancel: "Back", confirm: nil, focus: .cancel).draw(&grid, glyphs: Glyphs(ascii: false))
        #expect(grid.text.contains("word…"), "\(grid.text)")
    }
}
