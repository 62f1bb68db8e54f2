import CreditKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file-backed ledger in one directory: `journal.jsonl` (append-only, hash-chained),
/// `catalog.json`, `outbox/` (Maildir) and a `lock` file. See DESIGN.md, "The ledger on disk".
public final class FileLedger: Ledger {
    /// The files of a ledger directory.
    public struct Paths: Sendable {
        public var directory: String
        public var journal: String { directory + "/journal.jsonl" }
        public var catalog: String { directory + "/catalog.json" }
        public var lock: String { directory + "/lock" }
        public var outbox: String { directory + "/outbox" }

        public init(directory: String) {
            var trimmed = directory
            while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
            self.directory = trimmed
        }
    }

    public let paths: Paths
    public internal(set) var state: LedgerState
    /// A half-written tail seen on the last read and left in place (only a writer cuts it).
    public internal(set) var tornTail: TornTail?
    /// The half-written tail this ledger's last write cut back, if it had to.
    public internal(set) var cutTail: TornTail?
    /// How long a writer waits for another writer's lock.
    public var lockTimeout: Double = 10
    var scanner: JournalScanner

    init(paths: Paths, catalog: Catalog) {
        self.paths = paths
        self.state = LedgerState(catalog: catalog)
        self.scanner = JournalScanner(state: state)
    }

    /// Opens the ledger in `directory`: loads its catalog and folds its journal, checking every
    /// record. A damaged record anywhere but a half-written tail is an error naming it.
    public static func open(directory: String) throws(LedgerError) -> FileLedger {
        let paths = Paths(directory: directory)
        guard POSIXFile.exists(paths.journal) else { throw .notFound(directory: paths.directory) }
        let (catalog, catalogBytes) = try CatalogLoader.load(path: paths.catalog)
        let ledger = FileLedger(paths: paths, catalog: catalog)
        let descriptor = try POSIXFile.open(paths.journal, flags: O_RDONLY)
        defer { close(descriptor) }
        try ledger.catchUp(descriptor)
        try ledger.checkCatalog(catalogBytes)
        return ledger
    }

    /// Reads whatever was appended since the last read and folds it in.
    func catchUp(_ descriptor: Int32) throws(LedgerError) {
        let size = try POSIXFile.size(of: descriptor, path: paths.journal)
        guard size >= scanner.end else {
            throw .damaged(line: scanner.lineCount, seq: state.lastSeq,
                           problem: "the journal is shorter (\(size) bytes) than the \(scanner.end) bytes already read: records were removed")
        }
        if size == scanner.end { tornTail = nil; return }
        let bytes = try POSIXFile.readAll(descriptor, from: scanner.end, path: paths.journal)
        tornTail = try scanner.scan(bytes, base: scanner.end)
        state = scanner.state
    }

    /// Re-reads the journal if another process appended to it (for long-running readers).
    public func refresh() throws(LedgerError) {
        let descriptor = try POSIXFile.open(paths.journal, flags: O_RDONLY)
        defer { close(descriptor) }
        try catchUp(descriptor)
    }

    /// The first record names the catalog's SHA-256; the file must still match it.
    private func checkCatalog(_ bytes: [UInt8]) throws(LedgerError) {
        guard let first = try entry(seq: 1) else { return }
        guard first.kind == .initialize else {
            throw .damaged(line: 1, seq: 1, problem: "the first record is not the ledger's init record")
        }
        if let expected = first.catalogHash, expected != SHA256Hex.digest(bytes) {
            throw .badCatalog(file: paths.catalog, problems: ["does not match the catalog this ledger was created with (its SHA-256 differs from the init record's); restore the original file"])
        }
    }

    /// Number of records read.
    public var recordCount: Int { scanner.seqOffsets.count }

    /// The entry with sequence number `seq`, read from the journal by offset.
    public func entry(seq: Int64) throws(LedgerError) -> Entry? {
        guard seq >= 1 && seq <= Int64(scanner.seqOffsets.count) else { return nil }
        let descriptor = try POSIXFile.open(paths.journal, flags: O_RDONLY)
        defer { close(descriptor) }
        return try readEntry(descriptor, at: scanner.seqOffsets[Int(seq - 1)])
    }

    /// A workspace's credit entries, newest first, read by offset: only the rows asked for are decoded.
    public func history(of workspace: String, kinds: Set<EntryKind>? = nil, limit: Int? = nil) throws(LedgerError) -> [Entry] {
        guard let seqs = scanner.creditSeqs[workspace], limit != 0 else { return [] }
        let descriptor = try POSIXFile.open(paths.journal, flags: O_RDONLY)
        defer { close(descriptor) }
        var out: [Entry] = []
        for seq in seqs.reversed() {
            let entry = try readEntry(descriptor, at: scanner.seqOffsets[Int(seq - 1)])
            if let kinds, !kinds.contains(entry.kind) { continue }
            out.append(entry)
            if let limit, out.count >= limit { break }
        }
        return out
    }

    /// How many credit entries a workspace has.
    public func historyCount(of workspace: String) -> Int { scanner.creditSeqs[workspace]?.count ?? 0 }

    private func readEntry(_ descriptor: Int32, at offset: Int64) throws(LedgerError) -> Entry {
        var length = 1024
        while true {
            var buffer = [UInt8](repeating: 0, count: length)
            let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, length, off_t(offset)) }
            guard got > 0 else { throw .io(operation: "read", path: paths.journal, errno: got < 0 ? errno : EIO) }
            let result = buffer.withUnsafeBufferPointer { (all) -> Result<Entry, LedgerError>? in
                let read = UnsafeBufferPointer(rebasing: all[0..<got])
                guard let newline = JournalScanner.indexOfNewline(read, from: 0) else { return nil }
                do throws(JournalFormat.LineProblem) {
                    return .success(try JournalFormat.decode(UnsafeBufferPointer(rebasing: read[0..<newline]), checkHash: false).entry)
                } catch {
                    return .failure(.damaged(line: 0, seq: nil, problem: "record at byte \(offset): \(error.description)"))
                }
            }
            switch result {
            case .success(let entry)?: return entry
            case .failure(let error)?: throw error
            case nil:
                guard got == length, length < JournalFormat.lineLengthMax * 2 else {
                    throw .damaged(line: 0, seq: nil, problem: "record at byte \(offset) has no end")
                }
                length *= 4
            }
        }
    }

    /// Calls `body` with every record in order, decoding the journal once (for export).
    public func forEachEntry(_ body: (Entry) throws -> Void) throws {
        let bytes = try POSIXFile.readFile(paths.journal)
        try bytes.withUnsafeBufferPointer { buffer in
            var cursor = 0
            var seen: Int64 = 0
            while seen < state.lastSeq, let newline = JournalScanner.indexOfNewline(buffer, from: cursor) {
                let record = try JournalFormat.decode(UnsafeBufferPointer(rebasing: buffer[cursor..<newline]), checkHash: false)
                try body(record.entry)
                seen = record.entry.seq
                cursor = newline + 1
            }
        }
    }
}
