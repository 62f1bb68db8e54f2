/// Little-endian binary writing for the file ledger's checkpoint and PostgreSQL's workspace
/// states: integers, booleans, length-prefixed UTF-8.
public struct BinaryWriter {
    /// What has been written so far.
    public var bytes: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// Eight bytes, little-endian.
    public mutating func int(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A count or length, as an 8-byte integer.
    public mutating func count(_ value: Int) { int(Int64(value)) }

    /// One byte, 0 or 1.
    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// The UTF-8 bytes after their count.
    public mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        count(utf8.count)
        bytes += utf8
    }

    /// A flag, then the integer when there is one.
    public mutating func optionalInt(_ value: Int64?) {
        bool(value != nil)
        if let value { int(value) }
    }

    /// Bytes as they are, no length (the reader knows it: a SHA-256 is 32).
    public mutating func raw(_ value: [UInt8]) { bytes += value }
}

/// Why checkpoint or workspace-state bytes cannot be read back.
public struct BinaryReadError: Error, CustomStringConvertible {
    /// What is wrong, and where (a byte offset).
    public var problem: String
    /// Whether what is in the way also stops the file being written again (a directory there).
    public var blocksRewrite = false
    /// The problem, for messages.
    public var description: String { problem }

    /// A problem; `blocksRewrite` when what is in the way also stops a rewrite.
    public init(problem: String, blocksRewrite: Bool = false) {
        self.problem = problem
        self.blocksRewrite = blocksRewrite
    }
}

/// Reads what `BinaryWriter` wrote, checking every length against the bytes there are.
public struct BinaryReader {
    private let bytes: [UInt8]
    /// The offset of the next byte to read.
    public private(set) var index: Int

    /// A reader over `bytes`, starting at `index`.
    public init(_ bytes: [UInt8], at index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    /// True once every byte was read.
    public var atEnd: Bool { index >= bytes.count }

    /// Eight bytes, little-endian.
    public mutating func int() throws(BinaryReadError) -> Int64 {
        guard index + 8 <= bytes.count else { throw BinaryReadError(problem: "is cut short at byte \(index)") }
        var value: UInt64 = 0
        for shift in 0..<8 { value |= UInt64(bytes[index + shift]) << (8 * UInt64(shift)) }
        index += 8
        return Int64(bitPattern: value)
    }

    /// A count of 0 through `limit` (else an error naming it).
    public mutating func count(max limit: Int = 100_000_000) throws(BinaryReadError) -> Int {
        let value = try int()
        guard value >= 0 && value <= limit else { throw BinaryReadError(problem: "has a count of \(value) at byte \(index - 8)") }
        return Int(value)
    }

    /// One byte, 0 or 1 (anything else is an error).
    public mutating func bool() throws(BinaryReadError) -> Bool {
        guard index < bytes.count else { throw BinaryReadError(problem: "is cut short at byte \(index)") }
        defer { index += 1 }
        switch bytes[index] {
        case 0: return false
        case 1: return true
        default: throw BinaryReadError(problem: "has a flag of \(bytes[index]) at byte \(index)")
        }
    }

    /// A length-prefixed UTF-8 text of at most 1 MiB.
    public mutating func string() throws(BinaryReadError) -> String {
        let length = try count(max: 1 << 20)
        guard index + length <= bytes.count else { throw BinaryReadError(problem: "has a text cut short at byte \(index)") }
        let range = index..<(index + length)
        index += length
        // Over a buffer, not a slice: the generic slice path costs a type lookup per text.
        let text = bytes.withUnsafeBufferPointer { whole in
            let text = UnsafeBufferPointer(rebasing: whole[range])
            return text.allSatisfy { $0 < 0x80 } ? String(decoding: text, as: UTF8.self) : String(validating: text, as: UTF8.self)
        }
        guard let text else { throw BinaryReadError(problem: "has text that is not UTF-8 at byte \(index)") }
        return text
    }

    /// Reads a length-prefixed text and says whether it is exactly `bytes`, without making a String.
    public mutating func stringEquals(_ expected: [UInt8]) throws(BinaryReadError) -> Bool {
        let length = try count(max: 1 << 20)
        guard index + length <= bytes.count else { throw BinaryReadError(problem: "has a text cut short at byte \(index)") }
        defer { index += length }
        guard length == expected.count else { return false }
        for offset in 0..<length where bytes[index + offset] != expected[offset] { return false }
        return true
    }

    /// Reads a length-prefixed text as its bytes, without making a String.
    public mutating func stringBytes() throws(BinaryReadError) -> ArraySlice<UInt8> {
        let length = try count(max: 1 << 20)
        guard index + length <= bytes.count else { throw BinaryReadError(problem: "has a text cut short at byte \(index)") }
        defer { index += length }
        return bytes[index..<(index + length)]
    }

    /// Steps over a length-prefixed text.
    public mutating func skipString() throws(BinaryReadError) {
        let length = try count(max: 1 << 20)
        guard index + length <= bytes.count else { throw BinaryReadError(problem: "has a text cut short at byte \(index)") }
        index += length
    }

    /// Steps over `length` bytes.
    public mutating func skip(_ length: Int) throws(BinaryReadError) {
        guard length >= 0, index + length <= bytes.count else { throw BinaryReadError(problem: "is cut short at byte \(index)") }
        index += length
    }

    /// A flag, then the integer when the flag is set.
    public mutating func optionalInt() throws(BinaryReadError) -> Int64? {
        try bool() ? try int() : nil
    }

    /// `length` bytes as they are.
    public mutating func raw(_ length: Int) throws(BinaryReadError) -> [UInt8] {
        guard length >= 0, index + length <= bytes.count else { throw BinaryReadError(problem: "is cut short at byte \(index)") }
        defer { index += length }
        return Array(bytes[index..<(index + length)])
    }
}
