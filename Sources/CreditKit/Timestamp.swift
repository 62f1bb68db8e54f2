/// A point in time: whole seconds since 1970-01-01T00:00:00Z. Time always comes in as a value;
/// this module never reads a clock.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) { self.secondsSinceEpoch = secondsSinceEpoch }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
    }

    public static let secondsPerDay: Int64 = 86_400

    /// The first instant a record can carry: `0000-01-01T00:00:00Z` (the journal writes
    /// four-digit years, RFC 3339 section 5.6).
    public static let earliestRecordable = Timestamp(secondsSinceEpoch: -62_167_219_200)
    /// The last instant a record can carry: `9999-12-31T23:59:59Z`; a later one would be written
    /// as a five-digit year that no reader takes back.
    public static let latestRecordable = Timestamp(secondsSinceEpoch: 253_402_300_799)

    /// Whether a record may carry this time (`earliestRecordable` … `latestRecordable`).
    public var isRecordable: Bool { self >= Timestamp.earliestRecordable && self <= Timestamp.latestRecordable }

    /// This time moved by a number of whole days.
    public func adding(days: Int64) -> Timestamp {
        Timestamp(secondsSinceEpoch: secondsSinceEpoch + days * Timestamp.secondsPerDay)
    }

    public var description: String { iso8601 }

    /// `2026-11-22T05:30:00Z`.
    public var iso8601: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        appendISO8601(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `iso8601`'s UTF-8 to `out` without building a string (a JSON list writes
    /// thousands). A year outside 0…9999 (never recorded) is written as its digits, padded.
    public func appendISO8601(to out: inout [UInt8]) {
        let parts = civil
        guard (0...9999).contains(parts.year) else {
            out.append(contentsOf: "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))T".utf8)
            out.append(contentsOf: "\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2))Z".utf8)
            return
        }
        appendDigits(parts.year, 4, to: &out); out.append(UInt8(ascii: "-"))
        appendDigits(parts.month, 2, to: &out); out.append(UInt8(ascii: "-"))
        appendDigits(parts.day, 2, to: &out); out.append(UInt8(ascii: "T"))
        appendDigits(parts.hour, 2, to: &out); out.append(UInt8(ascii: ":"))
        appendDigits(parts.minute, 2, to: &out); out.append(UInt8(ascii: ":"))
        appendDigits(parts.second, 2, to: &out); out.append(UInt8(ascii: "Z"))
    }

    /// The last `width` decimal digits of `value` (0 or more), zero-padded.
    private func appendDigits(_ value: Int64, _ width: Int, to out: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
            divisor /= 10
        }
    }

    /// `2026-11-22`: the calendar day in UTC.
    public var isoDate: String {
        let parts = civil
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))"
    }

    /// The calendar fields of this instant in UTC.
    public var civil: (year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) {
        let days = floorDiv(secondsSinceEpoch, Timestamp.secondsPerDay)
        let secondOfDay = secondsSinceEpoch - days * Timestamp.secondsPerDay
        let (year, month, day) = Timestamp.civilFromDays(days)
        return (year, month, day, secondOfDay / 3600, (secondOfDay % 3600) / 60, secondOfDay % 60)
    }

    /// Parses ISO 8601 in UTC: `2026-11-22`, `2026-11-22T05:30Z`, `2026-11-22T05:30:00Z`,
    /// `2026-11-22T05:30:00.123Z` (fraction dropped), or with a `+hh:mm` / `-hh:mm` offset.
    public init?(iso8601 text: String) {
        let parsed = text.utf8.withContiguousStorageIfAvailable(Timestamp.secondsSinceEpoch(iso8601:))
            ?? Array(text.utf8).withUnsafeBufferPointer(Timestamp.secondsSinceEpoch(iso8601:))
        guard let seconds = parsed else { return nil }
        self.secondsSinceEpoch = seconds
    }

    /// The seconds since the epoch that ISO 8601 `bytes` name, read in place (a journal has a
    /// time on every line); nil if they are not ISO 8601.
    static func secondsSinceEpoch(iso8601 bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        func number(_ count: Int) -> Int64? {
            guard index + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            index += count
            return value
        }
        func expect(_ character: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2),
              (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year)
        else { return nil }
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, offsetSeconds: Int64 = 0
        if index < bytes.count {
            guard expect(84) || expect(116) || expect(32) else { return nil } // T, t or space
            guard let h = number(2), expect(58), let m = number(2), h < 24, m < 60 else { return nil }
            hour = h; minute = m
            if expect(58) {
                guard let s = number(2), s < 60 else { return nil }
                second = s
                if expect(46) { // fraction of a second: digits, ignored
                    let start = index
                    while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
                    guard index > start else { return nil }
                }
            }
            if expect(90) || expect(122) { // Z
            } else if index < bytes.count, bytes[index] == 43 || bytes[index] == 45 { // + or -
                let sign: Int64 = bytes[index] == 45 ? -1 : 1
                index += 1
                guard let oh = number(2), expect(58), let om = number(2), oh < 24, om < 60 else { return nil }
                offsetSeconds = sign * (oh * 3600 + om * 60)
            } else {
                return nil
            }
        }
        guard index == bytes.count else { return nil }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        return days * Timestamp.secondsPerDay + hour * 3600 + minute * 60 + second - offsetSeconds
    }

    /// Days since the epoch for a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let monthIndex = (month + 9) % 12
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date for a count of days since the epoch (inverse of `daysFromCivil`).
    static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let quotient = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
}

@inline(__always) func pad(_ value: Int64, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
}
