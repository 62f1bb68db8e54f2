import CreditKit

/// Times as the console writes them: short dates for history rows and "2h ago" for last use.
public enum TimeText {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Nov 21 14:02` (UTC).
    public static func short(_ time: Timestamp) -> String {
        let c = time.civil
        return "\(months[Int(max(1, min(12, c.month))) - 1]) \(pad(c.day)) \(pad(c.hour)):\(pad(c.minute))"
    }

    /// `Nov 21` (UTC).
    public static func day(_ time: Timestamp) -> String {
        let c = time.civil
        return "\(months[Int(max(1, min(12, c.month))) - 1]) \(c.day)"
    }

    /// `Nov 21` in the year of `now`, `Jun 1 2027` in any other (UTC): a date a year or more
    /// away never reads as this year's (`9999-12-31` is `Dec 31 9999`, not this month's end).
    public static func day(_ time: Timestamp, now: Timestamp) -> String {
        let year = time.civil.year
        return year == now.civil.year ? day(time) : "\(day(time)) \(year)"
    }

    /// `just now`, `5m ago`, `2h ago`, `3d ago`, `4mo ago`, `2y ago`.
    public static func ago(_ time: Timestamp, now: Timestamp) -> String {
        let seconds = max(0, now.secondsSinceEpoch - time.secondsSinceEpoch)
        if seconds < 60 { return "just now" }
        if seconds < 3600 { return "\(seconds / 60)m ago" }
        if seconds < 86_400 { return "\(seconds / 3600)h ago" }
        if seconds < 86_400 * 60 { return "\(seconds / 86_400)d ago" }
        if seconds < 86_400 * 730 { return "\(seconds / (86_400 * 30))mo ago" }
        return "\(seconds / (86_400 * 365))y ago"
    }

    /// The hour and minute, `14:05`, with the day before it when `time` falls on another day
    /// than `reference` (`Jan 11 14:05`).
    public static func until(_ time: Timestamp, from reference: Timestamp) -> String {
        let c = time.civil, r = reference.civil
        let clock = "\(pad(c.hour)):\(pad(c.minute))"
        return (c.year, c.month, c.day) == (r.year, r.month, r.day) ? clock : "\(day(time, now: reference)) \(clock)"
    }

    /// `14:02:11` (UTC).
    public static func clock(_ time: Timestamp) -> String {
        let c = time.civil
        return "\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))"
    }

    private static func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

/// R41: how soon rolled-over credits expire, in whole days: `in 3 days`, `in 1 day`, `today`.
public enum RolloverText {
    /// `time` counted from `now` in days, rounded up (a part of a day counts as one).
    public static func within(_ time: Timestamp, from now: Timestamp) -> String {
        let seconds = time.secondsSinceEpoch - now.secondsSinceEpoch
        let days = (seconds + Timestamp.secondsPerDay - 1) / Timestamp.secondsPerDay
        switch days {
        case ...0: return "today"
        case 1: return "in 1 day"
        default: return "in \(days) days"
        }
    }
}
