import CreditKit
import LedgerCore

/// A failure the command line reports in one line, with the contract's exit status.
struct CLIFailure: Error {
    /// 1: refused by a rule · 2: ledger damaged, locked or unreadable · 64: bad command line.
    var status: Int32
    var message: String

    static func refused(_ rejection: Rejection) -> CLIFailure { CLIFailure(status: 1, message: rejection.message) }
    static func refused(_ message: String) -> CLIFailure { CLIFailure(status: 1, message: message) }
    static func usage(_ message: String) -> CLIFailure { CLIFailure(status: 64, message: message) }

    static func ledger(_ error: LedgerError) -> CLIFailure {
        switch error {
        case .alreadyExists, .database(_, refused: true): return CLIFailure(status: 1, message: error.description)
        default: return CLIFailure(status: 2, message: error.description)
        }
    }
}
