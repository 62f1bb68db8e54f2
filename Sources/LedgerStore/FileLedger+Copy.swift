#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LedgerCore

extension FileLedger {
    /// The outbox's Maildir folders, copied with the ledger.
    static let outboxFolderNames = ["tmp", "new", "cur"]
    /// How many bytes a copy reads and writes at a time.
    static let copyChunkBytes = 1 << 20

    /// Copies the ledger in `source` into a new directory `destination` (made 0700, its files
    /// 0600): the catalog, the journal, and the outbox's folders with their messages. The caches
    /// (the checkpoint) and the lock stay behind; the copy makes its own. The source is only read
    /// and never opened as a ledger, so it suits one no one writes (the shipped demo). A link
    /// inside the source is never followed. Throws `.notFound` without a journal in `source`,
    /// `.alreadyExists` when `destination` holds one, `.linkInLedger` for a link, `.io` otherwise.
    public static func copy(directory source: String, to destination: String) throws(LedgerError) {
        let from = Paths(directory: source)
        let to = Paths(directory: destination)
        switch POSIXFile.kind(at: from.journal) {
        case .file: break
        case .symlink: throw .linkInLedger(path: from.journal)
        default: throw .notFound(directory: from.directory)
        }
        if POSIXFile.kind(at: to.journal) != .missing { throw .alreadyExists(directory: to.directory) }
        try POSIXFile.makeDirectory(to.directory)
        chmod(to.directory, 0o700)
        try copyFile(from.catalog, to: to.catalog)
        try copyFile(from.journal, to: to.journal)
        try copyOutbox(from: from.outbox, to: to.outbox)
        try POSIXFile.syncDirectory(to.directory)
    }

    /// Copies `outbox/` and the Maildir folders in it, with the regular files each holds; an
    /// outbox that is not there is not made (the copy's first write makes it).
    private static func copyOutbox(from source: String, to destination: String) throws(LedgerError) {
        guard try isFolder(source) else { return }
        try POSIXFile.makeDirectory(destination)
        for name in outboxFolderNames {
            let folder = source + "/" + name
            guard try isFolder(folder) else { continue }
            try POSIXFile.makeDirectory(destination + "/" + name)
            for file in POSIXFile.list(folder) where POSIXFile.kind(at: folder + "/" + file) == .file {
                try copyFile(folder + "/" + file, to: destination + "/" + name + "/" + file)
            }
        }
    }

    /// Whether a folder is at `path`; false when nothing is; refuses a link there.
    private static func isFolder(_ path: String) throws(LedgerError) -> Bool {
        switch POSIXFile.kind(at: path) {
        case .directory: return true
        case .symlink: throw .linkInLedger(path: path)
        default: return false
        }
    }

    /// Copies the regular file at `source` to a new file at `destination`, durably.
    private static func copyFile(_ source: String, to destination: String) throws(LedgerError) {
        let input = try POSIXFile.open(source, flags: O_RDONLY | O_NOFOLLOW)
        defer { close(input) }
        let output = try POSIXFile.create(destination)
        defer { close(output) }
        var offset: Int64 = 0
        while true {
            let chunk = try POSIXFile.readAll(input, from: offset, count: copyChunkBytes, path: source)
            if chunk.isEmpty { break }
            try POSIXFile.writeAll(output, chunk, at: offset, path: destination)
            offset += Int64(chunk.count)
        }
        try POSIXFile.sync(output, path: destination)
    }
}
