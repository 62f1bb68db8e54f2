import CreditKit
import LedgerCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where one journal record sits: its sequence number and the byte offset of its line.
public struct RecordRef: Hashable, Sendable {
    public var seq: Int64
    public var offset: Int64
}

/// `DIR/checkpoint`: a cache of the folded ledger up to a journal offset, so opening costs the
/// tail since it, and one workspace can be loaded without the others. It is checked against the
/// journal it summarises (the record that ends at its offset must carry its head hash) and
/// against its own SHA-256 sums; a missing, stale or damaged checkpoint is rebuilt from the
/// journal, never trusted. Deleting it loses nothing. A journal shorter than it stands for is
/// damage (records were removed), refused by every reader.
///
/// Layout: magic, header length, header, header SHA-256, the workspace directory, the directory's
/// entry offsets, the directory's page table, then one blob per workspace. The header names the
/// journal offset, seq, time and hash it stands for, the operators, the directory's length and
/// its page table's SHA-256; the directory holds each workspace's blob (offset, length, SHA-256)
/// and summary, in the byte order of the ids, so one workspace is found by a binary search over
/// the offsets, reading and checking a few pages (`DirectoryPages`), and only a list of them all
/// reads and checks the whole directory.
struct Checkpoint {
    /// Format 7: a small header, and a directory found by binary search and checked as a whole
    /// only when read as a whole; summaries carry their expiring parcels, last charge and open
    /// holds (R35); blobs carry idempotency keys, holds and voided grants (R36); the history index
    /// leaves out grants of 0 (R22). Format 8: blobs also carry the auto top-up state (R37–R39),
    /// who holds each hold, members' monthly limits and this month's spend (R40). Format 9: the
    /// header ends with the SHA-256 of `catalog.json` and the catalog (`CatalogBinary`), so a
    /// reader need not JSON-decode it. Format 10: blobs also carry what each unrefunded job
    /// charge burned (R5, S3). Format 11: blobs also carry the members removed, the header the
    /// support agents removed (R42). Format 12: the directory is checked page by page
    /// (`DirectoryPages`), so a workspace is found, or known absent, without reading the whole
    /// directory; blobs and summaries are as in format 11. Formats 8 and 9 (folded before refunds
    /// went back to their parcels), 10 (before removals) and 11 (one checksum over the whole
    /// directory) are a cache miss, rebuilt without a note; any other format is ignored with one
    /// and rebuilt.
    static let magic = magic(format: currentFormat)
    /// The format written now: its blobs and summaries are `WorkspaceStateCodec`'s layout of
    /// `removalsSinceFormat` (11), which reads any format from 11 on alike.
    static let currentFormat = 12
    /// The formats read: the current one. A change to the blobs or summaries raises
    /// `currentFormat` and leaves only it here.
    static let formatsRead = [currentFormat]
    /// Formats an older build wrote: not read, and not worth a note (`load` answers nil).
    static let formatsOutgrown = [8, 9, 10, 11]

    /// The first bytes of a checkpoint of `format`.
    static func magic(format: Int) -> [UInt8] { Array("CREDITDESK-CHECKPOINT-\(format)\n".utf8) }
    /// Rebuild the checkpoint once this many records lie beyond it.
    static let tailRecordsMax = 50_000

    struct BlobRef {
        var offset: Int64
        var length: Int64
        var sha256: [UInt8]
        /// What a list shows of the workspace, so listing needs no blob.
        var summary: WorkspaceSummary
    }

    /// The checkpoint file, read again for the directory and the blobs.
    var path: String
    var journalEnd: Int64
    var lineCount: Int
    var lastSeq: Int64
    var lastTime: Timestamp?
    var lastHash: String
    var operators: [String: Role]
    /// R42: support agents removed, and the entry that removed each.
    var removedOperators: [String: Int64] = [:]
    /// Where the directory starts in the file, its length (entries, then one 8-byte offset per
    /// entry) and the SHA-256 of its page table (`DirectoryPages`), which follows it.
    var directoryBase: Int64
    var directoryLength: Int64
    var pageTableSHA: [UInt8]
    var blobBase: Int64
    var workspaceCount: Int
    /// The format this checkpoint was written in (one of `formatsRead`).
    var format = currentFormat
    /// The SHA-256 of the `catalog.json` the catalog below was decoded from, and that catalog
    /// (format 9; nil in format 8).
    var catalogSHA: [UInt8]?
    var catalog: Catalog?

    /// The cached catalog, when it was decoded from exactly these `catalog.json` bytes' SHA-256.
    func catalog(matching sha256: [UInt8]) -> Catalog? {
        catalogSHA == sha256 ? catalog : nil
    }

    /// Where the table of entry offsets starts, counted from `directoryBase`.
    var offsetTableStart: Int64 { directoryLength - 8 * Int64(workspaceCount) }

    /// The directory once read and checked (`verifyDirectory()`), kept for the lists that follow.
    var verifiedDirectory: [UInt8]?
    /// The pages one-workspace lookups have checked, shared by the copies of this checkpoint.
    let checkedPages = CheckedDirectoryPages()

    /// Reads the whole directory and checks it against its SHA-256, keeping it.
    mutating func verifyDirectory() throws(BinaryReadError) {
        verifiedDirectory = try directory()
    }

    /// The whole directory, every page read and checked against the page table.
    func directory() throws(BinaryReadError) -> [UInt8] {
        if let verifiedDirectory { return verifiedDirectory }
        let descriptor = try Self.openForReading(path)
        defer { close(descriptor) }
        return try DirectoryPages.whole(descriptor, base: directoryBase, length: directoryLength, tableSHA: pageTableSHA)
    }

    /// Calls `body` with each directory entry until it returns false.
    func forEachBlob(_ body: (String, BlobRef) -> Bool) throws(BinaryReadError) {
        var reader = BinaryReader(try directory())
        for _ in 0..<workspaceCount {
            let id = try reader.string()
            if !body(id, try blobRef(id: id, &reader)) { return }
        }
    }

    /// The rest of a directory entry after its id.
    private func blobRef(id: String, _ reader: inout BinaryReader) throws(BinaryReadError) -> BlobRef {
        BlobRef(offset: blobBase + (try reader.int()), length: try reader.int(), sha256: try reader.raw(32),
                summary: try WorkspaceBlob.decodeSummary(id: id, &reader, format: format))
    }

    /// The directory entry of one workspace, found by a binary search over the entries' offsets:
    /// the page table and a few pages, whatever the number of workspaces. Every byte the search
    /// reads is checked against its page's SHA-256, so an absent answer is as sure as a found
    /// one, and a damaged checkpoint is never read as a missing workspace.
    func blob(_ id: String) throws(BinaryReadError) -> BlobRef? {
        let target = Array(id.utf8)
        let descriptor = try Self.openForReading(path)
        defer { close(descriptor) }
        var pages: DirectoryPages
        if let checked = checkedPages.pages {
            // Taken out while in use, so adding a page does not copy the ones kept.
            pages = checked
            checkedPages.pages = nil
        } else {
            pages = try DirectoryPages.load(descriptor, base: directoryBase, length: directoryLength, tableSHA: pageTableSHA)
        }
        defer { checkedPages.pages = pages }
        var low = 0, high = workspaceCount - 1
        while low <= high {
            let middle = (low + high) / 2
            var reader = try entry(at: middle, &pages, descriptor)
            let key = try reader.stringBytes()
            if key.elementsEqual(target) { return try blobRef(id: id, &reader) }
            if key.lexicographicallyPrecedes(target) { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }

    /// A reader over directory entry `index` (up to the next entry), its pages checked.
    private func entry(at index: Int, _ pages: inout DirectoryPages, _ descriptor: Int32) throws(BinaryReadError) -> BinaryReader {
        var offsets = BinaryReader(try pages.bytes(descriptor, at: offsetTableStart + 8 * Int64(index), count: index + 1 < workspaceCount ? 16 : 8))
        let start = try offsets.int()
        let end = index + 1 < workspaceCount ? try offsets.int() : offsetTableStart
        guard start >= 0, start < end, end <= offsetTableStart, end - start <= 1 << 20 else {
            throw BinaryReadError(problem: "has a directory that points outside itself")
        }
        return BinaryReader(try pages.bytes(descriptor, at: start, count: Int(end - start)))
    }

    /// Every workspace id in the checkpoint.
    func workspaceIDs() throws(BinaryReadError) -> [String] {
        var ids: [String] = []
        ids.reserveCapacity(workspaceCount)
        try forEachBlob { id, _ in ids.append(id); return true }
        return ids
    }

    /// Opens the checkpoint file for reading: a regular file only, never through a symlink and
    /// never waiting on a pipe planted at its path; anything else there is named for what it is.
    static func openForReading(_ path: String) throws(BinaryReadError) -> Int32 {
        switch POSIXFile.kind(at: path) {
        case .directory: throw BinaryReadError(problem: "is a directory, not a file", blocksRewrite: true)
        case .symlink: throw BinaryReadError(problem: "is a symbolic link, which the ledger does not follow")
        case .other: throw BinaryReadError(problem: "is not a regular file (a pipe, socket or device)")
        case .missing, .file: break
        }
        let descriptor = Glibc.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw BinaryReadError(problem: "cannot be opened (\(POSIXFile.errorText(errno)))") }
        guard POSIXFile.isRegularFile(descriptor) else {
            close(descriptor)
            throw BinaryReadError(problem: "is not a regular file")
        }
        return descriptor
    }

    /// What a reader says of a checkpoint it cannot use: why, and whether a writer can rebuild it.
    static func ignoredNote(_ error: BinaryReadError) -> String {
        error.blocksRewrite
            ? "the checkpoint \(error.description); it is ignored, and cannot be rebuilt until that is removed (the checkpoint is a cache: removing it loses nothing)"
            : "the checkpoint \(error.description); it is ignored and will be rebuilt"
    }

    /// Reads and checks the header; the directory and the blobs are read when asked for.
    static func load(path: String) throws(BinaryReadError) -> Checkpoint? {
        guard POSIXFile.kind(at: path) != .missing else { return nil }
        let descriptor = try openForReading(path)
        defer { close(descriptor) }
        let prefix = try readBytes(descriptor, at: 0, count: magic.count + 8)
        let written = Array(prefix.prefix(magic.count))
        if formatsOutgrown.contains(where: { prefix.starts(with: Self.magic(format: $0)) }) { return nil }
        guard let format = formatsRead.first(where: { Self.magic(format: $0) == written }) else {
            throw BinaryReadError(problem: "is not a checkpoint of this format")
        }
        var lengthReader = BinaryReader(prefix, at: magic.count)
        let headerLength = try lengthReader.count(max: 1 << 24)
        let header = try readBytes(descriptor, at: Int64(magic.count + 8), count: headerLength + 32)
        let body = Array(header.prefix(headerLength))
        guard SHA256Hex.raw(body) == Array(header.suffix(32)) else { throw BinaryReadError(problem: "has a header that does not match its checksum") }
        var reader = BinaryReader(body)
        let journalEnd = try reader.int(), lineCount = try reader.count(), lastSeq = try reader.int()
        let lastTime = try reader.optionalInt().map { Timestamp(secondsSinceEpoch: $0) }
        let lastHash = try reader.string()
        var operators: [String: Role] = [:]
        for _ in 0..<(try reader.count()) {
            let name = try reader.string()
            guard let role = Role(rawValue: try reader.string()) else { throw BinaryReadError(problem: "names an unknown role") }
            operators[name] = role
        }
        let removedOperators = try WorkspaceStateCodec.decodeRemoved(&reader)
        let workspaceCount = try reader.count()
        let directoryLength = try reader.int()
        let pageTableSHA = try reader.raw(32)
        let directoryBase = Int64(magic.count + 8 + headerLength + 32)
        guard directoryLength >= 8 * Int64(workspaceCount), directoryLength <= 1 << 40 else {
            throw BinaryReadError(problem: "has a directory \(directoryLength) bytes long for \(workspaceCount) workspaces")
        }
        var loaded = Checkpoint(path: path, journalEnd: journalEnd, lineCount: lineCount, lastSeq: lastSeq, lastTime: lastTime,
                                lastHash: lastHash, operators: operators, directoryBase: directoryBase, directoryLength: directoryLength,
                                pageTableSHA: pageTableSHA,
                                blobBase: directoryBase + directoryLength + DirectoryPages.tableLength(directoryLength: directoryLength),
                                workspaceCount: workspaceCount,
                                format: format)
        loaded.removedOperators = removedOperators
        if format >= 9 {
            loaded.catalogSHA = try reader.raw(32)
            loaded.catalog = try CatalogBinary.decode(&reader)
        }
        guard reader.atEnd else { throw BinaryReadError(problem: "has bytes after the end of its header") }
        return loaded
    }

    /// The record that ends where the checkpoint says the journal ended must carry its hash.
    func check(againstJournal descriptor: Int32, path: String) throws(BinaryReadError) {
        let size = POSIXFile.size(ofOrZero: descriptor)
        let suffix = 2 + JournalFormat.hashSuffixLength
        guard journalEnd <= size, journalEnd >= Int64(suffix) else {
            throw BinaryReadError(problem: "stands for \(journalEnd) bytes of journal, which has \(size)")
        }
        var tail = [UInt8](repeating: 0, count: suffix)
        let got = tail.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, suffix, off_t(journalEnd) - off_t(suffix)) }
        let expected = Array(",\"hash\":\"\(lastHash)\"}\n".utf8)
        guard got == suffix, Array(tail.suffix(expected.count)) == expected else {
            throw BinaryReadError(problem: "does not match the journal (the record at its offset has another hash)")
        }
    }

    /// Refuses a journal of fewer bytes than this checkpoint stands for: records it summarises
    /// were removed, which is damage, not a stale cache (throws `journalShorterThanCheckpoint`).
    func refuseIfJournalShorter(_ descriptor: Int32, checkpointPath: String) throws(LedgerError) {
        let size = POSIXFile.size(ofOrZero: descriptor)
        guard size < journalEnd else { return }
        throw .journalShorterThanCheckpoint(journalBytes: size, checkpointBytes: journalEnd, checkpoint: checkpointPath)
    }

    /// One workspace's folded state and credit-history index, checked against its SHA-256.
    func workspace(_ id: String, path: String) throws(BinaryReadError) -> (WorkspaceState, [RecordRef])? {
        guard let blob = try blob(id) else { return nil }
        let descriptor = try Self.openForReading(path)
        defer { close(descriptor) }
        return try state(of: id, at: blob, descriptor, size: POSIXFile.size(ofOrZero: descriptor))
    }

    /// The blob `blob` of workspace `id`: inside the file, matching its SHA-256, and the state of
    /// that very workspace (a directory entry that names another workspace's blob is damage).
    private func state(of id: String, at blob: BlobRef, _ descriptor: Int32, size: Int64) throws(BinaryReadError) -> (WorkspaceState, [RecordRef]) {
        guard blob.offset >= blobBase, blob.length >= 0, blob.length <= size, blob.offset <= size - blob.length else {
            throw BinaryReadError(problem: "places the state of workspace \(id) outside the file")
        }
        let bytes = try Self.readBytes(descriptor, at: blob.offset, count: Int(blob.length))
        guard SHA256Hex.raw(bytes) == blob.sha256 else {
            throw BinaryReadError(problem: "holds a state of workspace \(id) that does not match its checksum")
        }
        var reader = BinaryReader(bytes)
        let decoded = try WorkspaceBlob.decode(&reader, format: format)
        guard decoded.0.id == id else {
            throw BinaryReadError(problem: "has a directory entry for \(id) that holds the state of workspace \(decoded.0.id)")
        }
        return decoded
    }

    /// Every workspace, each blob read and checked on its own, so loading holds one blob at a
    /// time rather than the whole file.
    func allWorkspaces(path: String) throws(BinaryReadError) -> [(WorkspaceState, [RecordRef])] {
        let descriptor = try Self.openForReading(path)
        defer { close(descriptor) }
        let size = POSIXFile.size(ofOrZero: descriptor)
        var out: [(WorkspaceState, [RecordRef])] = []
        out.reserveCapacity(workspaceCount)
        var failure: BinaryReadError?
        try forEachBlob { id, blob in
            do throws(BinaryReadError) {
                out.append(try state(of: id, at: blob, descriptor, size: size))
                return true
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        return out
    }

    /// Writes a checkpoint of `state` (every workspace loaded) standing for the journal up to
    /// `journalEnd`. Blobs are written one at a time as they are encoded, so writing costs one
    /// workspace's blob in memory, not the whole file; the header and directory go in front last.
    /// `catalogSHA` is the SHA-256 of the `catalog.json` bytes `state.catalog` was decoded from.
    static func write(path: String, state: LedgerState, index: [String: [RecordRef]], journalEnd: Int64, lineCount: Int,
                      catalogSHA: [UInt8]) throws(LedgerError) {
        // In the byte order of the ids, which the binary search of `blob(_:)` follows.
        let ids = state.workspaces.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        // The directory's size does not depend on the blobs (every number in it is 8 bytes), so
        // laying it out with placeholders says where the blobs start.
        let placeholders = ids.map { _ in (offset: Int64(0), length: Int64(0), sha256: [UInt8](repeating: 0, count: 32)) }
        let directoryLength = directory(state, ids: ids, blobs: placeholders).count
        let headerLength = header(state, count: ids.count, directory: [UInt8](repeating: 0, count: directoryLength), pageTable: [],
                                  journalEnd: journalEnd, lineCount: lineCount, catalogSHA: catalogSHA).count
        let blobBase = Int64(magic.count + 8 + headerLength + 32 + directoryLength)
            + DirectoryPages.tableLength(directoryLength: Int64(directoryLength))
        try POSIXFile.replaceAtomically(path) { descriptor, temporary throws(LedgerError) in
            var blobs = placeholders
            var offset: Int64 = 0
            for (position, id) in ids.enumerated() {
                guard let ws = state.workspaces[id] else { continue }
                var blob = BinaryWriter()
                WorkspaceBlob.encode(ws, index: index[id] ?? [], into: &blob)
                try POSIXFile.writeAll(descriptor, blob.bytes, at: blobBase + offset, path: temporary)
                blobs[position] = (offset, Int64(blob.bytes.count), SHA256Hex.raw(blob.bytes))
                offset += Int64(blob.bytes.count)
            }
            let directoryBytes = directory(state, ids: ids, blobs: blobs)
            let pageTable = DirectoryPages.table(of: directoryBytes)
            let headerBytes = header(state, count: ids.count, directory: directoryBytes, pageTable: pageTable, journalEnd: journalEnd,
                                     lineCount: lineCount, catalogSHA: catalogSHA)
            precondition(headerBytes.count == headerLength && directoryBytes.count == directoryLength, "the checkpoint header changed size")
            var front = BinaryWriter()
            front.raw(magic)
            front.count(headerBytes.count)
            front.raw(headerBytes)
            front.raw(SHA256Hex.raw(headerBytes))
            front.raw(directoryBytes)
            front.raw(pageTable)
            try POSIXFile.writeAll(descriptor, front.bytes, at: 0, path: temporary)
        }
    }

    /// The directory: each workspace's blob and summary, then the offset of each entry.
    private static func directory(_ state: LedgerState, ids: [String], blobs: [(offset: Int64, length: Int64, sha256: [UInt8])]) -> [UInt8] {
        var directory = BinaryWriter()
        var offsets: [Int64] = []
        offsets.reserveCapacity(ids.count)
        for (id, blob) in zip(ids, blobs) {
            guard let ws = state.workspaces[id] else { continue }
            offsets.append(Int64(directory.bytes.count))
            directory.string(id)
            directory.int(blob.offset)
            directory.int(blob.length)
            directory.raw(blob.sha256)
            WorkspaceBlob.encodeSummary(WorkspaceSummary(ws), into: &directory)
        }
        for offset in offsets { directory.int(offset) }
        return directory.bytes
    }

    /// The header: where the journal stood, the operators, the directory's length and the
    /// SHA-256 of its page table, then the catalog's file SHA-256 and the catalog.
    private static func header(_ state: LedgerState, count: Int, directory: [UInt8], pageTable: [UInt8], journalEnd: Int64, lineCount: Int,
                               catalogSHA: [UInt8]) -> [UInt8] {
        var header = BinaryWriter()
        header.int(journalEnd)
        header.count(lineCount)
        header.int(state.lastSeq)
        header.optionalInt(state.lastTime?.secondsSinceEpoch)
        header.string(state.lastHash)
        header.count(state.operators.count)
        for (name, role) in state.operators.sorted(by: { $0.key < $1.key }) {
            header.string(name)
            header.string(role.rawValue)
        }
        WorkspaceStateCodec.encodeRemoved(state.removedOperators, into: &header)
        header.count(count)
        header.int(Int64(directory.count))
        header.raw(SHA256Hex.raw(pageTable))
        precondition(catalogSHA.count == 32, "a catalog's SHA-256 is 32 bytes")
        header.raw(catalogSHA)
        CatalogBinary.encode(state.catalog, into: &header)
        return header.bytes
    }

    /// `count` bytes of the file from `offset`; throws when the file ends before them.
    /// The buffer is not zeroed first: `pread` fills it, and a short file is an error, never zeros.
    static func readBytes(_ descriptor: Int32, at offset: Int64, count: Int) throws(BinaryReadError) -> [UInt8] {
        let buffer = [UInt8](unsafeUninitializedCapacity: count) { storage, initialized in
            var done = 0
            while done < count {
                let got = pread(descriptor, storage.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                guard got > 0 else { break }
                done += got
            }
            initialized = done
        }
        guard buffer.count == count else { throw BinaryReadError(problem: "is cut short") }
        return buffer
    }
}

/// The binary form of one workspace in the checkpoint: its state (`WorkspaceStateCodec`, shared
/// with PostgreSQL), then its credit-history index.
enum WorkspaceBlob {
    static func encodeSummary(_ summary: WorkspaceSummary, into out: inout BinaryWriter) {
        WorkspaceStateCodec.encodeSummary(summary, into: &out)
    }

    static func decodeSummary(id: String, _ input: inout BinaryReader, format: Int) throws(BinaryReadError) -> WorkspaceSummary {
        try WorkspaceStateCodec.decodeSummary(id: id, &input, format: format)
    }

    static func encode(_ ws: WorkspaceState, index: [RecordRef], into out: inout BinaryWriter) {
        WorkspaceStateCodec.encode(ws, into: &out)
        out.count(index.count)
        for ref in index { out.int(ref.seq); out.int(ref.offset) }
    }

    static func decode(_ input: inout BinaryReader, format: Int) throws(BinaryReadError) -> (WorkspaceState, [RecordRef]) {
        let ws = try WorkspaceStateCodec.decode(&input, format: format)
        var index: [RecordRef] = []
        let indexCount = try input.count()
        index.reserveCapacity(indexCount)
        for _ in 0..<indexCount { index.append(RecordRef(seq: try input.int(), offset: try input.int())) }
        return (ws, index)
    }
}
