/// A problem met after a commit was durable. The commit stands (the command reports success);
/// the problem is told as a warning, and the next run repairs it.
public enum AfterCommitWarning: Error, Hashable, Sendable, CustomStringConvertible {
    /// The checkpoint (a cache) could not be rewritten; the next write tries again.
    case checkpointNotRewritten(LedgerError)
    /// An alert message committed with its record could not be moved into `outbox/new/`; it
    /// stays staged in `outbox/tmp/` and the next writer delivers it.
    case alertLeftStaged(fileName: String, errno: Int32)

    public var description: String {
        switch self {
        case .checkpointNotRewritten(let error):
            return "the records are written, but the checkpoint (a cache) could not be rewritten: \(Self.cause(error)); the next write rebuilds it"
        case let .alertLeftStaged(fileName, code):
            return "the records are written, but the alert email \(fileName) could not be moved into outbox/new (\(SystemErrorText.text(code))); the next write delivers it"
        }
    }

    /// What went wrong, without the "nothing was written" a failed write would say.
    private static func cause(_ error: LedgerError) -> String {
        switch error {
        case let .io(operation, path, code): return "cannot \(operation) \(path): \(SystemErrorText.text(code))"
        case let .damaged(line, _, problem): return LedgerError.place(line: line, seq: nil) + problem
        case .lockTimeout(let seconds): return "the ledger stayed locked for \(seconds.formatted2) s"
        default: return error.description
        }
    }
}
