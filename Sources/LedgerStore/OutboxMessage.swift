import CreditKit
import LedgerCore

/// Where the file ledger put an alert message: its file in the Maildir outbox (`DIR/outbox/new/`).
/// The file backend's own delivery result, beside the backend-neutral `AlertMessage`.
public struct OutboxMessage: Equatable, Sendable {
    /// The message, as every backend composes it.
    public var message: AlertMessage
    /// The file name inside `outbox/new/`.
    public var fileName: String
    /// The full path of the delivered file.
    public var path: String
}

extension AlertMail {
    /// The Maildir file name of the alert record `alert`: unique, stable, and sortable by time.
    static func fileName(for alert: Entry) -> String {
        "\(alert.time.secondsSinceEpoch).S\(alert.seq)_\(alert.alert?.rawValue ?? "alert").creditdesk"
    }
}
