#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LedgerCore

/// Thin, checked wrappers over the system calls the ledger needs. Every failure becomes a
/// `LedgerError.io` that names the operation and the path.
enum POSIXFile {
    static func errorText(_ code: Int32) -> String { SystemErrorText.text(code) }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// What sits at a path, looked at without following a symlink there.
    enum Kind: Equatable { case missing, file, directory, symlink, other }

    /// What sits at `path` (lstat: a symlink is reported, not followed).
    static func kind(at path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// Whether an open descriptor is a regular file.
    static func isRegularFile(_ descriptor: Int32) -> Bool {
        var info = stat()
        return fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// fstat(2) of an open file: its size, device and inode.
    static func status(of descriptor: Int32, path: String) throws(LedgerError) -> stat {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .io(operation: "stat", path: path, errno: errno) }
        return info
    }

    static func size(of descriptor: Int32, path: String) throws(LedgerError) -> Int64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .io(operation: "stat", path: path, errno: errno) }
        return Int64(info.st_size)
    }

    static func makeDirectory(_ path: String) throws(LedgerError) {
        if isDirectory(path) { return }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw .io(operation: "create directory", path: path, errno: errno) }
    }

    static func open(_ path: String, flags: Int32, mode: mode_t = 0o600) throws(LedgerError) -> Int32 {
        let descriptor = Glibc.open(path, flags | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        return descriptor
    }

    /// Creates a new file for writing at `path`, never through a link planted there: a stale
    /// file or symlink at `path` is removed first, then the file is made with `O_EXCL | O_NOFOLLOW`.
    static func create(_ path: String) throws(LedgerError) -> Int32 {
        guard unlink(path) == 0 || errno == ENOENT else { throw .io(operation: "remove", path: path, errno: errno) }
        return try open(path, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW)
    }

    static func size(ofOrZero descriptor: Int32) -> Int64 {
        var info = stat()
        return fstat(descriptor, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// Reads `path` from `offset` to its end.
    static func readAll(_ descriptor: Int32, from offset: Int64, path: String) throws(LedgerError) -> [UInt8] {
        let end = try size(of: descriptor, path: path)
        return try readAll(descriptor, from: offset, count: Int(max(0, end - offset)), path: path)
    }

    /// Reads at most `count` bytes of `path` from `offset`.
    static func readAll(_ descriptor: Int32, from offset: Int64, count: Int, path: String) throws(LedgerError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + done, count - done, off_t(offset) + off_t(done))
            }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw .io(operation: "read", path: path, errno: errno) }
            if got == 0 { break }
            done += got
        }
        if done < count { buffer.removeLast(count - done) }
        return buffer
    }

    /// Reads a whole file by path.
    static func readFile(_ path: String) throws(LedgerError) -> [UInt8] {
        let descriptor = try open(path, flags: O_RDONLY)
        defer { close(descriptor) }
        return try readAll(descriptor, from: 0, path: path)
    }

    /// Writes every byte at `offset`, retrying short writes.
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], at offset: Int64, path: String) throws(LedgerError) {
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeBytes { raw in
                pwrite(descriptor, raw.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            }
            if wrote < 0 && errno == EINTR { continue }
            guard wrote > 0 else { throw .io(operation: "write", path: path, errno: wrote < 0 ? errno : EIO) }
            done += wrote
        }
    }

    static func sync(_ descriptor: Int32, path: String) throws(LedgerError) {
        guard fsync(descriptor) == 0 else { throw .io(operation: "sync", path: path, errno: errno) }
    }

    /// Syncs a directory so a new or renamed entry in it survives a crash.
    static func syncDirectory(_ path: String) throws(LedgerError) {
        let descriptor = try open(path, flags: O_RDONLY | O_DIRECTORY)
        defer { close(descriptor) }
        try sync(descriptor, path: path)
    }

    static func truncate(_ descriptor: Int32, to length: Int64, path: String) throws(LedgerError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else { throw .io(operation: "truncate", path: path, errno: errno) }
    }

    /// Writes a new file durably: to a temporary name, synced, then renamed into place.
    static func writeFileAtomically(_ path: String, _ bytes: [UInt8]) throws(LedgerError) {
        try replaceAtomically(path) { descriptor, temporary throws(LedgerError) in
            try writeAll(descriptor, bytes, at: 0, path: temporary)
        }
    }

    /// Replaces `path` with what `write` puts in a temporary file beside it, synced, then
    /// renamed over it: readers see the old file or the new one, never a part. On failure the
    /// temporary file is removed and `path` is untouched.
    static func replaceAtomically(_ path: String,
                                  _ write: (_ descriptor: Int32, _ temporary: String) throws(LedgerError) -> Void) throws(LedgerError) {
        let temporary = path + ".tmp"
        let descriptor = try create(temporary)
        do {
            try write(descriptor, temporary)
            try sync(descriptor, path: temporary)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else { throw .io(operation: "rename", path: temporary, errno: errno) }
    }

    /// Takes an exclusive flock on `descriptor`, waiting at most `timeout` seconds.
    static func lockExclusive(_ descriptor: Int32, timeout: Double, path: String, wait: LockWait? = nil) throws(LedgerError) {
        let deadline = monotonicSeconds() + timeout
        var pause: UInt32 = 200
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw .io(operation: "lock", path: path, errno: errno) }
            guard monotonicSeconds() < deadline else { throw .lockTimeout(seconds: timeout) }
            if wait?.isAbandoned == true { throw .lockWaitAbandoned }
            usleep(pause)
            pause = min(pause * 2, 5_000)
        }
    }

    /// Tries an exclusive flock without waiting.
    static func tryLockExclusive(_ descriptor: Int32) -> Bool {
        flock(descriptor, LOCK_EX | LOCK_NB) == 0
    }

    static func unlock(_ descriptor: Int32) {
        _ = flock(descriptor, LOCK_UN)
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Names in a directory, without `.` and `..`.
    static func list(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let item = readdir(directory) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
