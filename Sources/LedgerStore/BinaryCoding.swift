/// Little-endian binary writing for the checkpoint: integers, booleans, length-prefixed UTF-8.
struct BinaryWriter {
    var bytes: [UInt8] = []

    mutating func int(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func count(_ value: Int) { int(Int64(value)) }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        count(utf8.count)
        bytes += utf8
    }

    mutating func optionalInt(_ value: Int64?) {
        bool(value != nil)
        if let value { int(value) }
    }

    mutating func raw(_ value: [UInt8]) { bytes += value }
}

/// Why checkpoint bytes cannot be read back.
struct BinaryReadError: Error, CustomStringConvertible {
    var problem: String
    /// Whether what is in the way also stops the file being written again (a directory there).
    var blocksRewrite = false
    var description: String { problem }
}

/// Reads what `BinaryWriter` wrote, checking every length against the bytes there are.
struct BinaryReader {
    private let bytes: [UInt8]
    private(set) var index: Int

    init(_ bytes: [UInt8], at index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    var atEnd: Bool { index >= bytes.count }

    mutating func int() throws(BinaryReadError) -> Int64 {
        guard index + 8 <= bytes.count else { throw BinaryReadError(problem: "cut short at byte \(index)") }
        var value: UInt64 = 0
        for shift in 0..<8 { value |= UInt64(bytes[index + shift]) << (8 * UInt64(shift)) }
        index += 8
        return Int64(bitPattern: value)
    }

    mutating func count(max limit: Int = 100_000_000) throws(BinaryReadError) -> Int {
        let value = try int()
        guard value >= 0 && value <= limit else { throw BinaryReadError(problem: "a count of \(value) at byte \(index - 8)") }
        return Int(value)
    }

    mutating func bool() throws(BinaryReadError) -> Bool {
        guard index < bytes.count else { throw BinaryReadError(problem: "cut short at byte \(index)") }
        defer { index += 1 }
        switch bytes[index] {
        case 0: return false
        case 1: return true
        default: throw BinaryReadError(problem: "a flag of \(bytes[index]) at byte \(index)")
        }
    }

    mutating func string() throws(BinaryReadError) -> String {
        let length = try count(max: 1 << 20)
        guard index + length <= bytes.count else { throw BinaryReadError(problem: "a text cut short at byte \(index)") }
        let slice = bytes[index..<(index + length)]
        index += length
        guard let text = String(validating: slice, as: UTF8.self) else { throw BinaryReadError(problem: "text that is not UTF-8 at byte \(index)") }
        return text
    }

    /// Reads a length-prefixed text and says whether it is exactly `bytes`, without making a String.
    mutating func stringEquals(_ expected: [UInt8]) throws(BinaryReadError) -> Bool {
        let length = try count(max: 1 << 20)
        guard index + length <= bytes.count else { throw BinaryReadError(problem: "a text cut short at byte \(index)") }
        defer { index += length }
        guard length == expected.count else { return false }
        for offset in 0..<length where bytes[index + offset] != expected[offset] { return false }
        return true
    }

    /// Reads a length-prefixed text as its bytes, without making a String.
    mutating func stringBytes() throws(BinaryReadError) -> ArraySlice<UInt8> {
        let length = try count(max: 1 << 20)
        guard index + length <= bytes.count else { throw BinaryReadError(problem: "a text cut short at byte \(index)") }
        defer { index += length }
        return bytes[index..<(index + length)]
    }

    /// Steps over a length-prefixed text.
    mutating func skipString() throws(BinaryReadError) {
        let length = try count(max: 1 << 20)
        guard index + length <= bytes.count else { throw BinaryReadError(problem: "a text cut short at byte \(index)") }
        index += length
    }

    /// Steps over `length` bytes.
    mutating func skip(_ length: Int) throws(BinaryReadError) {
        guard length >= 0, index + length <= bytes.count else { throw BinaryReadError(problem: "cut short at byte \(index)") }
        index += length
    }

    mutating func optionalInt() throws(BinaryReadError) -> Int64? {
        try bool() ? try int() : nil
    }

    mutating func raw(_ length: Int) throws(BinaryReadError) -> [UInt8] {
        guard length >= 0, index + length <= bytes.count else { throw BinaryReadError(problem: "cut short at byte \(index)") }
        defer { index += length }
        return Array(bytes[index..<(index + length)])
    }
}
