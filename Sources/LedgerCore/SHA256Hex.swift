import Crypto

/// SHA-256 as lowercase hex, the form the journal's hash chain is written in.
package enum SHA256Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    package static func digest(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { digest($0) }
    }

    package static func digest(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        hex(SHA256.hash(data: UnsafeRawBufferPointer(bytes)))
    }

    /// Whether the SHA-256 of `bytes` is `hex` (64 lowercase hex digits), compared digit by digit
    /// without building a string: how a record's checksum is checked on every read.
    package static func digest(_ bytes: UnsafeBufferPointer<UInt8>, equalsHex hex: String) -> Bool {
        let digest = SHA256.hash(data: UnsafeRawBufferPointer(bytes))
        let matched = hex.utf8.withContiguousStorageIfAvailable { text -> Bool in
            guard text.count == 64 else { return false }
            var index = 0
            for byte in digest {
                guard text[index] == hexDigit(byte >> 4), text[index + 1] == hexDigit(byte & 15) else { return false }
                index += 2
            }
            return true
        }
        return matched ?? (self.hex(digest) == hex)
    }

    /// The lowercase hex digit of a value below 16, as a UTF-8 byte.
    private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 48 + value : 87 + value }

    /// The 32 raw bytes of the SHA-256 of `bytes`.
    package static func raw(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { Array(SHA256.hash(data: $0)) }
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
