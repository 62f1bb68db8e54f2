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
    }

    /// A descriptor open for writing on the regular file at `path`: created new (0600), or,
    /// when `overwrite`, an existing regular file emptied; blocking mode is restored once the
    /// file is known to be regular.
    static func open(_ path: String, overwrite: Bool) -> Result<Int32, Problem> {
        if let what = kindOfNonRegular(atPath: path) { return .failure(.notRegular(what: what)) }
        let flags = O_WRONLY | O_CREAT | O_NONBLOCK | O_CLOEXEC | (overwrite ? 0 : O_EXCL)
        let descriptor = Foundation.open(path, flags, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            if code == EEXIST { return .failure(.exists) }
            if code == ENXIO { return .failure(.notRegular(what: "a FIFO")) }
            if code == EISDIR { return .failure(.notRegular(what: "a directory")) }
            return .failure(.system(code))
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            let what = fstat(descriptor, &info) == 0 ? kind(info.st_mode) : "not a regular file"
            close(descriptor)
            return .failure(.notRegular(what: what))
        }
        if overwrite { _ = ftruncate(descriptor, 0) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return .success(descriptor)
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
        let descriptor: Int32
        let path: String
        private(set) var failure: Int32?

        init(descriptor: Int32, path: String) { self.descriptor = descriptor; self.path = path }

        /// Writes `text` unless an earlier write failed.
        func write(_ text: String) {
            guard failure == nil else { return }
            failure = Console.writeAll(descriptor, Array(text.utf8))
        }

        /// The errno of the first failed write or of the sync that makes the file durable, or nil.
        func finish() -> Int32? {
            if failure == nil && fsync(descriptor) != 0 { failure = errno }
            return failure
        }
    }

    /// The one line a refusal reads as, naming the file as it was typed.
    static func message(_ problem: Problem, path: String) -> String {
        switch problem {
        case .exists: return "\(path) already exists; nothing was written"
        case .notRegular(let what): return "the name is \(what), not a regular file: export writes only to a regular file; nothing was written (\(path))"
        case .system(let code): return "cannot write \(path): \(String(cString: strerror(code))); nothing was written"
        }
    }
}
