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
