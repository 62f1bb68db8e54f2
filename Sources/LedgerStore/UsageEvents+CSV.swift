import CSV
import CreditKit
import Foundation

/// The records of a CSV usage file, read as RFC 4180 says by CSV.swift (streamed, a UTF-8
/// byte-order mark skipped, CRLF or LF, quoted fields with commas, `""` and line breaks), with
/// the physical line each record starts on, so a refusal names the line.
final class CSVUsageRecords {
    private let reader: CSVReader
    /// The line the next record starts on (a quoted line break moves it on too).
    private var line = 1

    /// Opens `path` for reading; the caller has already checked that it can be opened.
    init(path: String) throws(LedgerError) {
        guard let stream = InputStream(fileAtPath: path),
              let reader = try? CSVReader(stream: stream, codecType: UTF8.self, hasHeaderRow: false) else {
            throw .io(operation: "read", path: path, errno: EIO)
        }
        self.reader = reader
    }

    /// The next record that is not blank, with its first line; nil at the end of the file.
    /// Invalid UTF-8 and records longer than `lineLengthMax` bytes are refused.
    func next(lineLengthMax: Int) throws(UsageLineError) -> (fields: [String], line: Int)? {
        while true {
            let start = line
            let fields = reader.next()
            try checkError(line: start)
            guard let fields else { return nil }
            var bytes = fields.count - 1
            for field in fields {
                bytes += field.utf8.count
                line += Self.lineBreaks(in: field)
            }
            line += 1
            guard bytes <= lineLengthMax else {
                throw UsageLineError(line: start, problem: "the record is \(bytes) bytes, longer than \(lineLengthMax)")
            }
            if fields.count == 1 && fields[0].utf8.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            return (fields, start)
        }
    }

    /// CSV.swift records a decoding or stream error and ends the row there; the end of the
    /// file shows up as `cannotReadFile` (a read of no bytes) and is no error.
    private func checkError(line: Int) throws(UsageLineError) {
        switch reader.error {
        case CSVError.unicodeDecoding?: throw UsageLineError(line: line, problem: "the text is not valid UTF-8")
        case CSVError.streamErrorHasOccurred(let error)?: throw UsageLineError(line: line, problem: "cannot read the file: \(error)")
        default: return
        }
    }

    /// Line breaks inside a quoted field: LF, CRLF or a lone CR each count once.
    private static func lineBreaks(in field: String) -> Int {
        var count = 0
        var afterCR = false
        for byte in field.utf8 {
            if byte == 10 { if !afterCR { count += 1 } } else if byte == 13 { count += 1 }
            afterCR = byte == 13
        }
        return count
    }
}
