import ArgumentParser
import CreditKit
import Foundation
import LedgerCore

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Fill an empty ledger with a realistic, seeded, reproducible history (benchmarks, demos).",
        discussion: """
        The history spans --days days and ends at --now (default: the clock). Without a ledger in \
        the directory, one is created with --catalog, dated at the start of the history. Everything \
        is written through the ledger's own append path, one fsync per batch, so it passes `verify`.
        """)
    @OptionGroup var ledger: LedgerOptions
    @Option(help: "How many workspaces.") var workspaces: Int = 100
    @Option(help: "How many journal records in all.") var entries: Int64 = 10_000
    @Option(help: "The seed: the same seed and sizes give the same history.") var seed: UInt64 = 1
    @Option(help: "How many days the history spans.") var days: Int64 = 365
    @Option(help: "Commands per durable batch.") var batch: Int = 20_000
    @Option(help: ArgumentHelp("The catalog of a ledger created here (konfiwear, sofia, or a path).", valueName: "name|path")) var catalog = "konfiwear"

    func validate() throws {
        guard workspaces > 0 && workspaces <= 1_000_000 else { throw ValidationError("--workspaces must be between 1 and 1,000,000") }
        guard entries > 0 && entries <= 100_000_000 else { throw ValidationError("--entries must be between 1 and 100,000,000") }
        guard days > 0 && days <= 3650 else { throw ValidationError("--days must be between 1 and 3650") }
        guard batch > 0 && batch <= 1_000_000 else { throw ValidationError("--batch must be between 1 and 1,000,000") }
    }

    func run() throws {
        let fewest = HistoryGenerator.entriesMin(workspaces: workspaces)
        guard entries >= fewest else {
            throw CLIFailure.usage("--entries \(entries) is too few for \(workspaces) workspaces: their history takes at least \(fewest) records (the first, the support agents and one per workspace)")
        }
        let context = try ledger.context()
        let start = context.time.adding(days: -days)
        let opened = try openOrCreate(at: start, actor: context.actor)
        _ = try ledger.context(for: opened)
        let state = opened.state
        guard state.workspaces.isEmpty else {
            throw CLIFailure.refused("generate fills an empty ledger; \(opened.location) already has \(CountText.count(state.workspaces.count, "workspace"))")
        }
        if let last = state.lastTime, last > start {
            throw CLIFailure.refused("the ledger's last entry (\(last)) is later than the history's start (\(start)); run generate on a new --ledger directory (it creates the ledger) or give an earlier --now to init")
        }
        var generator = HistoryGenerator(workspaces: workspaces, entries: entries, seed: seed, end: context.time,
                                         creator: context.actor, spanDays: days)
        let began = Date()
        var refused = 0
        let startSeq = opened.state.lastSeq
        CommitGuard.holdInterruptsBetweenBatches()
        var interrupted = false
        while opened.state.lastSeq < entries {
            // An interrupt stops the run here, between batches; one after the last batch does not.
            if CommitGuard.noted != 0 { interrupted = true; break }
            let outcomes = try laterBatch(into: opened, with: &generator, startSeq: startSeq)
            if outcomes.isEmpty { break }
            refused += outcomes.filter { if case .rejected = $0 { return true } else { return false } }.count
            Console.note("generated \(opened.state.lastSeq) of \(entries) records")
        }
        // The checkpoint is a cache: the history is written whether or not it can be saved.
        do { try LedgerBackend.saveCaches(opened) } catch { Console.warn(AfterCommitWarning.checkpointNotRewritten(error).description) }
        if interrupted, let failure = CommitGuard.interruptedBetweenBatches(written: "the records up to #\(opened.state.lastSeq) "
                                                                   + "were written and stand; the rest of the history was not generated") {
            throw failure
        }
        let seconds = Date().timeIntervalSince(began)
        let final = opened.state
        var badges: [BadgeLevel: Int] = [:]
        for ws in final.workspaces.values { badges[final.badge(for: ws.balance), default: 0] += 1 }
        let zero = final.workspaces.values.filter { $0.balance == 0 }.count
        Console.print("generated \(CountText.count(final.lastSeq, "record")) over \(CountText.count(final.workspaces.count, "workspace")) in \(String(format: "%.1f", seconds)) s (seed \(seed); \(refused) commands refused by the rules and not written)")
        Console.print("badges: \(badges[.comfortable] ?? 0) comfortable, \(badges[.low] ?? 0) running low, \(badges[.critical] ?? 0) critical (\(zero) at zero)")
    }

    /// `generateBatch`; when batches before it are durable, a failure says they stand, never
    /// "nothing was written" alone.
    private func laterBatch(into opened: any Ledger, with generator: inout HistoryGenerator,
                            startSeq: Int64) throws(CLIFailure) -> [SubmitOutcome] {
        let result: Result<[SubmitOutcome], CLIFailure>
        do { result = .success(try generateBatch(into: opened, with: &generator)) } catch { result = .failure(error) }
        guard case .failure(let failure) = result, failure.status == 2, opened.state.lastSeq > startSeq else { return try result.get() }
        throw CLIFailure(status: 2, message: "a batch could not be written (\(failure.message)); the records up to "
                         + "#\(opened.state.lastSeq) of the batches before it were written and stand")
    }

    /// Writes one batch of the history. Under the lock, before its first command, the journal
    /// must still end where this run last left it: another writer (a second `generate` into the
    /// same new directory) would make the history a mix of two, so that stops it, refused.
    private func generateBatch(into opened: any Ledger, with generator: inout HistoryGenerator) throws(CLIFailure) -> [SubmitOutcome] {
        let expectedSeq = opened.state.lastSeq
        var first = true
        var interleaved: Int64?
        let outcomes: [SubmitOutcome]
        do {
            outcomes = try opened.submitBatch(limit: batch, readingOriginals: false) { state in
                if first {
                    first = false
                    guard state.lastSeq == expectedSeq else { interleaved = state.lastSeq; return nil }
                }
                return generator.next(in: state)
            }
        } catch {
            throw CLIFailure.ledger(error)
        }
        Console.warn(opened.takeWarnings())
        // The batch is durable: its alerts go out as one command's do (R24); a problem is a warning.
        let alerts = outcomes.flatMap { outcome -> [AlertMessage] in
            if case .recorded(_, let alerts) = outcome { return alerts } else { return [] }
        }
        Console.warn(Sendmail.deliver(alerts, from: opened))
        if let interleaved {
            throw CLIFailure.refused(GenerateRefusal.anotherWriter(directory: opened.location, expectedSeq: expectedSeq, foundSeq: interleaved).message)
        }
        if !outcomes.isEmpty { Console.committed = true }
        return outcomes
    }

    private func openOrCreate(at start: Timestamp, actor: String) throws(CLIFailure) -> any Ledger {
        let timeout = try RunEnvironment.lockTimeout()
        _ = try RunEnvironment.mailerTimeout()
        let location = try ledger.location()
        do {
            let opened = try LedgerBackend.open(location)
            opened.lockTimeout = timeout
            return opened
        } catch .notFound {
            // No ledger yet: create one below, dated at the start of the history.
        } catch {
            throw CLIFailure.ledger(error)
        }
        let path = try RunEnvironment.catalogPath(catalog)
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw CLIFailure(status: 2, message: "cannot read catalog \(path)")
        }
        do {
            let created = try LedgerBackend.create(location, catalogBytes: Array(bytes), catalogSource: path,
                                                actor: actor, time: start, clock: RunEnvironment.nowGiven(ledger.now) ? .test : .real)
            // The new ledger's init record is durable: a failed standard output is a warning from here.
            Console.committed = true
            created.lockTimeout = timeout
            return created
        } catch .alreadyExists {
            // Another process made the ledger this moment: open it, and let the checks above refuse.
            do {
                let opened = try LedgerBackend.open(location)
                opened.lockTimeout = timeout
                return opened
            } catch {
                throw CLIFailure.ledger(error)
            }
        } catch {
            throw CLIFailure.ledger(error)
        }
    }
}

/// Why `generate` stopped before writing a batch.
enum GenerateRefusal: Equatable {
    /// Another process wrote to the ledger while this run was generating into it.
    case anotherWriter(directory: String, expectedSeq: Int64, foundSeq: Int64)

    var message: String {
        switch self {
        case let .anotherWriter(directory, expectedSeq, foundSeq):
            let done = expectedSeq <= 1 ? "nothing of this history was written"
                : "this history stops at record \(expectedSeq); the ledger holds records of both"
            return "another process wrote to \(directory) while generate was filling it (its journal ends at record \(foundSeq), not \(expectedSeq)); \(done)"
        }
    }
}
