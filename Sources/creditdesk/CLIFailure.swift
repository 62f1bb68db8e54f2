import CreditKit
import LedgerCore

/// A failure the command line reports in one line, with the contract's exit status.
struct CLIFailure: Error {
    /// 1: refused by a rule · 2: ledger damaged, locked or unreadable · 64: bad command line.
    var status: Int32
    /// The line as a write says it.
    var message: String
    /// The ledger's error behind it, whose line depends on what the command was doing.
    var ledgerError: LedgerError? = nil
    /// Whether a write's line ends with "nothing was written" (a check before the ledger was touched).
    var saysNothingWritten = false

    /// The line for a command that was doing `access`: a read or `verify` says nothing of writing.
    func line(for access: LedgerAccess) -> String {
        if let ledgerError { return ledgerError.message(for: access) }
        return saysNothingWritten && access == .write ? message + LedgerError.nothingWrittenNote : message
    }

    static func refused(_ rejection: Rejection) -> CLIFailure { CLIFailure(status: 1, message: rejection.message) }
    static func refused(_ message: String) -> CLIFailure { CLIFailure(status: 1, message: message) }
    static func usage(_ message: String) -> CLIFailure { CLIFailure(status: 64, message: message) }

    static func ledger(_ error: LedgerError) -> CLIFailure {
        switch error {
        case .alreadyExists, .database(_, refused: true): return CLIFailure(status: 1, message: error.description, ledgerError: error)
        default: return CLIFailure(status: 2, message: error.description, ledgerError: error)
        }
    }
}

/// A command that only reads the ledger: its refusals say nothing about writing.
protocol LedgerReading {
    /// `.read`, or `.verify` for the command that names damage itself.
    static var access: LedgerAccess { get }
}

extension LedgerReading {
    static var access: LedgerAccess { .read }
}
