extension Timestamp {
    /// Midnight UTC on the first day of this instant's month: where "this month" starts for
    /// member spend (R17).
    public var monthStart: Timestamp {
        let parts = civil
        let first = Timestamp(secondsSinceEpoch: secondsSinceEpoch - (parts.day - 1) * Timestamp.secondsPerDay
            - parts.hour * 3600 - parts.minute * 60 - parts.second)
        return first
    }
}
