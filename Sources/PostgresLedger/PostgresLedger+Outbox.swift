import LedgerCore
import PostgresNIO

/// One alert email of `creditdesk.outbox` (schema version 11): the message queued with its
/// alert record, as the Maildir file of a file ledger holds it.
public struct QueuedMail: Hashable, Sendable {
    /// The seq of the alert record it is for.
    public var seq: Int64
    public var workspace: String
    /// The alert's kind (`low`, `empty`, `expiring`, …).
    public var alert: String
    /// The address it goes to.
    public var recipient: String
    /// The subject, as shown (without the `[CreditDesk]` tag of its header).
    public var subject: String
    /// The whole RFC 5322 message.
    public var message: String
    /// When it was queued (its commit), ISO 8601 UTC.
    public var queuedAt: String
}

extension PostgresLedger {
    /// The most pending alert emails one hand-over run takes (`handOverMail`'s default).
    public static let handOverRunMax = 50

    /// The alert emails not yet handed over, of the workspaces this role sees (row-level
    /// security), oldest first, at most `limit`.
    public func pendingMail(limit: Int) throws(LedgerError) -> [QueuedMail] {
        precondition(limit > 0, "a listing takes at least one row")
        return try PostgresError.mapped { () throws(PostgresProblem) -> [QueuedMail] in
            let rows = try session.query("""
                SELECT seq, workspace, alert, recipient, subject, message,
                       to_char(queued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                FROM creditdesk.outbox WHERE handed_at IS NULL ORDER BY seq LIMIT $1
                """, [Int64(limit)])
            var mail: [QueuedMail] = []
            for row in rows {
                do {
                    let (seq, workspace, alert, recipient, subject, message, queued) =
                        try row.decode((Int64, String, String, String, String, String, String).self)
                    mail.append(QueuedMail(seq: seq, workspace: workspace, alert: alert, recipient: recipient,
                                           subject: subject, message: message, queuedAt: queued))
                } catch {
                    throw .server(sqlState: "XX000", message: "unexpected outbox row: \(error)")
                }
            }
            return mail
        }
    }

    /// Hands pending alert emails to `send`, oldest first, one per transaction: `take_mail`
    /// claims the next (`FOR UPDATE SKIP LOCKED`, so no other desk takes it meanwhile), and when
    /// `send` says it was accepted, `hand_over` marks it before COMMIT. `only`: just these seqs
    /// (a command's own); at most `limit` are tried, and with `stoppingAtRefusal` none after the
    /// first `send` refuses. Returns the seqs handed over. A message `send` refuses stays
    /// pending; a process killed mid-way leaves the one it claimed pending.
    public func handOverMail(only: [Int64]?, limit: Int = handOverRunMax, stoppingAtRefusal: Bool = false,
                             send: (QueuedMail) -> Bool) throws(LedgerError) -> [Int64] {
        try PostgresError.mapped { () throws(PostgresProblem) -> [Int64] in
            var after: Int64 = 0
            var handed: [Int64] = []
            for _ in 0..<limit {
                guard let mail = try takeMail(after: after, only: only) else { break }
                after = mail.seq
                do throws(PostgresProblem) {
                    if send(mail) {
                        _ = try session.pipelined([("SELECT creditdesk.hand_over($1)", [mail.seq]), ("COMMIT", [])])
                        handed.append(mail.seq)
                    } else {
                        try session.query("COMMIT")
                        if stoppingAtRefusal { break }
                    }
                } catch {
                    if !session.connection.isClosed { _ = try? session.query("ROLLBACK") }
                    throw error
                }
            }
            return handed
        }
    }

    /// Opens a transaction and claims the first pending message after `after` (of `only`);
    /// nil, the transaction ended, when there is none.
    private func takeMail(after: Int64, only: [Int64]?) throws(PostgresProblem) -> QueuedMail? {
        let answers = try session.answers([
            ("BEGIN", []),
            ("SELECT seq, workspace, recipient, subject, message FROM creditdesk.take_mail($1, CASE WHEN $3 THEN $2::bigint[] END)",
             [after, only ?? [], only != nil]),
        ])
        let rows: [PostgresRow]
        do throws(PostgresProblem) { rows = try answers[1].get() } catch {
            if !session.connection.isClosed { _ = try? session.query("ROLLBACK") }
            throw error
        }
        guard let row = rows.first else {
            try session.query("COMMIT")
            return nil
        }
        do {
            let (seq, workspace, recipient, subject, message) = try row.decode((Int64, String, String, String, String).self)
            return QueuedMail(seq: seq, workspace: workspace, alert: "", recipient: recipient, subject: subject,
                              message: message, queuedAt: "")
        } catch {
            _ = try? session.query("ROLLBACK")
            throw .server(sqlState: "XX000", message: "unexpected outbox row: \(error)")
        }
    }
}
