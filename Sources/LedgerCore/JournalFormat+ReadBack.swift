import CreditKit

extension JournalFormat {
    /// Why the record line `line` would not read back as `entry` (hash included), or nil when it
    /// does: the last guard that keeps a record the program cannot read out of the journal.
    package static func readBackProblem(_ line: UnsafeBufferPointer<UInt8>, as entry: Entry) -> String? {
        let decoded: DecodedRecord
        do { decoded = try decode(line, checkHash: false) } catch { return error.description }
        return decoded.entry == entry ? nil : "it reads back as a different record"
    }

    /// `readBackProblem` for a line held in an array.
    package static func readBackProblem(_ line: [UInt8], as entry: Entry) -> String? {
        line.withUnsafeBufferPointer { readBackProblem($0, as: entry) }
    }
}
