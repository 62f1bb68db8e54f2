import ArgumentParser
import CreditKit
import Foundation
import LedgerCore
import LedgerStore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import usage events (JSON Lines or CSV), one durable commit per batch, idempotent by job (support; R4–R6).",
        discussion: """
        Each line names workspace, action, job, outcome (succeeded or failed), and optionally time \
        (ISO 8601) and actor (the member who ran it; default the owner). CSV files start with a \
        header naming those columns. A time more than 5 minutes ahead of the ledger's clock is refused \
        (exit 1) like a bad line (R27); one earlier than the ledger's last record is recorded at that \
        record's time, so usage reported late or out of order is still charged or refunded. A succeeded job is charged once per job id; a failed one is \
        refunded if it was charged. A line that cannot be read stops the import at its batch: the \
        batches before it are committed, nothing of that batch is written, and the line is named. \
        Ctrl-C stops the import once the batch being written is durable (exit 130); running the \
        same import again imports the rest.
        """)
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The file of usage events (.jsonl or .csv).") var file: String
    @Option(help: "jsonl or csv (default: from the file name).") var format: String?
    @Option(help: "Events per durable commit.") var batch: Int = 25_000

    func validate() throws {
        guard batch > 0 && batch <= 1_000_000 else { throw ValidationError("--batch must be between 1 and 1,000,000") }
        if let format, UsageFileReader.Format(rawValue: format) == nil { throw ValidationError("--format must be jsonl or csv") }
    }

    func run() throws {
        let opened = try ledger.open(workspaces: Self.initialScope(of: try ledger.location()))
        let context = try ledger.context(for: opened)
        if let refusal = Permissions.refusal(.importEvents, by: opened.state.person(context.actor), in: nil) {
            throw CLIFailure.refused(refusal)
        }
        var reader: UsageFileReader
        do { reader = try UsageFileReader(path: file, format: format.flatMap(UsageFileReader.Format.init)) } catch {
            throw CLIFailure.usage("\(error)")
        }
        // R27: an event may not carry a time more than the tolerance ahead of the ledger's clock.
        reader.clock = context.time
        let batches = BatchReader(reader, size: batch)
        defer { batches.close() }
        var report = ImportReport()
        let began = Date()
        CommitGuard.holdInterruptsBetweenBatches()
        var interrupted = false
        while true {
            let events: [UsageEvent]
            do throws(UsageLineError) { events = try batches.take().get() } catch {
                report.stoppedAt = error
                break
            }
            if events.isEmpty { break }
            // An interrupt stops the run here, between batches; one after the last batch does not.
            if CommitGuard.noted != 0 { interrupted = true; break }
            // The next batch is read and parsed on another thread while this one is written.
            batches.readAhead()
            do {
                try record(events, into: opened, context: context, report: &report)
            } catch let failure as CLIFailure where report.batches > 0 {
                // The batches before this one are durable: say so, never "nothing was written" alone.
                Console.print(output.json ? report.json.text : report.text)
                throw CLIFailure(status: failure.status, message: "\(file): a batch could not be written (\(failure.message)); "
                                 + "the \(CountText.count(report.events, "event")) of the batches before it were imported and stand")
            }
        }
        // The checkpoint is a cache: rewritten once for the whole import, not after every batch.
        // The batches are durable by now, so nothing here may fail the import: a warning at most.
        do { try opened.finishStreaming() } catch { Console.warn(AfterCommitWarning.checkpointNotRewritten(error).description) }
        Console.warn(opened.takeWarnings())
        report.seconds = Date().timeIntervalSince(began)
        Console.print(output.json ? report.json.text : report.text)
        if interrupted, let failure = CommitGuard.interruptedBetweenBatches(written: report.interruptedLine(file: file)) { throw failure }
        if let stopped = report.stoppedAt {
            let message = "\(file) \(stopped); nothing of that batch was written (\(CountText.count(report.events, "event")) before it \(report.events == 1 ? "was" : "were") imported)"
            throw stopped.refusal == nil ? CLIFailure.usage(message) : CLIFailure.refused(message)
        }
    }
}

extension ImportCommand {
    /// What an import opens: a file ledger whole (its checkpoint holds every workspace); a
    /// PostgreSQL ledger with no workspace loaded, each batch then loading the workspaces it
    /// names, so an import of a few workspaces' events never reads the whole journal.
    static func initialScope(of location: LedgerLocation) -> Set<String>? {
        if case .postgres = location { return [] }
        return nil
    }

    /// R27: the time an event dated `time` is recorded at: its own, or the last record's when it is earlier.
    static func recordTime(of time: Timestamp, after last: Timestamp?) -> Timestamp {
        guard let last, time < last else { return time }
        return last
    }

    /// Records one batch with one durable commit and counts what it did (only once it is durable).
    private func record(_ events: [UsageEvent], into opened: any Ledger, context: CommandContext, report: inout ImportReport) throws {
        var pending = events.makeIterator()
        var outcomes = ImportReport()
        let alerts: [AlertMessage]
        do {
            try opened.ensureLoaded(Set(events.map(\.workspace)))
            alerts = try opened.submitStreaming(limit: events.count, { state in
                guard let event = pending.next() else { return nil }
                // An event's own time is taken as given, but usage reported late (or out of order)
                // is still charged or refunded: it is dated at the last record, since record times
                // never go backwards (R27). One without a time is dated like any write.
                var dated = context
                dated.actor = event.actor ?? state.workspaces[event.workspace]?.owner ?? context.actor
                // R18 on PostgreSQL: the support agent importing acts on the member's behalf (`by`).
                dated.by = LedgerBackend.actingRole(for: dated.actor, on: opened)
                if let time = event.time { dated.time = Self.recordTime(of: time, after: state.lastTime); dated.trailingSecondsMax = 0 }
                return (event.command, dated)
            }, decided: { outcomes.add($0) })
        } catch {
            throw CLIFailure.ledger(error)
        }
        Console.committed = true
        report.add(outcomes)
        report.batches += 1
        // Sent once the batch is durable, as one command's alerts are (R24); a problem is a warning.
        report.alertEmails += alerts.count
        Console.warn(Sendmail.deliver(alerts, from: opened))
    }
}

/// Reads a usage file a batch at a time; `readAhead` reads the next batch on another thread, so
/// parsing overlaps writing. A batch with a bad line is the error alone: none of it is imported.
final class BatchReader: @unchecked Sendable {
    private var reader: UsageFileReader
    private let size: Int
    private var ahead: Result<[UsageEvent], UsageLineError>?
    private let reading = DispatchGroup()

    init(_ reader: UsageFileReader, size: Int) {
        self.reader = reader
        self.size = size
    }

    /// The next batch: the one read ahead, else read now. Empty at the end of the file.
    func take() -> Result<[UsageEvent], UsageLineError> {
        reading.wait()
        if let batch = ahead {
            ahead = nil
            return batch
        }
        return read()
    }

    /// Starts reading the batch after the one just taken, on another thread.
    func readAhead() {
        reading.enter()
        DispatchQueue.global().async {
            self.ahead = self.read()
            self.reading.leave()
        }
    }

    /// Waits for any read in flight and closes the file.
    func close() {
        reading.wait()
        reader.close()
    }

    private func read() -> Result<[UsageEvent], UsageLineError> {
        var events: [UsageEvent] = []
        events.reserveCapacity(min(size, 1 << 16))
        do {
            while events.count < size, let event = try reader.next() { events.append(event) }
        } catch {
            return .failure(error)
        }
        return .success(events)
    }
}

/// What an import did, for people and for scripts.
struct ImportReport {
    var batches = 0
    var events = 0
    var charged = 0
    var chargedCredits: Int64 = 0
    var refunded = 0
    var refundedCredits: Int64 = 0
    var alreadyRecorded = 0
    var nothingToRecord = 0
    var refused: [String: Int] = [:]
    /// How many alert emails the import's commits wrote to `outbox/new/` (R24).
    var alertEmails = 0
    var stoppedAt: UsageLineError?
    var seconds: Double = 0

    /// What stands when an interrupt stopped the import between batches.
    func interruptedLine(file: String) -> String {
        guard batches > 0 else { return "nothing of \(file) was imported" }
        return "\(CountText.count(events, "event")) in \(CountText.count(batches, "batch", "batches")) \(events == 1 ? "was" : "were") imported and \(events == 1 ? "stands" : "stand"); the rest of \(file) was not "
            + "read; running the same import again imports the rest (events already recorded are skipped by job)"
    }

    /// Counts one event's outcome.
    mutating func add(_ outcome: SubmitOutcome) {
        events += 1
        switch outcome {
        case .recorded(let entries, _):
            for entry in entries where entry.kind == .charge { charged += 1; chargedCredits -= entry.credits }
            for entry in entries where entry.kind == .refund { refunded += 1; refundedCredits += entry.credits }
        case .alreadyRecorded: alreadyRecorded += 1
        case .nothingToRecord: nothingToRecord += 1
        case .rejected(let rejection): refused[rejection.category, default: 0] += 1
        }
    }

    /// Adds the counts of one batch.
    mutating func add(_ batch: ImportReport) {
        events += batch.events
        charged += batch.charged; chargedCredits += batch.chargedCredits
        refunded += batch.refunded; refundedCredits += batch.refundedCredits
        alreadyRecorded += batch.alreadyRecorded; nothingToRecord += batch.nothingToRecord
        refused.merge(batch.refused, uniquingKeysWith: +)
    }

    var text: String {
        var lines = ["imported \(CountText.count(events, "event")) in \(CountText.count(batches, "batch", "batches")) (\(String(format: "%.2f", seconds)) s)",
                     "  charged \(CountText.count(charged, "job")), \(CountText.credits(chargedCredits))",
                     "  refunded \(CountText.count(refunded, "failed job")), \(CountText.credits(refundedCredits))",
                     "  skipped \(alreadyRecorded) already recorded, \(nothingToRecord) failed before any charge"]
        let refusedTotal = refused.values.reduce(0, +)
        lines.append("  refused \(refusedTotal)" + (refused.isEmpty ? "" : ": " + refused.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")))
        if alertEmails > 0 { lines.append("  alert emails written to outbox/new: \(alertEmails)") }
        return lines.joined(separator: "\n")
    }

    var json: JSONValue {
        var object = JSONObjectBuilder()
        object.add("events", events)
        object.add("batches", batches)
        object.add("charged", charged)
        object.add("charged_credits", chargedCredits)
        object.add("refunded", refunded)
        object.add("refunded_credits", refundedCredits)
        object.add("already_recorded", alreadyRecorded)
        object.add("nothing_to_record", nothingToRecord)
        object.add("refused", .object(refused.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) }))
        object.add("alert_emails", alertEmails)
        object.add("stopped_at", stoppedAt?.description)
        return object.value
    }
}
