import Crypto
import LedgerCore

/// The checkpoint directory's checksums, page by page (checkpoint format 12). The directory is
/// cut into pages of `pageBytes`; the SHA-256 of each page is in a page table written right after
/// the directory, and the header holds the page table's SHA-256. A binary search for one
/// workspace reads and checks only the pages it touches, so finding a workspace, or being sure
/// it is absent, costs the table and a few pages whatever the number of workspaces, and a damaged
/// page is never read as a missing workspace. A list reads and checks every page.
struct DirectoryPages {
    /// Bytes per page: small, so a probe of the search checks little beyond the entry it reads.
    static let pageBytes = 4096
    /// Bytes of one page's SHA-256 in the table.
    static let digestBytes = 32

    /// Where the directory starts in the checkpoint file, and its length in bytes.
    let base: Int64
    let length: Int64
    /// The SHA-256 of each page, in order, checked against the header.
    let table: [UInt8]
    /// Pages already read and checked, by number.
    private var checkedPages: [Int: [UInt8]] = [:]

    /// How many pages a directory of `length` bytes has.
    static func pageCount(directoryLength length: Int64) -> Int {
        Int((length + Int64(pageBytes) - 1) / Int64(pageBytes))
    }

    /// The page table's length in bytes, for a directory of `length` bytes.
    static func tableLength(directoryLength length: Int64) -> Int64 {
        Int64(digestBytes * pageCount(directoryLength: length))
    }

    /// The page table of `directory`: the SHA-256 of each `pageBytes` slice, in order.
    static func table(of directory: [UInt8]) -> [UInt8] {
        var table: [UInt8] = []
        table.reserveCapacity(Int(tableLength(directoryLength: Int64(directory.count))))
        directory.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                let end = min(start + pageBytes, bytes.count)
                table.append(contentsOf: SHA256.hash(data: UnsafeRawBufferPointer(rebasing: bytes[start..<end])))
                start = end
            }
        }
        return table
    }

    /// Reads the page table of the directory at `base` (`length` bytes), checked against
    /// `tableSHA` from the header; throws when it does not match or is cut short.
    static func load(_ descriptor: Int32, base: Int64, length: Int64, tableSHA: [UInt8]) throws(BinaryReadError) -> DirectoryPages {
        let table = try Checkpoint.readBytes(descriptor, at: base + length, count: Int(tableLength(directoryLength: length)))
        guard SHA256Hex.raw(table) == tableSHA else { throw BinaryReadError(problem: "has a directory page table that does not match its checksum") }
        return DirectoryPages(base: base, length: length, table: table)
    }

    /// The whole directory, every page checked against the table (read and checked first).
    static func whole(_ descriptor: Int32, base: Int64, length: Int64, tableSHA: [UInt8]) throws(BinaryReadError) -> [UInt8] {
        let pages = try load(descriptor, base: base, length: length, tableSHA: tableSHA)
        let bytes = try Checkpoint.readBytes(descriptor, at: base, count: Int(length))
        guard pages.table == table(of: bytes) else { throw damaged }
        return bytes
    }

    /// `count` bytes of the directory from `offset` (counted from its start), each page they
    /// cover read once and checked against the table.
    mutating func bytes(_ descriptor: Int32, at offset: Int64, count: Int) throws(BinaryReadError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset + Int64(count) <= length else {
            throw BinaryReadError(problem: "has a directory that points outside itself")
        }
        guard count > 0 else { return [] }
        let first = Int(offset / Int64(Self.pageBytes)), last = Int((offset + Int64(count) - 1) / Int64(Self.pageBytes))
        var out: [UInt8] = []
        out.reserveCapacity(count)
        for number in first...last {
            let page = try checkedPage(number, descriptor)
            let pageStart = Int64(number * Self.pageBytes)
            let from = Int(max(offset, pageStart) - pageStart)
            let to = Int(min(offset + Int64(count), pageStart + Int64(page.count)) - pageStart)
            out.append(contentsOf: page[from..<to])
        }
        return out
    }

    /// Page `number`, read and checked against its SHA-256 in the table (once).
    private mutating func checkedPage(_ number: Int, _ descriptor: Int32) throws(BinaryReadError) -> [UInt8] {
        if let page = checkedPages[number] { return page }
        let start = Int64(number * Self.pageBytes)
        let page = try Checkpoint.readBytes(descriptor, at: base + start, count: Int(min(Int64(Self.pageBytes), length - start)))
        let digest = Self.digestBytes * number
        guard SHA256Hex.raw(page).elementsEqual(table[digest..<digest + Self.digestBytes]) else { throw Self.damaged }
        checkedPages[number] = page
        return page
    }

    /// What a page that does not match its checksum is.
    static var damaged: BinaryReadError { BinaryReadError(problem: "has a directory that does not match its checksum") }
}

/// The page table and the pages checked so far, kept across the lookups of one checkpoint: a
/// command that looks up many workspaces (an import) reads and checks each page once.
final class CheckedDirectoryPages {
    var pages: DirectoryPages?
}
