import Foundation
import Testing
import CreditKit
@testable import ConsoleUI

/// R18, R22: an entry a support agent made on someone's behalf (`by`, PostgreSQL `--as`) shows
/// both people in the console's history and Activity rows and in its detail: `lee (by ann)`.
@Suite struct ActingForRowTests {
    private static var charge: Entry {
        var entry = Entry(seq: 7, time: Timestamp(iso8601: "2026-01-10T09:00:00Z")!, kind: .charge, actor: "lee", workspace: "acme")
        entry.credits = -6
        entry.balance = 54
        entry.action = "ai_graphic"
        entry.job = "j-1"
        entry.by = "ann"
        return entry
    }

    @Test func R22_historyAndActivityRowsShowWhoActedForWhom() {
        let glyphs = Glyphs(ascii: false)
        let history = WorkspaceScreen.historyCells(Self.charge, catalog: PackageFiles.konfiwear, glyphs: glyphs).map(\.text)
        #expect(history.contains("lee (by ann)"), "\(history)")
        let activity = ActivityScreen.cells(Self.charge, catalog: PackageFiles.konfiwear, glyphs: glyphs, width: 120).map(\.text)
        #expect(activity.contains("lee (by ann)"), "\(activity)")
        var alone = Self.charge
        alone.by = nil
        #expect(WorkspaceScreen.historyCells(alone, catalog: PackageFiles.konfiwear, glyphs: glyphs).map(\.text).contains("lee"))
    }
}
