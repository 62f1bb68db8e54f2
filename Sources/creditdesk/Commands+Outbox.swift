import ArgumentParser
import CreditKit
import LedgerCore
import PostgresLedger

/// `creditdesk outbox [--send] [--json]`: the alert emails a PostgreSQL ledger keeps in
/// `creditdesk.outbox` (schema version 11) that no one has handed over yet, and handing them to
/// `CREDITDESK_SENDMAIL`. A file ledger's alert emails are files in its Maildir: refused there.
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "List the alert emails not yet handed over, or hand them to CREDITDESK_SENDMAIL (PostgreSQL ledgers).",
        discussion: """
            Lists, oldest first, the pending alert emails of the workspaces your role sees: each one's alert record seq, workspace, alert, recipient, when it was queued and its subject (JSON: an array of objects with seq, workspace, alert, to, queued, subject). With --send, pipes each to CREDITDESK_SENDMAIL and marks it handed over once the command accepted it (exit 0, status 0, fully read); one that is not accepted stays pending, with a warning. Every write with CREDITDESK_SENDMAIL set also retries up to \(Sendmail.pendingRetryMax) pending messages after its own. Refused (exit 1) on a file ledger, whose alert emails are files in DIR/outbox/new.
            """)

    /// The most pending messages one listing shows or one `--send` tries.
    static let rowsMax = 10_000

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Flag(help: "Hand each pending message to CREDITDESK_SENDMAIL, marking it handed over once accepted.") var send = false

    func run() throws {
        let opened = try ledger.open(workspaces: [])
        guard let outbox = LedgerBackend.mailQueue(of: opened) else {
            throw CLIFailure.refused("outbox is for PostgreSQL ledgers: a file ledger's alert emails are files in \(opened.location)/outbox/new (a Maildir); nothing was changed")
        }
        if send {
            try handOver(outbox)
        } else {
            try list(outbox)
        }
    }

    private func list(_ outbox: PostgresLedger) throws {
        let pending: [QueuedMail]
        do { pending = try outbox.pendingMail(limit: Self.rowsMax) } catch { throw CLIFailure.ledger(error) }
        if output.json {
            Console.print(JSONValue.array(pending.map(Self.json)).text)
            return
        }
        if pending.isEmpty { Console.print("no alert email is waiting to be handed over") }
        for mail in pending {
            Console.print("#\(mail.seq) · \(mail.workspace) · \(mail.alert) · to \(mail.recipient) · queued \(mail.queuedAt) · \(FreeText.shown(mail.subject))")
        }
    }

    private func handOver(_ outbox: PostgresLedger) throws {
        guard let command = RunEnvironment.variables["CREDITDESK_SENDMAIL"], !command.isEmpty else {
            throw CLIFailure.usage("outbox --send needs CREDITDESK_SENDMAIL: the sendmail-compatible command each message is piped to")
        }
        let (handed, problems) = Sendmail.handOver(outbox, only: nil, limit: Self.rowsMax, command: command)
        Console.warn(problems)
        let left: Int
        do { left = try outbox.pendingMail(limit: Self.rowsMax).count } catch { throw CLIFailure.ledger(error) }
        if output.json {
            var object = JSONObjectBuilder()
            object.add("handed_over", .array(handed.map { .int($0) }))
            object.add("pending", Int64(left))
            Console.print(object.value.text)
        } else {
            Console.print("handed over \(handed.count) alert email\(handed.count == 1 ? "" : "s") to CREDITDESK_SENDMAIL; \(left) still pending")
        }
    }

    /// One pending message as the listing's JSON object.
    private static func json(_ mail: QueuedMail) -> JSONValue {
        var object = JSONObjectBuilder()
        object.add("seq", mail.seq)
        object.add("workspace", mail.workspace)
        object.add("alert", mail.alert)
        object.add("to", mail.recipient)
        object.add("queued", mail.queuedAt)
        object.add("subject", mail.subject)
        return object.value
    }
}
