import CreditKit

/// Why the ledger could not be read or written. Every case means nothing was written.
public enum LedgerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No ledger in the directory.
    case notFound(directory: String)
    /// `init` on a directory that already holds a journal.
    case alreadyExists(directory: String)
    /// A record before the end of the journal is damaged; writes are refused until it is repaired.
    case damaged(line: Int, seq: Int64?, problem: String)
    /// The catalog file is unreadable or invalid.
    case badCatalog(file: String, problems: [String])
    /// Another process held the lock longer than the timeout.
    case lockTimeout(seconds: Double)
    /// The wait for another process's lock was given up (the console's Esc) before the lock was taken.
    case lockWaitAbandoned
    /// An operating-system call failed.
    case io(operation: String, path: String, errno: Int32)
    /// `verify --expect-head`: the record an operator pinned is no longer in the chain (the
    /// journal was cut back or rebuilt); `found` is the hash that seq has now, nil past the end.
    case headNotInChain(seq: Int64, hash: String, found: String?)
    /// A symlink where the ledger keeps a folder of its own (`outbox/`, `outbox/tmp`…): the
    /// ledger never writes through one, so it refuses to write at all until it is replaced.
    case linkInLedger(path: String)
    /// The journal has fewer bytes than the checkpoint at `checkpoint` stands for: records after
    /// it were removed (LEDGER-FORMAT: a journal shorter than what was read is damage).
    case journalShorterThanCheckpoint(journalBytes: Int64, checkpointBytes: Int64, checkpoint: String)
    /// A database backend could not be reached, lost its connection, or its server refused the
    /// transaction (`refused`: the role lacks a privilege, exit 1); it did not commit.
    case database(problem: String, refused: Bool)
    /// The record `seq` the rules decided would not read back from the journal as written
    /// (`JournalFormat.readBackProblem`), so it was not written.
    case unreadableRecord(seq: Int64, problem: String)

    /// Where damage is, as a message's prefix: `record seq N (journal.jsonl line L): `, or either
    /// alone; nothing for a problem no line or record names (line 0: a database's tables, a
    /// checkpoint), whose text says where it is.
    static func place(line: Int, seq: Int64?) -> String {
        switch (line > 0, seq) {
        case (true, let seq?): "record seq \(seq) (journal.jsonl line \(line)): "
        case (true, nil): "journal.jsonl line \(line): "
        case (false, let seq?): "record seq \(seq): "
        case (false, nil): ""
        }
    }

    public var description: String {
        switch self {
        case .notFound(let directory):
            return "no ledger in \(directory): create one with `creditdesk init --ledger \(directory)`"
        case .alreadyExists(let directory):
            return "a ledger already exists in \(directory); nothing was changed"
        case let .damaged(line, seq, problem):
            return "ledger damaged: \(Self.place(line: line, seq: seq))\(problem); nothing was written (run `creditdesk verify` for details)"
        case let .badCatalog(file, problems):
            return "catalog \(file) is not usable: " + problems.joined(separator: "; ")
        case .lockTimeout(let seconds):
            return "the ledger is locked by another process (waited \(seconds.formatted2) s); nothing was written"
        case .lockWaitAbandoned:
            return "gave up waiting for another process's lock on the ledger; nothing was written"
        case let .io(operation, path, errno):
            return "cannot \(operation) \(path): \(SystemErrorText.text(errno)); nothing was written"
        case let .headNotInChain(seq, hash, found):
            let now = found.map { "record seq \(seq) now has hash \($0)" } ?? "the journal no longer reaches seq \(seq)"
            return "the expected head \(seq):\(hash) is no longer in the chain: \(now) (the journal was cut back or rebuilt)"
        case .linkInLedger(let path):
            return "\(path) is a symbolic link, and the ledger never writes through one: replace it with a directory; nothing was written"
        case let .journalShorterThanCheckpoint(journalBytes, checkpointBytes, checkpoint):
            return "ledger damaged: the journal has \(journalBytes) bytes but the checkpoint stands for \(checkpointBytes): records were removed; nothing was written. "
                + "Restore journal.jsonl from a copy, or, if the loss is accepted, delete \(checkpoint) (it is a cache, rebuilt from the journal)"
        case .database(let problem, _):
            return problem
        case let .unreadableRecord(seq, problem):
            return "record seq \(seq) would not read back from the journal (\(problem)); nothing was written"
        }
    }
}

