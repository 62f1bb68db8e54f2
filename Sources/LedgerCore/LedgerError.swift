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
    /// `verify --expect-head`: the record an operator pinned is not in the chain; `found` is the
    /// hash that seq has now (history rewritten), nil when the journal, ending at `journalEnds`, stops before it.
    case headNotInChain(seq: Int64, hash: String, found: String?, journalEnds: Int64)
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

    /// The line a command that writes shows: `message(for: .write)`.
    public var description: String { message(for: .write) }

    /// What every line of a refused write ends with, and PostgreSQL's problems too
    /// (`PostgresProblem`); a read or `verify` leaves it out: it had nothing to write.
    public static let nothingWrittenNote = "; nothing was written"

    /// The one line for a command that was doing `access`: a write's ends with
    /// `nothingWrittenNote`; damage points to `verify` unless the command is `verify`.
    public func message(for access: LedgerAccess) -> String {
        let written = access == .write ? Self.nothingWrittenNote : ""
        switch self {
        case .notFound(let directory):
            return "no ledger in \(directory): create one with `creditdesk init --ledger \(directory)`"
        case .alreadyExists(let directory):
            return "a ledger already exists in \(directory); nothing was changed"
        case let .damaged(line, seq, problem):
            let damage = "ledger damaged: \(Self.place(line: line, seq: seq))\(problem)"
            return access == .verify ? damage : damage + written + "; `creditdesk verify` audits the whole journal, the rules included"
        case let .badCatalog(file, problems):
            return "catalog \(file) is not usable: " + problems.joined(separator: "; ")
        case .lockTimeout(let seconds):
            return "the ledger is locked by another process (waited \(seconds.formatted2) s)" + written
        case .lockWaitAbandoned:
            return "gave up waiting for another process's lock on the ledger" + written
        case let .io(operation, path, errno):
            return "cannot \(operation) \(path): \(SystemErrorText.text(errno))" + written
        case let .headNotInChain(seq, hash, found, journalEnds):
            return Self.headMessage(seq: seq, hash: hash, found: found, journalEnds: journalEnds)
        case .linkInLedger(let path):
            return "\(path) is a symbolic link, and the ledger never writes through one: replace it with a directory" + written
        case let .journalShorterThanCheckpoint(journalBytes, checkpointBytes, checkpoint):
            return "ledger damaged: the journal has \(journalBytes) bytes but the checkpoint stands for \(checkpointBytes): records were removed\(written). "
                + "Restore journal.jsonl from a copy, or, if the loss is accepted, delete \(checkpoint) (it is a cache, rebuilt from the journal)"
        case .database(let problem, _):
            return access == .write ? problem : Self.withoutWriteNote(problem)
        case let .unreadableRecord(seq, problem):
            return "record seq \(seq) would not read back from the journal (\(problem))" + written
        }
    }

    /// `verify --expect-head`'s refusal in the words that are true: a record rewritten under the
    /// pinned seq, or a journal that ends before it (cut back, or a head from elsewhere).
    static func headMessage(seq: Int64, hash: String, found: String?, journalEnds: Int64) -> String {
        if let found {
            return "the expected head \(seq):\(hash) is no longer in the chain: record seq \(seq) now has hash \(found) (the history up to it was rewritten)"
        }
        return "the expected head \(seq):\(hash) is not in the chain: the journal ends at seq \(journalEnds) and holds no record seq \(seq) "
            + "(if an earlier verify of this ledger printed that head, the journal was cut back)"
    }

    /// A database's problem without the `nothingWrittenNote` (and what follows it) it ends with.
    static func withoutWriteNote(_ problem: String) -> String {
        guard let note = problem.ranges(of: nothingWrittenNote).last else { return problem }
        return String(problem[..<note.lowerBound])
    }
}


/// What the command that met a `LedgerError` was doing, which decides how its line ends.
public enum LedgerAccess: Sendable {
    /// A command that writes (or may): its refusal says nothing was written.
    case write
    /// A read (balance, history, export…): nothing to write, so nothing to say about it.
    case read
    /// `verify`, which names damage itself rather than pointing to itself.
    case verify
}
