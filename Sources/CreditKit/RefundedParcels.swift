/// R5, S3: for `verify`'s replay, the credits refunds gave back to each parcel, by workspace and
/// the parcel's seq (its grant, pack or refund entry). An expiry or void an older version wrote,
/// when a refund came back as credits that never expire, names fewer credits than its parcel
/// holds; the replay reads it as the fold does only when refunds explain the difference.
public struct RefundedParcels: Sendable {
    private var given: [String: [Int64: Credits]] = [:]

    /// An empty table: no refund noted yet.
    public init() {}

    /// Credits refunds have given back to parcel `parcel` of `workspace` so far (0 when none).
    public func credits(workspace: String, parcel: Int64) -> Credits { given[workspace]?[parcel] ?? 0 }

    /// Notes what the refunds of `commit` give back to each parcel, read against `state`, the
    /// state before the commit: the pieces its charge burned, in order, as the fold restores them.
    public mutating func note(_ commit: [Entry], before state: LedgerState) {
        for index in commit.indices where commit[index].kind == .refund {
            guard let id = commit[index].workspace, let ws = state.workspaces[id], let job = commit[index].job,
                  let record = ws.jobs[job], let pieces = ws.burns[record.chargeSeq] else { continue }
            var left = commit[index].credits
            for piece in pieces where left > 0 {
                let back = min(piece.credits, left)
                left -= back
                given[id, default: [:]][piece.seq, default: 0] += back
            }
        }
    }
}

extension RuleReplay {
    /// R5, S3: before the engine decides a commit, each expiry ahead of its command (or of a
    /// commit of expiries alone) and a void that names fewer credits than its parcel holds (less
    /// what a rollover ahead of it in the commit carries out of it, R41), by no more than refunds
    /// gave back to that parcel, splits the rest off as the fold does
    /// (`LedgerState.keepOlderRefunds`). Any other shortfall is left for the replay to name.
    static func admitOlderRefunds(in commit: [Entry], mainIndex: Int?, refunded: RefundedParcels, state: inout LedgerState) {
        let ahead = mainIndex ?? commit.count
        // Fields are read in place: verify replays a million commits, most of them charges.
        for index in commit.indices {
            let kind = commit[index].kind
            guard (index < ahead && kind == .expiry) || (index == mainIndex && kind == .void) else { continue }
            guard let id = commit[index].workspace, let parcel = commit[index].ref, commit[index].credits < 0,
                  let bucket = state.workspaces[id]?.buckets.firstIndex(where: { $0.seq == parcel }) else { continue }
            let leaving = -commit[index].credits + rolledOver(from: parcel, in: commit[..<index])
            let rest = state.workspaces[id]!.buckets[bucket].remaining - leaving
            guard rest > 0, rest <= refunded.credits(workspace: id, parcel: parcel) else { continue }
            LedgerState.keepOlderRefunds(leaving: leaving, in: bucket, of: &state.workspaces[id]!, seq: commit[index].seq)
        }
    }

    /// R41: the credits the rollovers among `records` carry out of parcel `parcel`.
    private static func rolledOver(from parcel: Int64, in records: ArraySlice<Entry>) -> Credits {
        var carried: Credits = 0
        for index in records.indices where records[index].kind == .grant && records[index].ref == parcel {
            carried += records[index].rollover ?? 0
        }
        return carried
    }
}
