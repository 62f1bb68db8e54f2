import CreditKit
import LedgerCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Activity screen's pages (`EntryPage`) read backwards through the journal: an
/// `EntryPosition` here is a byte offset of the journal. A page costs the bytes it walks back
/// over, never the whole journal, so it costs the same on a ledger of any size.
extension FileLedger {
    /// Bytes read back per read; a record longer than this is read with a larger one.
    static let activityChunkBytes = 64 * 1024
    /// The most bytes one page walks back over before it answers with what it has found, so
    /// a narrow filter on a long journal never holds up a frame (the reader asks again).
    public static let activityScanBytesMax = 4 * 1024 * 1024
    /// A line the filter's texts rule out is still decoded this often, for its time.
    static let activityTimeProbeEvery = 64

    /// Up to `count` entries matching `filter`, newest first, from the records that end at
    /// `before` (nil: the journal's end as last read). With `newerThan`, stops at that record.
    public func activityPage(before: EntryPosition?, count: Int, filter: EntryFilter,
                             newerThan: Int64?) throws(LedgerError) -> EntryPage {
        try activityPage(before: before, count: count, filter: filter, newerThan: newerThan, scanBytesMax: Self.activityScanBytesMax)
    }

    /// `activityPage`, walking back over at most `scanBytesMax` bytes (tests lower it).
    public func activityPage(before: EntryPosition?, count: Int, filter: EntryFilter, newerThan: Int64?,
                             scanBytesMax: Int) throws(LedgerError) -> EntryPage {
        precondition(count > 0, "a page holds at least one entry")
        var page = JournalPage(entries: [], nextOffset: min(before?.value ?? scanner.end, scanner.end), reachedEnd: false,
                               oldestTimeRead: nil, headSeq: state.lastSeq)
        let descriptor = try POSIXFile.open(paths.journal, flags: O_RDONLY)
        defer { close(descriptor) }
        let needles = filter.requiredTexts.compactMap(Self.plainJSONString)
        var walked = 0
        var chunk = Self.activityChunkBytes
        while page.nextOffset > 0, page.entries.count < count, walked < scanBytesMax {
            let start = max(0, page.nextOffset - Int64(chunk))
            let bytes = try POSIXFile.readAll(descriptor, from: start, count: Int(page.nextOffset - start), path: paths.journal)
            var stop = false
            let consumed = try bytes.withUnsafeBufferPointer { (buffer) throws(LedgerError) -> Int? in
                try walkBack(buffer, base: start, page: &page, count: count, filter: filter, needles: needles,
                             newerThan: newerThan, budget: scanBytesMax - walked, stop: &stop)
            }
            guard let consumed else {
                // Not one whole line in the chunk: the record is longer than the chunk.
                guard chunk < JournalFormat.lineLengthMax * 2 else {
                    throw .damaged(line: 0, seq: nil, problem: "record ending at byte \(page.nextOffset) has no start")
                }
                chunk *= 4
                continue
            }
            walked += consumed
            if stop { page.reachedEnd = true; return page.finished }
        }
        if page.nextOffset == 0 { page.reachedEnd = true }
        return page.finished
    }

    /// Walks the whole lines of `buffer` (which starts at file offset `base` and ends where the
    /// page's next read starts) from the last to the first, taking matching entries into `page`.
    /// Returns the bytes walked over, nil when the buffer holds no whole line.
    private func walkBack(_ buffer: UnsafeBufferPointer<UInt8>, base: Int64, page: inout JournalPage, count: Int,
                          filter: EntryFilter, needles: [[UInt8]], newerThan: Int64?, budget: Int, stop: inout Bool) throws(LedgerError) -> Int? {
        var lineEnd = buffer.count - 1  // the newline ending the last line
        var walked = 0
        var skipped = 0
        while lineEnd > 0, page.entries.count < count, walked < budget {
            var lineStart = lineEnd - 1
            while lineStart >= 0 && buffer[lineStart] != UInt8(ascii: "\n") { lineStart -= 1 }
            lineStart += 1
            if lineStart == 0 && base > 0 { break }  // this line may start before the buffer
            let line = UnsafeBufferPointer(rebasing: buffer[lineStart..<lineEnd])
            let offset = base + Int64(lineStart)
            if let newerThan, let seq = JournalScanner.guessSeq(line), seq <= newerThan { stop = true; return walked }
            skipped += 1
            // A line without the filter's exact texts cannot match; every so often one is
            // decoded anyway, for its time, so a `since` stops the walk soon after it is passed.
            if needles.allSatisfy({ Self.contains(line, $0) }) || (filter.since != nil && skipped % Self.activityTimeProbeEvery == 0) {
                let entry: Entry
                do throws(JournalFormat.LineProblem) {
                    entry = try JournalFormat.decode(line, checkHash: true).entry
                } catch {
                    throw FileLedger.damagedRecord(line, at: offset, error)
                }
                page.oldestTimeRead = entry.time
                if let newerThan, entry.seq <= newerThan { stop = true; return walked }
                if let since = filter.since, entry.time < since { stop = true; return walked }
                if filter.matches(entry, catalog: state.catalog) { page.entries.append(entry) }
            }
            walked += lineEnd + 1 - lineStart
            page.nextOffset = offset
            lineEnd = lineStart - 1
        }
        return walked == 0 ? nil : walked
    }

    /// How `text` is written as a JSON string in the journal, quotes included, when it is plain
    /// printable ASCII (so its bytes are certain); nil otherwise (then no line is skipped for it).
    static func plainJSONString(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) else { return nil }
        return [UInt8(ascii: "\"")] + bytes + [UInt8(ascii: "\"")]
    }

    /// Whether `line` holds `needle` anywhere.
    static func contains(_ line: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, line.count >= needle.count else { return needle.isEmpty }
        // memchr finds each candidate first byte; memcmp checks the rest (memmem is not in the Glibc module).
        return needle.withUnsafeBufferPointer { n in
            let base = line.baseAddress!
            var from = 0
            while from + n.count <= line.count,
                  let hit = memchr(base + from, Int32(n[0]), line.count - n.count + 1 - from) {
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + at, n.baseAddress!, n.count) == 0 { return true }
                from = at + 1
            }
            return false
        }
    }
}

/// A page while it is walked back, its position still a byte offset.
struct JournalPage {
    var entries: [Entry]
    /// Where the next (older) page starts reading back from; 0 once the journal's start is reached.
    var nextOffset: Int64
    var reachedEnd: Bool
    var oldestTimeRead: Timestamp?
    var headSeq: Int64

    /// The page as callers see it, its offset an opaque position.
    var finished: EntryPage {
        EntryPage(entries: entries, next: EntryPosition(nextOffset), reachedEnd: reachedEnd, oldestTimeRead: oldestTimeRead, headSeq: headSeq)
    }
}
