import Testing
import CreditKit
@testable import ConsoleUI

/// A kiosk (`demo --kiosk`) writes no file on the machine: `e` opens no export prompt, says so
/// on the status line, and is left off the hint line; an export effect that reached one anyway
/// is dropped.
@Suite struct KioskExportTests {
    @Test("kiosk: e on a history says export is off and opens no prompt")
    func kioskRefusesExport() {
        var driver = Driver(demo: true, kiosk: true)
        driver.keys(.enter)
        #expect(!driver.screen.split(separator: "\n").last.map { $0.contains("export") }!, "\(driver.screen)")
        driver.keys(.character("e"))
        #expect(driver.state.exportPrompt == nil, "\(driver.screen)")
        #expect(driver.screen.contains("export is off"), "\(driver.screen)")
        #expect(driver.exports.isEmpty)
        #expect(driver.state.withoutWrites([.export(ExportRequest(view: .activity(EntryFilter()), path: "/tmp/x.csv",
                                                                   format: .csv, overwrite: true))]).isEmpty)
    }

    @Test("a desk that is not a kiosk still exports")
    func deskStillExports() {
        var driver = Driver(demo: true)
        driver.keys(.enter, .character("e"))
        #expect(driver.state.exportPrompt != nil, "\(driver.screen)")
    }
}
