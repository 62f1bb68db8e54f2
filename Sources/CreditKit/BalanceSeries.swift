/// A workspace's balance over time and its spend per week by member, folded from its credit
/// entries: the numbers behind the workspace screen's chart. Pure: the entries and the window
/// come in as values.
public struct BalanceSeries: Hashable, Sendable {
    /// The closing balance of each day in the window, oldest first, in credits. A day with no
    /// entry carries the previous day's balance; days before the workspace's first entry are nil.
    public var dailyClosing: [Credits?]
    /// The first day of the window (00:00 UTC).
    public var firstDay: Timestamp

    /// The number of days the workspace screen draws.
    public static let defaultDays = 90

    /// Folds `entries` (any order; only those carrying a balance count) into the closing
    /// balance of each of the `days` days that end with the day of `now`.
    public init(entries: [Entry], days: Int = BalanceSeries.defaultDays, now: Timestamp) {
        let dayCount = max(1, days)
        let lastDay = BalanceSeries.dayStart(of: now)
        firstDay = lastDay.adding(days: Int64(1 - dayCount))
        let ordered = entries.filter { $0.balance != nil }.sorted { $0.seq < $1.seq }
        var closing = [Credits?](repeating: nil, count: dayCount)
        var running: Credits?
        var next = ordered.startIndex
        for day in 0..<dayCount {
            let dayEnd = firstDay.adding(days: Int64(day + 1))
            while next < ordered.endIndex, ordered[next].time < dayEnd {
                running = ordered[next].balance
                next += 1
            }
            closing[day] = running
        }
        dailyClosing = closing
    }

    /// 00:00 UTC of the day `time` falls in.
    public static func dayStart(of time: Timestamp) -> Timestamp {
        let seconds = time.secondsSinceEpoch
        let day = seconds >= 0 ? seconds / Timestamp.secondsPerDay : (seconds - Timestamp.secondsPerDay + 1) / Timestamp.secondsPerDay
        return Timestamp(secondsSinceEpoch: day * Timestamp.secondsPerDay)
    }
}

/// Credits spent per week by each member: charges less their refunds, in 7-day buckets that end
/// with the day of `now` (the last bucket is the current week so far).
public struct WeeklySpend: Hashable, Sendable {
    /// One person's spend per week, oldest week first, in credits (never negative).
    public struct Row: Hashable, Sendable {
        /// The member or operator who ran the charges.
        public var person: String
        /// Credits spent in each week, oldest first.
        public var weeks: [Credits]

        public init(person: String, weeks: [Credits]) {
            self.person = person
            self.weeks = weeks
        }
    }

    /// Rows sorted by total spend, largest first, then by name.
    public var rows: [Row]
    /// The first day of the first week (00:00 UTC).
    public var firstDay: Timestamp

    /// Folds the charges and refunds of `entries` into `weeks` weeks ending with the day of `now`.
    /// A refund is credited back to the person its charge was made by (R15's pairing by `ref`);
    /// a refund whose charge is outside `entries` or the window is ignored.
    public init(entries: [Entry], weeks: Int = 13, now: Timestamp) {
        let weekCount = max(1, weeks)
        let lastDay = BalanceSeries.dayStart(of: now)
        firstDay = lastDay.adding(days: Int64(1 - 7 * weekCount))
        let windowEnd = lastDay.adding(days: 1)
        let chargesBySeq = Dictionary(entries.filter { $0.kind == .charge }.map { ($0.seq, $0) }, uniquingKeysWith: { first, _ in first })
        var spend: [String: [Credits]] = [:]
        for entry in entries where entry.time >= firstDay && entry.time < windowEnd {
            guard let (person, amount) = WeeklySpend.spendPart(of: entry, charges: chargesBySeq) else { continue }
            let week = Int((entry.time.secondsSinceEpoch - firstDay.secondsSinceEpoch) / (7 * Timestamp.secondsPerDay))
            spend[person, default: [Credits](repeating: 0, count: weekCount)][week] += amount
        }
        rows = spend.map { Row(person: $0.key, weeks: $0.value.map { max(0, $0) }) }
            .sorted { ($0.weeks.reduce(0, +), $1.person) > ($1.weeks.reduce(0, +), $0.person) }
    }

    /// Who a charge or refund counts against, and the credits it adds to their spend.
    private static func spendPart(of entry: Entry, charges: [Int64: Entry]) -> (String, Credits)? {
        switch entry.kind {
        case .charge:
            return (entry.onBehalfOf ?? entry.actor, -entry.credits)
        case .refund:
            guard let ref = entry.ref, let charge = charges[ref] else { return nil }
            return (charge.onBehalfOf ?? charge.actor, -entry.credits)
        default:
            return nil
        }
    }
}
