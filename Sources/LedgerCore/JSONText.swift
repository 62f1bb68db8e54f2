import CreditKit

/// A value in a flat JSON object.
package enum FlatValue: Equatable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case null
}

/// Why a line is not a flat JSON object, with the byte column where it went wrong.
package struct FlatJSONError: Error, Equatable, CustomStringConvertible {
    package var column: Int
    package var problem: String
    package var description: String { "\(problem) at byte \(column)" }
}

/// Parses one flat JSON object (`{"k":"v","n":1,"b":true}`) from a byte slice, calling `field`
/// for each key and value in order. Nested objects, arrays and fractions are refused.
package struct FlatJSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index: Int

    package init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        self.index = 0
    }

    package mutating func parse(_ field: (String, FlatValue) throws -> Void) throws {
        try parseKeyBytes { key, value in try field(String(decoding: key, as: UTF8.self), value) }
    }

    /// `parse`, handing over each key as its (unescaped, valid UTF-8) bytes rather than a string:
    /// a reader that knows its keys matches them without building a string per key.
    package mutating func parseKeyBytes(_ field: (UnsafeBufferPointer<UInt8>, FlatValue) throws -> Void) throws {
        skipSpace()
        try expect(123) // {
        skipSpace()
        if peek() == 125 { index += 1; return try finish() }
        while true {
            skipSpace()
            let keyStart = index
            let plainKey = try plainString()
            var escapedKey: [UInt8] = []
            if plainKey == nil {
                index = keyStart
                escapedKey = Array(try parseString().utf8)
            }
            skipSpace()
            try expect(58) // :
            skipSpace()
            let value = try parseValue()
            if let plainKey { try field(plainKey, value) } else { try escapedKey.withUnsafeBufferPointer { try field($0, value) } }
            skipSpace()
            guard let next = peek() else { throw fail("the object is not closed") }
            index += 1
            if next == 125 { return try finish() }
            guard next == 44 else { throw fail("expected ',' or '}'") }
        }
    }

    private mutating func finish() throws {
        skipSpace()
        guard index == bytes.count else { throw fail("unexpected bytes after the object") }
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private func fail(_ problem: String) -> FlatJSONError { FlatJSONError(column: index + 1, problem: problem) }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 32 || bytes[index] == 9 || bytes[index] == 13 { index += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard peek() == byte else { throw fail("expected '\(Character(Unicode.Scalar(byte)))'") }
        index += 1
    }

    private mutating func parseValue() throws -> FlatValue {
        guard let byte = peek() else { throw fail("a value is missing") }
        switch byte {
        case 34: return .string(try parseString())
        case 45, 48...57: return .integer(try parseInteger())
        case 116: try literal("true"); return .bool(true)
        case 102: try literal("false"); return .bool(false)
        case 110: try literal("null"); return .null
        default: throw fail("unexpected value")
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("unexpected end") }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
        guard matches else { throw fail("unexpected value") }
        index += count
    }

    private mutating func parseInteger() throws -> Int64 {
        var negative = false
        if peek() == 45 { negative = true; index += 1 }
        let start = index
        var value: Int64 = 0
        while let byte = peek(), byte >= 48, byte <= 57 {
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times.addingReportingOverflow(Int64(byte - 48))
            guard !overflowA && !overflowB else { throw fail("the number does not fit in 64 bits") }
            value = sum
            index += 1
        }
        guard index > start else { throw fail("a number has no digits") }
        if let byte = peek(), byte == 46 || byte == 101 || byte == 69 { throw fail("only whole numbers are allowed") }
        return negative ? -value : value
    }

    /// A string with no escapes, as the bytes between its quotes (checked as `parseString`
    /// checks them); nil, having read part of it, when it holds an escape.
    private mutating func plainString() throws -> UnsafeBufferPointer<UInt8>? {
        try expect(34)
        let start = index
        while let byte = peek(), byte != 34, byte != 92 {
            guard byte >= 32 else { throw fail("a control character inside a string") }
            index += 1
        }
        guard peek() == 34 else { return nil }
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
        index += 1
        var ascii = true
        for byte in slice where byte >= 0x80 { ascii = false; break }
        if !ascii && String(validating: slice, as: UTF8.self) == nil { throw fail("the text is not valid UTF-8") }
        return slice
    }

    private mutating func parseString() throws -> String {
        try expect(34)
        let start = index
        // Fast path: no escapes.
        while let byte = peek(), byte != 34, byte != 92 {
            guard byte >= 32 else { throw fail("a control character inside a string") }
            index += 1
        }
        if peek() == 34 {
            let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
            index += 1
            return try Self.text(slice, failing: fail("the text is not valid UTF-8"))
        }
        var out = Array(bytes[start..<index])
        while true {
            guard let byte = peek() else { throw fail("a string is not closed") }
            index += 1
            switch byte {
            case 34:
                return try out.withUnsafeBufferPointer { buffer in try Self.text(buffer, failing: fail("the text is not valid UTF-8")) }
            case 92:
                guard let escaped = peek() else { throw fail("a string is not closed") }
                index += 1
                switch escaped {
                case 34, 92, 47: out.append(escaped)
                case 110: out.append(10)
                case 114: out.append(13)
                case 116: out.append(9)
                case 98: out.append(8)
                case 102: out.append(12)
                case 117: try appendUnicodeEscape(to: &out)
                default: throw fail("an unknown escape")
                }
            case 0..<32:
                throw fail("a control character inside a string")
            default:
                out.append(byte)
            }
        }
    }

    /// Text from UTF-8 bytes: plain ASCII takes the fast path; anything else is validated.
    private static func text(_ bytes: UnsafeBufferPointer<UInt8>, failing failure: FlatJSONError) throws -> String {
        var ascii = true
        for byte in bytes where byte >= 0x80 { ascii = false; break }
        if ascii { return String(decoding: bytes, as: UTF8.self) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw failure }
        return text
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("a \\u escape is cut short") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case 48...57: digit = UInt32(byte - 48)
            case 97...102: digit = UInt32(byte - 87)
            case 65...70: digit = UInt32(byte - 55)
            default: throw fail("a \\u escape has a bad digit")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    private mutating func appendUnicodeEscape(to out: inout [UInt8]) throws {
        var scalarValue = try hex4()
        if (0xD800..<0xDC00).contains(scalarValue) {
            guard index + 6 <= bytes.count, bytes[index] == 92, bytes[index + 1] == 117 else { throw fail("a lone surrogate") }
            index += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw fail("a lone surrogate") }
            scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(scalarValue) else { throw fail("a \\u escape names no character") }
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }
}
