#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LedgerCore

extension FileLedger {
    /// A writer killed mid-write leaves a prefix of the bytes it wrote, so a half-written tail
    /// ends inside a record: never a whole record followed by a byte other than its newline (NUL
    /// bytes aside: a power cut can leave a file longer than the data that reached the disk).
    /// Such a tail was changed after it was written: damage (exit 2), never cut by the next write.
    func checkTornTail(_ descriptor: Int32) throws(LedgerError) {
        guard let tail = tornTail else { return }
        let bytes = try POSIXFile.readAll(descriptor, from: tail.offset, count: Int(tail.length), path: paths.journal)
        let fragmentStart = (bytes.lastIndex(of: 10) ?? -1) + 1
        let fragment = bytes[fragmentStart...]
        let line = scanner.lineCount + bytes[..<fragmentStart].filter { $0 == 10 }.count + 1
        let seq = fragment.withUnsafeBufferPointer { JournalScanner.guessSeq($0) }
        guard let recordEnd = Self.recordEnd(in: fragment), recordEnd < fragment.endIndex,
              fragment[recordEnd...].contains(where: { $0 != 0 }) else { return }
        let byte = fragment[recordEnd]
        throw .damaged(line: line, seq: seq,
                       problem: "the record ends with the byte 0x\(String(byte, radix: 16)) where its newline should be; a crash cannot leave that, so the journal was changed after it was written")
    }

    /// Where a whole record in `fragment` ends (just past the `"}` after its hash), if it holds one.
    private static func recordEnd(in fragment: ArraySlice<UInt8>) -> Int? {
        let key = Array(",\"hash\":\"".utf8)
        guard fragment.count >= key.count else { return nil }
        var index = fragment.startIndex
        while index <= fragment.endIndex - key.count {
            if fragment[index] == key[0] && fragment[index..<(index + key.count)].elementsEqual(key) {
                let end = index + JournalFormat.hashSuffixLength
                return end <= fragment.endIndex ? end : nil
            }
            index += 1
        }
        return nil
    }
}
