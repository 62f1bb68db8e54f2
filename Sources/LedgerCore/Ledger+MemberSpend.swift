import CreditKit

/// Rows read at a time while walking a workspace's history for its month's spend.
public let memberSpendWalkPage = 256

extension Ledger {
    /// R17, R40: each person's spend in the calendar month (UTC) of `time`, up to `time`, read
    /// from the workspace's history newest first until the month began (`MemberSpendTally`).
    public func memberSpend(of workspace: String, asOf time: Timestamp) throws(LedgerError) -> [MemberSpend] {
        var tally = MemberSpendTally(monthOf: time)
        var start = 0
        while true {
            let rows = try historyPage(of: workspace, start: start, count: memberSpendWalkPage)
            if rows.isEmpty { return tally.spend }
            for entry in rows { guard tally.take(entry) else { return tally.spend } }
            start += memberSpendWalkPage
        }
    }
}
