#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a ledger's folder holds, as far as a file someone names for writing is concerned
/// (`export --out`, the console's export, `migrate --to`): a name inside the folder, or one of
/// its files reached another way, is the ledger's, however it is spelled. Names are compared by
/// device and inode (stat(2)), so `..`, symbolic links to it and hard links are all seen through.
public enum LedgerFootprint {
    /// How deep below the ledger's folder its files are looked for a hard link (`outbox/new/x`).
    static let depthMax = 3

    /// Whether writing `path` (a file, or a folder to be made) would write into the ledger in
    /// `directory`: `path` or the folder it would be made in is the ledger's folder or lies
    /// under it, or `path` is a hard link to one of the ledger's files. False when `directory`
    /// is not there.
    public static func holds(_ path: String, ledger directory: String) -> Bool {
        guard let ledger = identity(directory) else { return false }
        if let real = realPath(ofNearestExisting: path), isWithin(real, ledger) { return true }
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_nlink > 1 else { return false }
        return holdsFile(Identity(info), in: directory, depth: 0)
    }

    /// A file's device and inode.
    struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64
        init(_ info: stat) { device = UInt64(info.st_dev); inode = UInt64(info.st_ino) }
    }

    private static func identity(_ path: String) -> Identity? {
        var info = stat()
        return stat(path, &info) == 0 ? Identity(info) : nil
    }

    /// The real path (links resolved) of `path` if it exists, else of the nearest folder above
    /// it that does: where a new file or folder of that name would be made.
    private static func realPath(ofNearestExisting path: String) -> String? {
        var candidate = path.isEmpty ? "." : path
        while true {
            if let real = realpath(candidate, nil) {
                defer { free(real) }
                return String(cString: real)
            }
            guard let slash = candidate.lastIndex(of: "/") else { candidate = "."; continue }
            if slash == candidate.startIndex { return "/" }
            candidate = String(candidate[..<slash])
        }
    }

    /// Whether the absolute, resolved `path` is the folder `ledger` or lies under it: each of its
    /// ancestors is compared with the ledger's folder by device and inode.
    private static func isWithin(_ path: String, _ ledger: Identity) -> Bool {
        var current = path
        while true {
            if identity(current) == ledger { return true }
            guard let slash = current.lastIndex(of: "/"), current != "/" else { return false }
            current = slash == current.startIndex ? "/" : String(current[..<slash])
        }
    }

    /// Whether a file under `directory` (down to `depthMax`) is the file `target`.
    private static func holdsFile(_ target: Identity, in directory: String, depth: Int) -> Bool {
        guard depth < depthMax, let folder = opendir(directory) else { return false }
        defer { closedir(folder) }
        while let item = readdir(folder) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            guard name != ".", name != ".." else { continue }
            let child = directory + "/" + name
            var info = stat()
            guard lstat(child, &info) == 0 else { continue }
            if Identity(info) == target { return true }
            if info.st_mode & S_IFMT == S_IFDIR, holdsFile(target, in: child, depth: depth + 1) { return true }
        }
        return false
    }
}
