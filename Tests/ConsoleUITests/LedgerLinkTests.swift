import Testing
import CreditKit
import LedgerCore
@testable import ConsoleUI

/// Live desks on PostgreSQL, the pure half: when the console tries a lost server again, what
/// its status line says while the server is away, and that the last screen stays while writes
/// are refused.
@Suite struct LedgerLinkTests {
    static let lostAt = Timestamp(iso8601: "2026-01-10T14:02:11Z")!

    @Test("the reconnect backoff: 1 s, 2 s, 4 s, then every 5 s; back to 1 s once connected")
    func reconnectBackoffSchedule() {
        var backoff = ReconnectBackoff()
        var delays: [Int64] = []
        for _ in 0..<7 {
            delays.append(backoff.delayMilliseconds)
            backoff.failed()
        }
        #expect(delays == [1_000, 2_000, 4_000, 5_000, 5_000, 5_000, 5_000])
        for _ in 0..<1_000 { backoff.failed() }
        #expect(backoff.delayMilliseconds == ReconnectBackoff.delayMaxMilliseconds, "no overflow past the cap")
        backoff.reset()
        #expect(backoff.delayMilliseconds == ReconnectBackoff.firstDelayMilliseconds)
    }

    @Test("the status text names the time the server was lost (UTC) and that writes are refused")
    func statusText() {
        #expect(LedgerLink.reachable.statusText == nil)
        #expect(LedgerLink.reachable.refusalText == nil)
        let lost = LedgerLink.unreachable(since: Self.lostAt)
        #expect(lost.statusText == "ledger server unreachable since 14:02:11, retrying; writes are refused")
        #expect(lost.refusalText == "the ledger server is unreachable (since 14:02:11): nothing was written")
        #expect((lost.statusText?.count ?? 99) <= 78, "one line at 80 columns")
    }

    @Test("a lost server: the status line and OFFLINE show, the screen stays, keys still move; back: the line goes")
    func lostServerKeepsTheScreenAndSaysSo() {
        var driver = Driver(as: "maria")
        driver.keys(.enter, .character("j"))
        let selected = driver.state.workspace?.cursor.selected
        driver.send(.linkLost(since: Self.lostAt))
        var lines = driver.screen.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[22].contains("ledger server unreachable since 14:02:11, retrying"), "\(driver.screen)")
        #expect(lines[0].contains("OFFLINE") && !lines[0].contains("LIVE"), "\(lines[0])")
        #expect(driver.screen.contains("print job billed twice"), "the last screen stays readable")
        driver.keys(.character("j"))
        #expect(driver.state.workspace?.cursor.selected == (selected ?? 0) + 1, "keys still move the selection")
        lines = driver.screen.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[22].contains("ledger server unreachable since 14:02:11"), "the line stays after a key: \(lines[22])")
        driver.send(.linkRestored)
        lines = driver.screen.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(!driver.screen.contains("unreachable"), "\(driver.screen)")
        #expect(lines[0].contains("LIVE"))
        #expect(lines[22].contains("the ledger server is back"), "\(lines[22])")
    }

    @Test("R18 and a lost server: a key that leads to a write is refused with one line and submits nothing")
    func writesAreRefusedWhileTheServerIsAway() {
        for (actor, key) in [("maria", Key.character("a")), ("sam", .character("t")), ("lee", .character("r"))] {
            var driver = Driver(as: actor)
            if driver.state.top == .accounts { driver.keys(.enter) }
            driver.send(.linkLost(since: Self.lostAt))
            driver.keys(key)
            #expect(driver.state.top == .workspace, "\(actor) \(key) left the workspace")
            #expect(driver.state.flash?.text == "the ledger server is unreachable (since 14:02:11): nothing was written", "\(actor)")
            #expect(driver.screen.contains("the ledger server is unreachable (since 14:02:11)"))
            #expect(!driver.effects.contains { if case .submit = $0 { return true } else { return false } })
            driver.send(.linkRestored)
            driver.keys(key)
            #expect(driver.state.top != .workspace, "\(actor) \(key) opens once the server is back")
        }
    }
}

/// A file ledger's journal damaged under a live console: the header stops saying LIVE, the
/// status line names the damage as the command line does, writes are refused with that line,
/// and a repaired journal brings LIVE back.
@Suite struct JournalDamageLinkTests {
    static let since = Timestamp(iso8601: "2026-01-10T14:02:11Z")!
    static let damage = LedgerError.damaged(line: 6, seq: 5, problem: "the record's checksum does not match its content")

    @Test("damage: DAMAGED in the header, the record, line and seq on the status line, the screen kept")
    func damageIsNamedAndTheScreenStays() {
        var driver = Driver(as: "maria")
        driver.keys(.enter)
        driver.send(.refreshed(Self.since))
        driver.send(.journalUnreadable(since: Self.since, error: Self.damage))
        var lines = driver.screen.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0].contains("DAMAGED") && !lines[0].contains("LIVE"), "\(lines[0])")
        #expect(lines[0].contains("↻ 14:02:11"), "the time of the last good read stays: \(lines[0])")
        #expect(lines[22].contains("ledger damaged: record seq 5 (journal.jsonl line 6)"), "\(lines[22])")
        #expect(driver.screen.contains("print job billed twice"), "the last screen stays readable")
        driver.keys(.character("j"))
        lines = driver.screen.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[22].contains("record seq 5 (journal.jsonl line 6)"), "the line stays after a key: \(lines[22])")
        driver.send(.linkRestored)
        lines = driver.screen.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0].contains("LIVE") && !lines[0].contains("DAMAGED"), "\(lines[0])")
        #expect(lines[22].contains("the journal reads cleanly again"), "\(lines[22])")
    }

    @Test("R18 on a damaged journal: a key that leads to a write is refused with the command line's line")
    func writesAreRefusedWithTheDamageLine() {
        for (actor, key) in [("maria", Key.character("a")), ("sam", .character("t")), ("lee", .character("r"))] {
            var driver = Driver(as: actor)
            if driver.state.top == .accounts { driver.keys(.enter) }
            driver.send(.journalUnreadable(since: Self.since, error: Self.damage))
            driver.keys(key)
            #expect(driver.state.top == .workspace, "\(actor) \(key) left the workspace")
            #expect(driver.state.flash?.text == Self.damage.description, "\(actor): \(String(describing: driver.state.flash))")
            #expect(!driver.effects.contains { if case .submit = $0 { return true } else { return false } })
            driver.send(.linkRestored)
            driver.keys(key)
            #expect(driver.state.top != .workspace, "\(actor) \(key) opens once the journal is repaired")
        }
    }

    @Test("the same damage read again changes nothing; a journal that cannot be read is UNREADABLE, not DAMAGED")
    func theSameProblemAgainAndAnUnreadableJournal() {
        var driver = Driver(as: "maria")
        driver.send(.journalUnreadable(since: Self.since, error: Self.damage))
        driver.keys(.character("t"))
        let refused = driver.state.flash
        driver.send(.journalUnreadable(since: Timestamp(iso8601: "2026-01-10T14:05:00Z")!, error: Self.damage))
        #expect(driver.state.link == .unreadable(since: Self.since, error: Self.damage), "the first time it was seen stays")
        #expect(driver.state.flash == refused)
        let io = LedgerError.io(operation: "open", path: "/l/journal.jsonl", errno: 13)
        driver.send(.journalUnreadable(since: Self.since, error: io))
        #expect(LedgerLink.unreadable(since: Self.since, error: io).mark == "UNREADABLE")
        #expect(driver.screen.split(separator: "\n")[0].contains("UNREADABLE"), "\(driver.screen)")
    }
}
