import CreditKit
import LedgerCore
import LedgerStore

/// The one place the executable knows which ledger backends exist: it reads `--ledger` (or
/// `CREDITDESK_LEDGER`) into a location, opens or creates the ledger there, and answers the
/// questions only a backend can (where an alert's mail landed). Everything else sees `any Ledger`.
enum LedgerBackend {
    /// Where an alert's message was put for people to read, and under which name, as the CLI
    /// reports it (`alert email written: PATH`); nil when the backend did not put it anywhere.
    static func mailPlace(of alert: AlertMessage, in ledger: any Ledger) -> (name: String, path: String)? {
        guard let file = ledger as? FileLedger, let delivered = file.delivery(of: alert) else { return nil }
        return (delivered.fileName, delivered.path)
    }

    /// The folder beside the alert messages where their hand-over to sendmail is logged
    /// (`DIR/outbox`); nil for a backend without one.
    static func mailFolder(of ledger: any Ledger) -> String? {
        (ledger as? FileLedger)?.paths.outbox
    }
}
