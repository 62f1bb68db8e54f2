#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CreditKit
import LedgerCore

extension FileLedger {
    /// The catalog bytes of the ledger in `directory`, for a copy (`migrate`): read, never opened
    /// as a ledger, so nothing in the source is written (not even its checkpoint).
    public static func catalogBytes(directory: String) throws(LedgerError) -> [UInt8] {
        let paths = Paths(directory: directory)
        guard POSIXFile.kind(at: paths.journal) == .file else { throw .notFound(directory: paths.directory) }
        return try POSIXFile.readFile(paths.catalog)
    }

    /// Calls `body` with each line of the journal in `directory` (no newline), oldest first, up
    /// to the journal's size when the read began; a last line without its newline (a torn tail)
    /// is left out. The journal is read in `copyChunkBytes` pieces and never written.
    public static func forEachJournalLine(directory: String, _ body: ([UInt8]) throws(LedgerError) -> Void) throws(LedgerError) {
        let path = Paths(directory: directory).journal
        let descriptor = try POSIXFile.open(path, flags: O_RDONLY | O_NOFOLLOW)
        defer { close(descriptor) }
        let end = try POSIXFile.size(of: descriptor, path: path)
        var offset: Int64 = 0
        var carry: [UInt8] = []
        while offset < end {
            let chunk = try POSIXFile.readAll(descriptor, from: offset, count: Int(min(Int64(copyChunkBytes), end - offset)), path: path)
            if chunk.isEmpty { break }
            offset += Int64(chunk.count)
            var start = 0
            while let newline = chunk[start...].firstIndex(of: 10) {
                if carry.isEmpty {
                    try body(Array(chunk[start..<newline]))
                } else {
                    carry += chunk[start..<newline]
                    try body(carry)
                    carry = []
                }
                start = newline + 1
            }
            carry += chunk[start...]
        }
    }
}

/// Where `migrate --to DIR` writes: a new ledger folder, built in a temporary sibling
/// (`DIR.migrating-PID`, 0700, files 0600) and renamed onto `DIR` only when it is whole and
/// synced. `DIR` must not exist or be an empty folder; nothing is there until the rename.
public final class FolderChainSink: ChainSink {
    private let target: FileLedger.Paths
    private let temporary: FileLedger.Paths
    private var journal: Int32 = -1
    private var offset: Int64 = 0
    private var buffer: [UInt8] = []

    /// Bytes gathered before each write to the journal.
    static let writeBufferBytes = 1 << 20

    /// Refuses (`.alreadyExists`) a `directory` that is anything but missing or an empty folder.
    public init(directory: String) throws(LedgerError) {
        target = FileLedger.Paths(directory: directory)
        temporary = FileLedger.Paths(directory: target.directory + ".migrating-\(getpid())")
        try Self.checkEmpty(target.directory)
    }

    private static func checkEmpty(_ directory: String) throws(LedgerError) {
        switch POSIXFile.kind(at: directory) {
        case .missing: return
        case .directory where POSIXFile.list(directory).isEmpty: return
        case .symlink: throw .linkInLedger(path: directory)
        default: throw .alreadyExists(directory: directory)
        }
    }

    public func begin(catalogBytes: [UInt8], catalog: Catalog) throws(LedgerError) {
        try POSIXFile.makeDirectory(temporary.directory)
        chmod(temporary.directory, 0o700)
        try POSIXFile.writeFileAtomically(temporary.catalog, catalogBytes)
        journal = try POSIXFile.create(temporary.journal)
        buffer.reserveCapacity(Self.writeBufferBytes + JournalFormat.lineLengthMax)
    }

    public func write(_ commit: [CopiedRecord], state: LedgerState) throws(LedgerError) {
        for record in commit {
            buffer += record.line
            buffer.append(10)
        }
        if buffer.count >= Self.writeBufferBytes { try flush() }
    }

    private func flush() throws(LedgerError) {
        try POSIXFile.writeAll(journal, buffer, at: offset, path: temporary.journal)
        offset += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    public func finish(state: LedgerState) throws(LedgerError) {
        try flush()
        try POSIXFile.sync(journal, path: temporary.journal)
        close(journal)
        journal = -1
        try OutboxFolders.open(temporary).close()
        try POSIXFile.syncDirectory(temporary.directory)
        try Self.checkEmpty(target.directory)
        guard rename(temporary.directory, target.directory) == 0 else {
            let code = errno
            if code == ENOTEMPTY || code == EEXIST { throw .alreadyExists(directory: target.directory) }
            throw .io(operation: "rename \(temporary.directory) to", path: target.directory, errno: code)
        }
        try POSIXFile.syncDirectory(Self.parent(of: target.directory))
    }

    public func abandon() {
        if journal >= 0 { close(journal); journal = -1 }
        for name in FileLedger.outboxFolderNames { rmdir(temporary.outbox + "/" + name) }
        rmdir(temporary.outbox)
        unlink(temporary.journal)
        unlink(temporary.catalog)
        unlink(temporary.catalog + ".tmp")
        rmdir(temporary.directory)
    }

    /// The folder holding `path` ("." for a bare name).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
