extension EntryBuilder {
    /// R41: before plan credits expire at a renewal, what is left of each plan grant (burn order,
    /// S3) carries over up to the plan's cap, as a grant of its own (`rollover`, `ref` the grant,
    /// its own expiry); the rest then expires as S3 says.
    mutating func rollOver(in workspaceID: String, _ rollover: Catalog.Rollover, plan: String) {
        guard let ws = state.workspaces[workspaceID] else { return }
        var capLeft = rollover.capCredits
        for bucket in ws.buckets.sorted(by: GrantBucket.burnOrder) where bucket.source == .plan && bucket.remaining > 0 && capLeft > 0 {
            let carried = min(bucket.remaining, capLeft)
            capLeft -= carried
            var entry = self.entry(.grant, workspace: workspaceID)
            entry.actor = "system"
            entry.source = .plan
            entry.plan = plan
            entry.rollover = carried
            entry.ref = bucket.seq
            entry.expires = context.time.adding(days: rollover.validDays)
            appendCredit(entry)
        }
    }
}
