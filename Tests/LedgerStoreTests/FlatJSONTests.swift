import CreditKit
import Foundation
@testable import LedgerStore
import LedgerCore
import Testing

/// The purpose-built reader and writer of journal lines: `FlatJSONParser` takes flat objects of
/// strings, whole numbers, booleans and null, and refuses everything else; `JSONString.append`
/// writes any string so that the parser (and any JSON reader) gives it back unchanged.
@Suite struct FlatJSONTests {
    private func parse(_ bytes: [UInt8]) throws -> [(String, FlatValue)] {
        var fields: [(String, FlatValue)] = []
        try bytes.withUnsafeBufferPointer { buffer in
            var parser = FlatJSONParser(buffer)
            try parser.parse { key, value in fields.append((key, value)) }
        }
        return fields
    }

    private func parse(_ text: String) throws -> [(String, FlatValue)] { try parse(Array(text.utf8)) }

    /// The single value of `{"k":…}`.
    private func value(_ json: String) throws -> FlatValue {
        let fields = try parse("{\"k\":\(json)}")
        try #require(fields.count == 1)
        return fields[0].1
    }

    /// The parse error for `bytes`, or nil when they parse.
    private func refusal(_ bytes: [UInt8]) -> FlatJSONError? {
        do {
            _ = try parse(bytes)
            return nil
        } catch let error as FlatJSONError {
            return error
        } catch {
            Issue.record("unexpected error type \(error)")
            return nil
        }
    }

    private func refusal(_ text: String) -> FlatJSONError? { refusal(Array(text.utf8)) }

    @Test func flatObjectsParseInOrder() throws {
        let fields = try parse(#" { "s" : "text", "n":-42,"z":0, "t":true,"f":false, "x":null } "#)
        #expect(fields.map(\.0) == ["s", "n", "z", "t", "f", "x"])
        #expect(fields.map(\.1) == [.string("text"), .integer(-42), .integer(0), .bool(true), .bool(false), .null])
        #expect(try parse("{}").isEmpty)
    }

    @Test(arguments: [
        (#""plain""#, "plain"),
        (#""a\"b""#, "a\"b"),
        (#""back\\slash""#, "back\\slash"),
        (#""sl\/ash""#, "sl/ash"),
        (#""\n\r\t\b\f""#, "\n\r\t\u{08}\u{0C}"),
        (#""\u0041\u00e9\u00E9""#, "Aéé"),
        (#""\u0000nul""#, "\u{0}nul"),
        (#""\u20ac\u2028""#, "€\u{2028}"),
        (#""\ud83d\ude00""#, "😀"),
        (#""\uD83E\uDDF5 thread""#, "🧵 thread"),
        (#""x\ud834\udd1ey""#, "x𝄞y"),
        ("\"raw 😀 é\"", "raw 😀 é"),
    ])
    func escapesDecode(json: String, expected: String) throws {
        guard case .string(let text) = try value(json) else {
            Issue.record("\(json) is not a string")
            return
        }
        #expect(Array(text.utf8) == Array(expected.utf8), "\(json)")
    }

    @Test(arguments: [
        #""\ud83d""#,          // a high surrogate alone
        #""\ud83dx""#,         // followed by something else
        #""\ud83d\u0041""#,    // followed by a non-surrogate escape
        #""\ud83d\ud83d""#,    // followed by another high surrogate
        #""\ude00""#,          // a low surrogate alone
        #""\u12""#,            // cut short
        #""\u12g4""#,          // a bad digit
        #""\x41""#,            // an unknown escape
        #""\'""#,
        #""abc"#,              // not closed
        #""ab\"#,
    ])
    func badEscapesAreRefused(json: String) {
        #expect(refusal("{\"k\":\(json)}") != nil, "\(json)")
    }

    @Test(arguments: [
        [0xFF],                     // never valid in UTF-8
        [0xC3],                     // a sequence cut short
        [0xC0, 0xAF],               // overlong '/'
        [0xE0, 0x80, 0xAF],         // overlong
        [0xED, 0xA0, 0x80],         // an encoded surrogate
        [0xF4, 0x90, 0x80, 0x80],   // above U+10FFFF
        [0x80],                     // a lone continuation byte
    ] as [[UInt8]])
    func invalidUTF8IsRefused(bad: [UInt8]) {
        let open = Array("{\"k\":\"a".utf8), close = Array("b\"}".utf8)
        // On the fast path (no escapes) and on the escaped path.
        #expect(refusal(open + bad + close) != nil, "\(bad)")
        #expect(refusal(open + Array("\\n".utf8) + bad + close) != nil, "\(bad) after an escape")
        // In a key too.
        #expect(refusal(Array("{\"".utf8) + bad + Array("\":1}".utf8)) != nil, "\(bad) in a key")
    }

    @Test func rawControlCharactersInStringsAreRefused() {
        for byte in UInt8(0)..<32 {
            #expect(refusal(Array("{\"k\":\"a".utf8) + [byte] + Array("\"}".utf8)) != nil, "byte \(byte)")
            #expect(refusal(Array("{\"k\":\"\\t".utf8) + [byte] + Array("\"}".utf8)) != nil, "byte \(byte) after an escape")
        }
    }

    @Test func integersUpTo64BitsParseAndLargerOnesAreRefused() throws {
        #expect(try value("9223372036854775807") == .integer(Int64.max))
        #expect(try value("-9223372036854775807") == .integer(-Int64.max))
        #expect(try value("-0") == .integer(0))
        for tooBig in ["9223372036854775808", "-9223372036854775809", "18446744073709551616",
                       "99999999999999999999999999"] {
            let error = refusal("{\"k\":\(tooBig)}")
            #expect(error != nil, "\(tooBig)")
            #expect(error?.problem.contains("64 bits") == true, "\(tooBig)")
        }
    }

    @Test(arguments: ["1.5", "1.0", "-0.5", "1e3", "1E3", "2e-1", "0.", "-", "- 1", "+1", ".5", "NaN", "Infinity"])
    func numbersThatAreNotWholeAreRefused(number: String) {
        #expect(refusal("{\"k\":\(number)}") != nil, "\(number)")
    }

    @Test(arguments: [
        #"{"k":{"n":1}}"#, #"{"k":{}}"#, #"{"k":[1,2]}"#, #"{"k":[]}"#,
        #"{"a":1,"k":{"b":"c"},"z":2}"#,
        #"[{"k":1}]"#, #""k""#, "", " ", "{", "}", #"{"k":1"#, #"{"k":1,}"#, #"{"k" 1}"#,
        #"{k:1}"#, #"{"k":1} x"#, #"{"k":1}{"j":2}"#, #"{"k":tru}"#, #"{"k":nul}"#, #"{"k":True}"#,
        #"{"k":'v'}"#, #"{"k":}"#, #"{,}"#, #"{"k":1,,"j":2}"#,
    ])
    func anythingButOneFlatObjectIsRefused(json: String) {
        #expect(refusal(json) != nil, "\(json)")
    }

    @Test func errorsSayWhere() {
        let error = refusal(#"{"k":1.5}"#)
        #expect(error?.column == 7)
        #expect(error?.description == "only whole numbers are allowed at byte 7")
    }

    // MARK: - Writing strings

    @Test func appendStringEscapesWhatJSONRequires() {
        #expect(JSONString.quoted("a\"b\\c") == #""a\"b\\c""#)
        #expect(JSONString.quoted("\n\r\t") == #""\n\r\t""#)
        #expect(JSONString.quoted("\u{0}\u{1F}\u{7F}") == #""\u0000\u001f\u007f""#)
        #expect(JSONString.quoted("é😀") == "\"é😀\"")
        #expect(JSONString.quoted("") == "\"\"")
    }

    /// The command line's JSON and the journal share one escaper: the journal keeps C1 controls,
    /// line separators and bidi controls as they are (its hashes depend on it); the command
    /// line's output escapes them, so `jq` never prints one raw.
    @Test func steeringCharactersAreEscapedOnlyForTheCommandLine() {
        let text = "a\u{85}b\u{2028}c\u{202E}d\u{1B}e\u{7F}"
        #expect(JSONString.quoted(text, escapingSteering: true) == #""a\u0085b\u2028c\u202ed\u001be\u007f""#)
        #expect(JSONString.quoted(text) == "\"a\u{85}b\u{2028}c\u{202E}d\\u001be\\u007f\"")
        #expect(JSONString.quoted("é😀", escapingSteering: true) == "\"é😀\"")
    }

    @Test func appendStringRoundTripsEveryStringThroughTheParser() throws {
        var generator = SplitMix64(seed: 0x5EED_C0DE)
        var samples = ["", "\"", "\\", "\\\"", "\"\\", "\u{0}", "\n\r\t\u{8}\u{C}", "\u{7F}", "\u{2028}\u{2029}",
                       "e\u{301}", "é", "😀", "👩‍👩‍👧", "🇸🇪", "\u{FEFF}", "\u{10FFFF}", "\u{FFFD}", "/", "\\u0041",
                       String(repeating: "\\\"", count: 500)]
        for _ in 0..<3_000 { samples.append(randomString(&generator)) }
        for sample in samples {
            var line = Array("{\"k\":".utf8)
            JSONString.append(sample, to: &line)
            line.append(125)
            // No raw control byte ever reaches the line: a string never splits a journal line.
            #expect(!line.contains { $0 < 32 || $0 == 127 }, "\(sample.debugDescription)")
            let fields = try parse(line)
            guard fields.count == 1, case .string(let back) = fields[0].1 else {
                Issue.record("\(sample.debugDescription) did not come back as one string")
                continue
            }
            #expect(Array(back.utf8) == Array(sample.utf8), "\(sample.debugDescription)")
        }
    }

    @Test func appendStringWritesStandardJSON() throws {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<500 {
            let sample = randomString(&generator)
            var array = Array("[".utf8)
            JSONString.append(sample, to: &array)
            array.append(93)
            let decoded = try JSONDecoder().decode([String].self, from: Data(array))
            #expect(decoded.map { Array($0.utf8) } == [Array(sample.utf8)], "\(sample.debugDescription)")
        }
    }

    /// Up to 40 scalars, heavy on the characters that need escaping.
    private func randomString(_ generator: inout SplitMix64) -> String {
        let count = Int(generator.next() % 41)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<count {
            let value: UInt32
            switch generator.next() % 8 {
            case 0: value = UInt32(generator.next() % 32)                  // control characters
            case 1: value = [34, 92, 47, 127, 117][Int(generator.next() % 5)] // " \ / DEL u
            case 2: value = 0x1F300 + UInt32(generator.next() % 0x300)     // emoji
            case 3: value = 0x80 + UInt32(generator.next() % 0x780)        // two-byte UTF-8
            case 4: value = 0x800 + UInt32(generator.next() % 0xD000)      // three-byte, below surrogates
            case 5: value = 0xE000 + UInt32(generator.next() % 0x2000)     // three-byte, above surrogates
            case 6: value = 0x10000 + UInt32(generator.next() % 0x100000)  // any supplementary plane
            default: value = 32 + UInt32(generator.next() % 95)            // printable ASCII
            }
            if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
        }
        return String(scalars)
    }
}

/// A small deterministic generator, so a failure can be replayed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
