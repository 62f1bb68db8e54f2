import LedgerCore
import PostgresLedger

/// Alert emails of a ledger that keeps them itself (PostgreSQL's `creditdesk.outbox`, schema
/// version 11): handed to `CREDITDESK_SENDMAIL` and marked handed over once accepted; what is not
/// accepted stays pending for the next write, `creditdesk outbox --send` or an external mailer.
extension Sendmail {
    /// The most messages left pending by earlier commands one write retries, after its own.
    static let pendingRetryMax = 20

    /// Hands the commit's own `messages` to the command, then up to `pendingRetryMax` left
    /// pending before (a command killed after COMMIT, a sendmail that failed). Returns the
    /// problems met, one line each; nil for a backend without an outbox of its own.
    static func deliverQueued(_ messages: [AlertMessage], from ledger: any Ledger) -> [String]? {
        guard let outbox = LedgerBackend.mailQueue(of: ledger) else { return nil }
        guard let command = RunEnvironment.variables["CREDITDESK_SENDMAIL"], !command.isEmpty else { return [] }
        var problems = messages.filter(\.to.isEmpty).map { message in
            "alert email #\(message.seq) has no valid recipient (the owner is not one mail address); not queued or handed to CREDITDESK_SENDMAIL"
        }
        let own = messages.filter { !$0.to.isEmpty }.map(\.seq)
        if !own.isEmpty {
            let ownResult = handOver(outbox, only: own, limit: own.count, command: command)
            problems += ownResult.problems
            // A sendmail that refused this command's own messages is not tried again, on them or
            // on older ones, until the next write: each message once per command.
            guard ownResult.handed.count == own.count else { return problems }
        }
        // A sendmail that refuses one message is not tried on the rest until the next write.
        problems += handOver(outbox, only: nil, limit: pendingRetryMax, stoppingAtRefusal: true, command: command).problems
        return problems
    }

    /// Hands pending messages of `outbox` (just `only`, when given; at most `limit`) to
    /// `command`, each marked handed over once it accepted it (with `stoppingAtRefusal`, none
    /// tried after the first it refused). Returns the seqs handed over and
    /// the problems met; a message not accepted, or a run the server cut short, stays pending.
    static func handOver(_ outbox: PostgresLedger, only: [Int64]?, limit: Int, stoppingAtRefusal: Bool = false,
                         command: String) -> (handed: [Int64], problems: [String]) {
        var problems: [String] = []
        do {
            let handed = try outbox.handOverMail(only: only, limit: limit, stoppingAtRefusal: stoppingAtRefusal) { mail in
                let (status, failure) = pipe(mail.message, to: command)
                guard let why = refusal(status: status, failure: failure) else { return true }
                problems.append("alert email for \(mail.recipient) was not accepted by CREDITDESK_SENDMAIL (\(why)); it stays pending in creditdesk.outbox (seq \(mail.seq))")
                return false
            }
            return (handed, problems)
        } catch {
            return ([], problems + ["alert emails could not be handed over (\(error)); they stay pending in creditdesk.outbox"])
        }
    }
}
