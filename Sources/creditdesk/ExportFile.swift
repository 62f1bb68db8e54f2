import Foundation

/// Opens the file an export writes to, never blocking and never writing to anything but a
/// regular file: a FIFO, a device, a socket or a directory is refused in one line, so a console
/// never hangs on a FIFO no one reads (open(2) with O_NONBLOCK, then fstat(2)).
enum ExportFile {
    /// Why the export could not open its file; nothing was written.
    enum Problem: Error, Equatable {
        /// The file exists and replacing it was not asked.
        case exists
        /// The name is not a regular file (`what`: a FIFO, a device…).
        case notRegular(what: String)
        /// open(2) failed with `errno`.
        case system(Int32)
        /// The name is inside the ledger's folder (`ledger`) or is one of its files
        /// (`LedgerFootprint`): an export never writes there.
        case insideLedger(ledger: String)
    }

    /// A new file beside `path` for the export to be written into (0600, made with mkstemp(3)),
    /// put in place by `Staged.publish()` only once it is whole: an export that fails halfway
    /// (a damaged record, a full disk) leaves whatever was at `path` as it was. `path` may not be
    /// a FIFO, device, socket or directory, nor inside `ledger`; without `overwrite` it may not exist.
    static func stage(_ path: String, overwrite: Bool, ledger: LedgerLocation? = nil) -> Result<Staged, Problem> {
        if let ledger, LedgerBackend.holds(path, ledger: ledger) { return .failure(.insideLedger(ledger: ledger.text)) }
        if let what = kindOfNonRegular(atPath: path) { return .failure(.notRegular(what: what)) }
        var info = stat()
        let exists = lstat(path, &info) == 0
        if exists && !overwrite { return .failure(.exists) }
        // A link to a regular file is written through, as it always was: its target is replaced.
        let target = exists ? (resolved(path) ?? path) : path
        let slash = target.lastIndex(of: "/")
        let directory = slash.map { String(target[..<$0]) } ?? "."
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        var template = Array("\(directory.isEmpty ? "/" : directory)/.\(name).export-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { return .failure(.system(errno)) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return .success(Staged(descriptor: descriptor, temporary: temporary, target: target, overwrite: overwrite))
    }

    /// The real path of an existing name, links resolved.
    private static func resolved(_ path: String) -> String? {
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        return String(cString: real)
    }

    /// An export being written to a file beside its target, not yet in place.
    final class Staged {
        let descriptor: Int32
        let temporary: String
        let target: String
        let overwrite: Bool
        private var done = false

        init(descriptor: Int32, temporary: String, target: String, overwrite: Bool) {
            self.descriptor = descriptor; self.temporary = temporary; self.target = target; self.overwrite = overwrite
        }

        /// Syncs the file and puts it at its target: replacing what is there when `overwrite`,
        /// else only if nothing is (link(2), which never replaces). Throws what stopped it; the
        /// staged file is removed either way.
        func publish() -> Problem? {
            defer { discard() }
            guard fsync(descriptor) == 0 else { return .system(errno) }
            if overwrite {
                guard rename(temporary, target) == 0 else { return .system(errno) }
            } else {
                guard link(temporary, target) == 0 else { return errno == EEXIST ? .exists : .system(errno) }
            }
            return nil
        }

        /// Closes and removes the staged file (nothing of it reaches the target).
        func discard() {
            guard !done else { return }
            done = true
            close(descriptor)
            unlink(temporary)
        }

        deinit { discard() }
    }

    /// What the name is when it exists and is not a regular file (symlinks followed), else nil.
    private static func kindOfNonRegular(atPath path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG else { return nil }
        return kind(info.st_mode)
    }

    /// `a FIFO`, `a directory`, `a device`, `a socket`: what a non-regular file is, for the line.
    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a FIFO"
        case S_IFDIR: return "a directory"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    /// An open export file: its text is written as it comes; the first failure is kept.
    final class Output {
        let staged: Staged
        let path: String
        private(set) var failure: Problem?

        init(staged: Staged, path: String) { self.staged = staged; self.path = path }

        /// Writes `text` unless an earlier write failed.
        func write(_ text: String) {
            guard failure == nil else { return }
            failure = Console.writeAll(staged.descriptor, Array(text.utf8)).map(Problem.system)
        }

        /// Puts the whole export in place (`Staged.publish`); the first problem met, or nil.
        func finish() -> Problem? {
            if failure == nil { failure = staged.publish() } else { staged.discard() }
            return failure
        }
    }

    /// The one line a refusal reads as, naming the file as it was typed.
    static func message(_ problem: Problem, path: String) -> String {
        switch problem {
        case .exists: return "\(path) already exists; nothing was written"
        case .notRegular(let what): return "the name is \(what), not a regular file: export writes only to a regular file; nothing was written (\(path))"
        case .system(let code): return "cannot write \(path): \(String(cString: strerror(code))); nothing was written"
        case .insideLedger(let ledger): return "\(path) is inside the ledger (\(ledger)) or one of its files: an export is written outside the ledger's folder; nothing was written"
        }
    }
}
