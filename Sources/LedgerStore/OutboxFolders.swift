#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LedgerCore

/// The outbox's `tmp/` and `new/`, opened for one write as real directories inside the ledger's
/// (`O_DIRECTORY | O_NOFOLLOW`, made 0700 when missing). Staging, delivery and clean-up go
/// through these descriptors, so a symlink at `outbox/` or at one of its folders is refused,
/// never followed, and one swapped in after the check is never reached.
struct OutboxFolders {
    /// `outbox/tmp/`: messages staged before their commit.
    let tmp: Int32
    /// `outbox/new/`: messages whose commit is durable.
    let new: Int32

    /// Opens (making what is missing) `outbox/` and its Maildir folders `tmp/`, `new/`, `cur/`.
    /// Throws `.linkInLedger` for a symlink at any of them, `.io` for anything else in the way.
    static func open(_ paths: FileLedger.Paths) throws(LedgerError) -> OutboxFolders {
        // The ledger directory itself may be reached through a link; nothing inside it is followed.
        let directory = try POSIXFile.open(paths.directory, flags: O_RDONLY | O_DIRECTORY)
        defer { _ = Glibc.close(directory) }
        let outbox = try folder(named: "outbox", in: directory, path: paths.outbox)
        defer { _ = Glibc.close(outbox) }
        let tmp = try folder(named: "tmp", in: outbox, path: paths.outbox + "/tmp")
        let new: Int32
        do {
            new = try folder(named: "new", in: outbox, path: paths.outbox + "/new")
            _ = Glibc.close(try folder(named: "cur", in: outbox, path: paths.outbox + "/cur"))
        } catch {
            _ = Glibc.close(tmp)
            throw error
        }
        return OutboxFolders(tmp: tmp, new: new)
    }

    /// Opens the folder `name` in `parent`, making it first if missing; never through a symlink.
    private static func folder(named name: String, in parent: Int32, path: String) throws(LedgerError) -> Int32 {
        if mkdirat(parent, name, 0o700) != 0 && errno != EEXIST {
            throw .io(operation: "create directory", path: path, errno: errno)
        }
        let descriptor = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            var info = stat()
            if fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && (info.st_mode & S_IFMT) == S_IFLNK {
                throw .linkInLedger(path: path)
            }
            throw .io(operation: "open directory", path: path, errno: code)
        }
        return descriptor
    }

    func close() {
        _ = Glibc.close(tmp)
        _ = Glibc.close(new)
    }

    /// One message to stage: its file name in `tmp/`, its text, and its path for messages.
    typealias Staged = (name: String, text: String, path: String)

    /// At most this many staged files are open at once (well under the usual 1,024 descriptors).
    static let openFilesMax = 256

    /// Writes each message durably to `tmp/NAME`, replacing whatever was at that name (a stale
    /// file or a planted link), created with `O_EXCL | O_NOFOLLOW`; the files are synced together
    /// (`ConcurrentSync`), then `tmp/` itself, so that the names survive a crash too.
    func stage(_ messages: [Staged], tmpPath: String) throws(LedgerError) {
        guard !messages.isEmpty else { return }
        var start = 0
        while start < messages.count {
            let chunk = messages[start..<min(start + Self.openFilesMax, messages.count)]
            try stageDurably(chunk)
            start += chunk.count
        }
        try POSIXFile.sync(tmp, path: tmpPath)
    }

    /// Writes `messages` to `tmp/` and syncs them, all open at once.
    private func stageDurably(_ messages: ArraySlice<Staged>) throws(LedgerError) {
        var written: [Int32] = []
        written.reserveCapacity(messages.count)
        defer { for descriptor in written { _ = Glibc.close(descriptor) } }
        for message in messages {
            guard unlinkat(tmp, message.name, 0) == 0 || errno == ENOENT else {
                throw .io(operation: "remove", path: message.path, errno: errno)
            }
            let descriptor = openat(tmp, message.name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw .io(operation: "open", path: message.path, errno: errno) }
            written.append(descriptor)
            try POSIXFile.writeAll(descriptor, Array(message.text.utf8), at: 0, path: message.path)
        }
        if let failed = ConcurrentSync.fsyncAll(written) {
            throw .io(operation: "sync", path: messages[messages.startIndex + failed.index].path, errno: failed.errno)
        }
    }

    /// Moves `tmp/name` to `new/name`; the errno when it could not.
    func deliver(_ name: String) -> Int32? {
        renameat(tmp, name, new, name) == 0 ? nil : errno
    }

    /// Removes `tmp/name` (a message whose commit did not land).
    func discard(_ name: String) {
        _ = unlinkat(tmp, name, 0)
    }

    /// Syncs `new/` so delivered names survive a crash.
    func syncNew() {
        _ = fsync(new)
    }

    /// The names staged in `tmp/`, sorted.
    func staged() -> [String] {
        let copy = dup(tmp)
        guard copy >= 0, let stream = fdopendir(copy) else { return [] }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [String] = []
        while let item = readdir(stream) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
