import Testing
import CreditKit
@testable import ConsoleUI

/// S3, R22, R35 in the console: a release or expiry due by now that nobody has written yet
/// leads the history marked pending, as `history` marks it, and its detail gives it no number.
@Suite struct PendingEntryTests {
    /// bright with a hold of ivy's whose time to live ran out an hour ago; maria's console on it.
    static func expiredHold() throws -> Driver {
        var fixture = ConsoleFixture()
        fixture.run(.hold(workspace: "bright", action: "ai_graphic", job: "j-ttl", ttlSeconds: 60), as: "ivy")
        var driver = Driver(as: "maria", size: Size(width: 120, height: 40), fixture: fixture)
        driver.send(.clock(Timestamp(secondsSinceEpoch: fixture.clock.secondsSinceEpoch + 3600)))
        driver.keys(.down, .enter)
        try #require(driver.state.openWorkspace?.id == "bright", "\(driver.screen)")
        return driver
    }

    @Test("S3, R35: a due release nobody wrote yet leads the history marked pending")
    func S3_aDueReleaseLeadsTheHistoryMarkedPending() throws {
        let driver = try Self.expiredHold()
        let lines = driver.screen.split(separator: "\n").map(String.init)
        let release = try #require(lines.first { $0.contains("release") }, "\(driver.screen)")
        #expect(release.contains("pending · hold #"), "\(release)")
        let hold = try #require(lines.first { $0.contains(" hold ") && $0.contains("j-ttl") && !$0.contains("release") }, "\(driver.screen)")
        #expect(!hold.contains("pending"), "a written row is not pending: \(hold)")
    }

    @Test("S3, R35: a pending entry's detail has no made-up number and says it is not yet written")
    func S3_aPendingEntrysDetailHasNoNumber() throws {
        var driver = try Self.expiredHold()
        let made = driver.fixture.state.lastSeq + 1
        driver.keys(.enter)
        guard case .entryDetail(let entry) = driver.state.top else { Issue.record("no detail: \(driver.screen)"); return }
        #expect(entry.kind == .release && entry.seq == made)
        let screen = driver.screen
        #expect(!screen.contains("#\(made)"), "\(screen)")
        #expect(screen.contains("Pending entry") && screen.contains("release pending"), "\(screen)")
        #expect(screen.contains("pending: due by now, written by the ledger's next write"), "\(screen)")
        #expect(screen.contains("(not yet written)"), "\(screen)")
    }
}
