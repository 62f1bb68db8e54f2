import CreditKit
import LedgerCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One usage event to import: a job that ran in a workspace and how it ended (R4–R6).
public struct UsageEvent: Hashable, Sendable {
    public enum Outcome: String, Sendable, CaseIterable {
        /// The job succeeded: charge it (once per job id).
        case succeeded
        /// The job failed: refund its charge if it has one, else nothing (R4, R5).
        case failed
    }

    public var workspace: String
    public var action: String
    public var job: String
    public var outcome: Outcome
    /// When it happened; absent means the import's own time.
    public var time: Timestamp?
    /// The member who ran it; absent means the workspace owner.
    public var actor: String?

    /// The command this event asks the ledger for.
    public var command: Command {
        switch outcome {
        case .succeeded: return .charge(workspace: workspace, action: action, job: job)
        case .failed: return .jobFailed(workspace: workspace, job: job)
        }
    }
}

/// Why a line of a usage file cannot be imported; names the line.
public struct UsageLineError: Error, Equatable, CustomStringConvertible {
    public var line: Int
    public var problem: String
    /// The rule that refuses the line, when it is readable but not allowed (R27).
    public var refusal: Rejection?

    public init(line: Int, problem: String, refusal: Rejection? = nil) {
        self.line = line; self.problem = problem; self.refusal = refusal
    }

    public var description: String { "line \(line): \(problem)" }
}

/// Reads usage events from JSON Lines (`{"workspace":…,"action":…,"job":…,"outcome":…,"time":…}`)
/// or CSV with a header naming the same columns, a chunk at a time.
public struct UsageFileReader {
    public enum Format: String, Sendable { case jsonl, csv }

    /// The longest line accepted.
    public static let lineLengthMax = 4096
    public static let columns = ["workspace", "action", "job", "outcome", "time", "actor"]

    public let path: String
    public private(set) var format: Format
    private let descriptor: Int32
    private var offset: Int64 = 0
    private var buffer: [UInt8] = []
    private var cursor = 0
    private var atEnd = false
    private var csvColumns: [String]?
    /// The number of the last line read.
    public private(set) var lineNumber = 0
    /// The line the CSV record being parsed starts on (a quoted line break spans lines).
    private var csvRecordLine = 0
    /// The ledger's clock: an event whose time runs further ahead of it than the tolerance is
    /// refused, naming its line (R27). Nil: times are not checked.
    public var clock: Timestamp?

    /// Opens `path`; the format comes from its extension (`.csv`, else JSON Lines) unless given.
    /// A folder is refused here (`.io`, EISDIR), before any line is read.
    public init(path: String, format: Format? = nil) throws(LedgerError) {
        self.path = path
        self.format = format ?? (path.hasSuffix(".csv") ? .csv : .jsonl)
        guard !POSIXFile.isDirectory(path) else { throw .io(operation: "read", path: path, errno: EISDIR) }
        self.descriptor = try POSIXFile.open(path, flags: O_RDONLY)
    }

    public func close() { _ = Glibc.close(descriptor) }

    /// The next event, nil at the end of the file; blank lines and a UTF-8 byte-order mark
    /// at the start of the file are skipped. CSV records may span lines (`csvRecord`).
    public mutating func next() throws(UsageLineError) -> UsageEvent? {
        guard let event = try nextEvent() else { return nil }
        if let clock, let time = event.time, let refusal = ClockPolicy.checkCarriedTime(time, clock: clock) {
            throw UsageLineError(line: recordLine, problem: refusal.message, refusal: refusal)
        }
        return event
    }

    private mutating func nextEvent() throws(UsageLineError) -> UsageEvent? {
        while var line = try nextLine() {
            if lineNumber == 1 && line.starts(with: Self.byteOrderMark) { line.removeFirst(Self.byteOrderMark.count) }
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            switch format {
            case .jsonl: return try parseJSON(line)
            case .csv:
                // Two statements: `splitCSV` must see the record's line, set by `csvRecord`.
                let record = try csvRecord(startingWith: line)
                let fields = try splitCSV(record)
                if csvColumns == nil {
                    try readHeader(fields)
                    continue
                }
                return try parseCSV(fields)
            }
        }
        return nil
    }

    /// The UTF-8 byte-order mark some editors and spreadsheets put at the start of a file.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// One CSV record (RFC 4180): `line`, and while a quoted field is still open at its end,
    /// the lines after it, joined by their line breaks. Errors name the line it starts on.
    private mutating func csvRecord(startingWith line: [UInt8]) throws(UsageLineError) -> [UInt8] {
        let start = lineNumber
        csvRecordLine = start
        var record = line
        while Self.endsInQuotedField(record) {
            guard let more = try nextLine() else {
                lineNumber = start
                throw fail("a quoted field is not closed")
            }
            record += [10] + more
            guard record.count <= Self.lineLengthMax else {
                lineNumber = start
                throw fail("the record is longer than \(Self.lineLengthMax) bytes")
            }
        }
        return record
    }

    /// Whether `record` ends inside a quoted field (RFC 4180: one that starts with `"`, where
    /// `""` is a quote), so its line break belongs to the field. A quote that does not start a
    /// field opens nothing: `splitCSV` refuses it for what it is.
    static func endsInQuotedField(_ record: [UInt8]) -> Bool {
        var inQuotes = false, atFieldStart = true, index = 0
        while index < record.count {
            let byte = record[index]
            if inQuotes {
                if byte == 34 && index + 1 < record.count && record[index + 1] == 34 { index += 1 } else if byte == 34 { inQuotes = false }
            } else {
                inQuotes = byte == 34 && atFieldStart
                atFieldStart = byte == 44
            }
            index += 1
        }
        return inQuotes
    }

    private mutating func nextLine() throws(UsageLineError) -> [UInt8]? {
        while true {
            if let newline = buffer.withUnsafeBufferPointer({ JournalScanner.indexOfNewline($0, from: cursor) }) {
                let line = Array(buffer[cursor..<newline])
                cursor = newline + 1
                lineNumber += 1
                guard line.count <= Self.lineLengthMax else { throw fail("the line is \(line.count) bytes, longer than \(Self.lineLengthMax)") }
                return line
            }
            if atEnd {
                guard cursor < buffer.count else { return nil }
                let line = Array(buffer[cursor...])
                cursor = buffer.count
                lineNumber += 1
                guard line.count <= Self.lineLengthMax else { throw fail("the line is \(line.count) bytes, longer than \(Self.lineLengthMax)") }
                return line
            }
            if buffer.count - cursor > Self.lineLengthMax {
                lineNumber += 1
                throw fail("the line is longer than \(Self.lineLengthMax) bytes")
            }
            let chunk: [UInt8]
            do { chunk = try POSIXFile.readAll(descriptor, from: offset, count: 4 << 20, path: path) } catch {
                throw fail("cannot read \(path): \(error)")
            }
            offset += Int64(chunk.count)
            if chunk.isEmpty { atEnd = true }
            buffer = Array(buffer[cursor...]) + chunk
            cursor = 0
        }
    }

    /// The line the record being read starts on (a CSV record may span lines).
    private var recordLine: Int { format == .csv && csvRecordLine > 0 ? csvRecordLine : lineNumber }

    private func fail(_ problem: String) -> UsageLineError {
        UsageLineError(line: recordLine, problem: problem)
    }

    private func parseJSON(_ line: [UInt8]) throws(UsageLineError) -> UsageEvent {
        var fields = UsageFields()
        do {
            try line.withUnsafeBufferPointer { buffer in
                var parser = FlatJSONParser(buffer)
                try parser.parse { key, value in
                    guard let column = Self.columns.firstIndex(of: key) else { throw UsageLineError(line: lineNumber, problem: "unknown key \"\(key)\" (known: \(Self.columns.joined(separator: ", ")))") }
                    guard !fields.given(column) else { throw UsageLineError(line: lineNumber, problem: "\"\(key)\" appears twice") }
                    switch value {
                    case .string(let text): fields.set(column, text)
                    case .null: break
                    default: throw UsageLineError(line: lineNumber, problem: "\"\(key)\" must be a string")
                    }
                }
            }
        } catch let error as UsageLineError {
            throw error
        } catch {
            throw fail("not a JSON object (\(error))")
        }
        return try event(from: fields)
    }

    /// Splits one CSV record as RFC 4180 says: fields separated by commas; a field that starts
    /// with `"` runs to the next lone `"` and may hold commas, `""` (a quote) and line breaks.
    /// A quote inside an unquoted field, text after a closing quote, or an unclosed quote is
    /// refused, as a JSON line that is not an object is. A trailing CR (CRLF) is dropped.
    private func splitCSV(_ record: [UInt8]) throws(UsageLineError) -> [String] {
        var bytes = record
        if bytes.last == 13 { bytes.removeLast() }
        var fields: [String] = []
        var current: [UInt8] = []
        var index = 0
        while true {
            current.removeAll(keepingCapacity: true)
            if index < bytes.count && bytes[index] == 34 {
                index += 1
                while true {
                    guard index < bytes.count else { throw fail("a quoted field is not closed") }
                    if bytes[index] == 34 {
                        if index + 1 < bytes.count && bytes[index + 1] == 34 { current.append(34); index += 2; continue }
                        index += 1
                        break
                    }
                    current.append(bytes[index])
                    index += 1
                }
                guard index == bytes.count || bytes[index] == 44 else { throw fail("text after a closing quote (a quote inside a field is written \"\")") }
            } else {
                while index < bytes.count && bytes[index] != 44 {
                    guard bytes[index] != 34 else { throw fail("a quote inside an unquoted field (quote the field and write the quote as \"\")") }
                    current.append(bytes[index])
                    index += 1
                }
            }
            guard let text = String(validating: current, as: UTF8.self) else { throw fail("the text is not valid UTF-8") }
            fields.append(text)
            if index == bytes.count { return fields }
            index += 1   // the comma
        }
    }

    /// The header names the columns, each known, none twice, the required ones all there.
    private mutating func readHeader(_ fields: [String]) throws(UsageLineError) {
        let names = fields.map { $0.lowercased() }
        for name in names where !Self.columns.contains(name) {
            throw fail("unknown column \"\(FreeText.shown(name))\" in the header (known: \(Self.columns.joined(separator: ", ")))")
        }
        for (index, name) in names.enumerated() where names[..<index].contains(name) {
            throw fail("the header names the column \"\(name)\" twice")
        }
        for required in ["workspace", "action", "job", "outcome"] where !names.contains(required) {
            throw fail("the header lacks the column \"\(required)\"")
        }
        csvColumns = names
    }

    private func parseCSV(_ values: [String]) throws(UsageLineError) -> UsageEvent {
        guard let columns = csvColumns, values.count == columns.count else {
            throw fail("has \(values.count) fields, the header names \(csvColumns?.count ?? 0)")
        }
        var fields = UsageFields()
        for (name, value) in zip(columns, values) where !value.isEmpty {
            if let column = Self.columns.firstIndex(of: name) { fields.set(column, value) }
        }
        return try event(from: fields)
    }

    private func event(from fields: UsageFields) throws(UsageLineError) -> UsageEvent {
        func required(_ key: String) throws(UsageLineError) -> String {
            guard let value = fields[key], !value.isEmpty else { throw fail("\"\(key)\" is missing") }
            return value
        }
        let workspace = try required("workspace")
        guard Identifier.isValid(workspace) else { throw fail("the workspace id \"\(workspace)\" is not valid") }
        let action = try required("action")
        let job = try required("job")
        guard FreeText.isValidToken(job) else { throw fail("the job id must be printable with no spaces, at most \(FreeText.tokenLengthMax) bytes") }
        let outcomeText = try required("outcome")
        guard let outcome = UsageEvent.Outcome(rawValue: outcomeText) else {
            throw fail("outcome \"\(outcomeText)\" must be succeeded or failed")
        }
        var time: Timestamp?
        if let text = fields["time"] {
            guard let parsed = Timestamp(iso8601: text) else { throw fail("time \"\(text)\" is not ISO 8601") }
            time = parsed
        }
        if let actor = fields["actor"], !FreeText.isValidToken(actor) { throw fail("the actor name is not valid") }
        return UsageEvent(workspace: workspace, action: action, job: job, outcome: outcome, time: time, actor: fields["actor"])
    }
}

/// The columns of one usage line, by their index in `UsageFileReader.columns`: a fixed set of
/// slots rather than a dictionary per line.
struct UsageFields {
    private var values: (String?, String?, String?, String?, String?, String?) = (nil, nil, nil, nil, nil, nil)

    /// The value of column `key`, nil when absent.
    subscript(key: String) -> String? {
        guard let column = UsageFileReader.columns.firstIndex(of: key) else { return nil }
        return value(column)
    }

    /// Whether column `column` was given (a second value for it is refused).
    func given(_ column: Int) -> Bool { value(column) != nil }

    private func value(_ column: Int) -> String? {
        switch column {
        case 0: return values.0
        case 1: return values.1
        case 2: return values.2
        case 3: return values.3
        case 4: return values.4
        default: return values.5
        }
    }

    mutating func set(_ column: Int, _ text: String) {
        switch column {
        case 0: values.0 = text
        case 1: values.1 = text
        case 2: values.2 = text
        case 3: values.3 = text
        case 4: values.4 = text
        default: values.5 = text
        }
    }
}
