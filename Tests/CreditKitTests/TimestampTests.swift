import Foundation
import Testing
@testable import CreditKit

/// `Timestamp`: ISO 8601 in UTC, both ways, with no Foundation inside CreditKit.
@Suite struct TimestampTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2026-11-22T05:30:00Z", 1_795_325_400),
        ("2000-02-29T12:00:00Z", 951_825_600),
        ("2024-02-29T23:59:59Z", 1_709_251_199),
        ("1999-12-31T23:59:59Z", 946_684_799),
        ("1969-12-31T23:59:59Z", -1),
        ("1900-03-01T00:00:00Z", -2_203_891_200),
        ("2100-12-31T23:59:59Z", 4_133_980_799),
    ])
    func isoRoundTrip(text: String, seconds: Int64) throws {
        let parsed = try #require(Timestamp(iso8601: text))
        #expect(parsed.secondsSinceEpoch == seconds)
        #expect(parsed.iso8601 == text)
        #expect(parsed.description == text)
        #expect(parsed.isoDate == String(text.prefix(10)))
    }

    /// Any instant from 1900 to 2200 prints and parses back to itself, and agrees with Foundation.
    @Test func randomInstantsRoundTripAndAgreeWithFoundation() throws {
        var random = SplitMix64(seed: 8601)
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        for _ in 0..<2_000 {
            let seconds = Int64.random(in: -2_208_988_800...7_258_118_400, using: &random)
            let stamp = Timestamp(secondsSinceEpoch: seconds)
            #expect(Timestamp(iso8601: stamp.iso8601) == stamp)
            #expect(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))) == stamp.iso8601)
        }
    }

    @Test(arguments: [
        ("2026-11-22", "2026-11-22T00:00:00Z"),
        ("2026-11-22T05:30Z", "2026-11-22T05:30:00Z"),
        ("2026-11-22t05:30:00z", "2026-11-22T05:30:00Z"),
        ("2026-11-22 05:30:00Z", "2026-11-22T05:30:00Z"),
        ("2026-11-22T05:30:00.123Z", "2026-11-22T05:30:00Z"),
        ("2026-11-22T05:30:00.999999Z", "2026-11-22T05:30:00Z"),
        ("2026-11-22T07:30:00+02:00", "2026-11-22T05:30:00Z"),
        ("2026-11-22T00:15:00-05:45", "2026-11-22T06:00:00Z"),
        ("2026-01-01T01:00+02:00", "2025-12-31T23:00:00Z"),
        ("2026-11-22T05:30:00.5-00:00", "2026-11-22T05:30:00Z"),
    ])
    func acceptedForms(text: String, utc: String) throws {
        #expect(try #require(Timestamp(iso8601: text)).iso8601 == utc)
    }

    @Test(arguments: [
        "", "2026", "2026-11", "26-11-22", "2026/11/22", " 2026-11-22", "2026-11-22 ",
        "2026-00-10", "2026-13-01", "2026-11-00", "2026-11-31", "2026-02-29", "1900-02-29", "2100-02-29",
        "2026-11-22T", "2026-11-22T05", "2026-11-22T05:30", "2026-11-22T24:00Z", "2026-11-22T05:60Z",
        "2026-11-22T05:30:60Z", "2026-11-22T05:30:00.Z", "2026-11-22T05:30:00Zjunk", "2026-11-22T05:30:00+0200",
        "2026-11-22T05:30:00+24:00", "2026-11-22T05:30:00+02:60", "2026-11-22X05:30Z", "2026-1a-22", "２０２６-11-22",
    ])
    func rejectedForms(text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test func calendarHelpers() throws {
        let stamp = try #require(Timestamp(iso8601: "2024-02-28T23:59:58Z"))
        #expect(stamp.adding(days: 1).isoDate == "2024-02-29")
        #expect(stamp.adding(days: 2).isoDate == "2024-03-01")
        #expect(stamp.adding(days: -365).isoDate == "2023-02-28")
        let civil = stamp.civil
        #expect(civil.year == 2024 && civil.month == 2 && civil.day == 28)
        #expect(civil.hour == 23 && civil.minute == 59 && civil.second == 58)
        #expect(Timestamp(secondsSinceEpoch: 1) > Timestamp(secondsSinceEpoch: 0))
        #expect(Timestamp.daysIn(month: 2, year: 2000) == 29)
        #expect(Timestamp.daysIn(month: 2, year: 1900) == 28)
        #expect(Timestamp.daysIn(month: 4, year: 2026) == 30)
        for days in Int64(-800_000)...Int64(-799_000) {
            let (y, m, d) = Timestamp.civilFromDays(days)
            #expect(Timestamp.daysFromCivil(year: y, month: m, day: d) == days)
        }
    }

    @Test func engineRefusesATimeBeforeTheLastEntry() {
        var h = Harness.acme()
        h.advance(seconds: 100)
        h.fund("acme", 10)
        let last = h.clock
        h.clock = Timestamp(secondsSinceEpoch: last.secondsSinceEpoch - 1)
        #expect(h.reject(.charge(workspace: "acme", action: "ai_graphic", job: "x"), as: People.member)
            == .clockBehind(requested: h.clock, last: last))
        h.clock = last
        h.append(.charge(workspace: "acme", action: "ai_graphic", job: "x"), as: People.member)
    }
}
