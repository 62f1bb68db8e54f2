import ArgumentParser
import CreditKit
import LedgerCore

/// Opens the ledger and the workspace `id`, refusing anyone who may not see it (R18).
func visibleWorkspace(_ id: String, _ options: some LedgerChoosing) throws(CLIFailure) -> (any Ledger, WorkspaceState, Timestamp) {
    let ledger = try options.open(workspaces: [id])
    let now = try options.readTime(for: ledger)
    let state = ledger.state
    // R27: a read never refuses for clock order; S3: it shows the workspace brought up to now.
    guard let workspace = Engine.bringUp(id, in: state, to: now)?.workspace else { throw .refused(.unknownWorkspace(id)) }
    if let refusal = Permissions.refusal(.seeWorkspace, by: state.person(options.actorName), in: WorkspacePeople(workspace)) {
        throw .refused(refusal)
    }
    return (ledger, workspace, now)
}

struct BalanceCommand: ParsableCommand, LedgerReading {
    static let configuration = CommandConfiguration(
        commandName: "balance",
        abstract: "A workspace's balance, lifetime earned and spent, held and available, and badge (support, owner or members; R20, R21, R35).",
        discussion: "With --at TIME, the balance, earned, spent and held as the journal had them at that past time (R33); a time in the future or before the ledger began is refused (exit 64).")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String
    @Option(help: ArgumentHelp("Show it as of this past time (ISO 8601, UTC).", valueName: "time")) var at: String?

    func run() throws {
        try Self.show(workspace, at: at, ledger: ledger, json: output.json)
    }

    /// Prints workspace `workspace`'s balance now, or as of `at` (R33); the command's whole work,
    /// whichever reader read its command line.
    static func show(_ workspace: String, at: String?, ledger: some LedgerChoosing, json: Bool) throws(CLIFailure) {
        let (opened, ws, now) = try visibleWorkspace(workspace, ledger)
        let state = opened.state
        if let at {
            try printAsOf(at, of: ws, in: opened, now: now, json: json)
            return
        }
        if json {
            Console.print(ContractJSON.balance(ws, state: state, now: now).text)
            return
        }
        Console.print(TextTable.balance(ws, state: state, now: now, unicode: Console.unicode))
    }
}

extension BalanceCommand {
    /// R33: prints the balance as of `text`, refusing a time after `now` or before the ledger's first record.
    static func printAsOf(_ text: String, of ws: WorkspaceState, in ledger: any Ledger, now: Timestamp, json: Bool) throws(CLIFailure) {
        guard let time = Timestamp(iso8601: text) else { throw .usage("--at \"\(text)\" is not an ISO 8601 time such as 2026-11-22T09:30:00Z") }
        guard time <= now else { throw .usage("--at \(time) is in the future (now is \(now)): a balance is known only up to now") }
        let began: Timestamp
        do { began = try ledger.entry(seq: 1)?.time ?? ws.createdAt } catch { throw .ledger(error) }
        guard time >= began else { throw .usage("--at \(time) is before the ledger began (\(began))") }
        let asOf: BalanceAsOf?
        do { asOf = try ledger.balance(of: ws.id, asOf: time) } catch { throw .ledger(error) }
        guard let asOf else { throw .refused(.unknownWorkspace(ws.id)) }
        let badge = ledger.state.badge(for: asOf.available)
        if json {
            var object = JSONObjectBuilder()
            object.add("workspace", ws.id)
            object.add("at", time.iso8601)
            object.add("balance", asOf.balance)
            object.add("earned", asOf.earned)
            object.add("spent", asOf.spent)
            object.add("held", asOf.held)
            object.add("available", asOf.available)
            object.add("badge", badge.rawValue)
            object.add("entries", asOf.entries)
            Console.print(object.value.text)
            return
        }
        Console.print("\(FreeText.shown(ws.name)) (\(ws.id)) as of \(time.iso8601)")
        Console.print("  \(badge.glyph(ascii: !Console.unicode)) \(badge.word.uppercased())   \(CountText.credits(asOf.balance))")
        Console.print("  lifetime earned \(AmountFormat.grouped(asOf.earned)) · spent \(AmountFormat.grouped(asOf.spent))")
        Console.print("  held \(AmountFormat.grouped(asOf.held)) · available \(AmountFormat.grouped(asOf.available)) · \(asOf.entries) credit entries by then")
    }
}

struct HistoryCommand: ParsableCommand, LedgerReading {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Every grant, top-up, charge, refund, adjustment, expiry, hold, release and void of a workspace, newest first (R22).")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The workspace id.") var workspace: String
    @Option(help: "Only entries of this kind: grant, topup, charge, refund, adjustment, expiry, hold, release or void; give it again for several kinds.") var kind: [String] = []
    @Option(parsing: .unconditional, help: ArgumentHelp("At most this many entries.", valueName: "count")) var limit: String?

    func run() throws {
        try Self.show(workspace, kinds: kind, limit: limit, ledger: ledger, json: output.json)
    }

    /// Prints workspace `workspace`'s history, newest first: only `kind` kinds when any are named,
    /// at most `limit` entries; the command's whole work, whichever reader read its command line.
    static func show(_ workspace: String, kinds kind: [String], limit: String?, ledger: some LedgerChoosing,
                     json: Bool) throws(CLIFailure) {
        var kinds: Set<EntryKind>?
        if !kind.isEmpty {
            var chosen = Set<EntryKind>()
            for name in kind {
                guard let parsed = EntryKind(rawValue: name), parsed.movesCredits else {
                    throw .usage("--kind \"\(name)\" must be one of: " + EntryKind.creditKinds.map(\.rawValue).joined(separator: ", "))
                }
                chosen.insert(parsed)
            }
            kinds = chosen
        }
        let limit = try limit.map { (text) throws(CLIFailure) in Int(try NumberArgument.whole(text, .limit)) }
        let (opened, ws, now) = try visibleWorkspace(workspace, ledger)
        // S3: expiries due by now and not yet written lead the history, marked pending.
        let due = (Engine.bringUp(ws.id, in: opened.state, to: now)?.expiries ?? [])
            .reversed().filter { kinds?.contains($0.kind) ?? true }.prefix(limit ?? Int.max)
        let written: [Entry]
        do { written = try opened.history(of: ws.id, kinds: kinds, limit: limit.map { max(0, $0 - due.count) }) } catch { throw .ledger(error) }
        let entries = Array(due) + written
        if json {
            Console.print(JSONValue.array(entries.enumerated().map { ContractJSON.entry($1, pending: $0 < due.count) }).text)
            return
        }
        Console.print(TextTable.history(entries, catalog: opened.state.catalog, pending: due.count))
    }
}

struct VerifyCommand: ParsableCommand, LedgerReading {
    /// Verify names the damage it finds rather than pointing to itself.
    static let access = LedgerAccess.verify
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every record, the hash chain and the rules; name the first bad record (exit 2) if there is one.",
        discussion: """
        Every record must be what the rules would have written given the records before it (who \
        may do what, prices and credits from the catalog, balances, each job, invoice, payment and \
        request recorded once), not only correctly chained. Prints the head as SEQ:HASH: publish \
        it, and a later `verify --expect-head SEQ:HASH` fails (exit 2) when that record is no \
        longer in the chain, as when the journal was cut back or rebuilt by someone able to write it.
        """)
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("A head printed by an earlier verify: fail unless that record is still in the chain.", valueName: "seq:hash"))
    var expectHead: String?

    func validate() throws {
        if let expectHead, HeadArgument.parse(expectHead) == nil {
            throw ValidationError("--expect-head \"\(expectHead)\" must be SEQ:HASH, a record number and its 64 hex digit hash, as verify prints it")
        }
    }

    func run() throws {
        let report: VerifyReport
        let expected = expectHead.flatMap(HeadArgument.parse)
        let location = try ledger.location()
        do { report = try LedgerBackend.verify(location, expectedHead: expected) } catch { throw CLIFailure.ledger(error) }
        if output.json {
            var object = JSONObjectBuilder()
            object.add("ok", true)
            object.add("records", report.records)
            object.add("workspaces", report.workspaces)
            object.add("head_seq", report.headSeq)
            object.add("head_hash", report.headHash)
            object.add("head", "\(report.headSeq):\(report.headHash)")
            object.add("journal_bytes", report.journalBytes)
            object.add("torn_tail_bytes", report.tornTail?.length)
            if report.olderTextCommits > 0 { object.add("older_text_commits", report.olderTextCommits) }
            Console.print(object.value.text)
            return
        }
        Console.print("ok: \(report.records) record\(report.records == 1 ? "" : "s"), \(report.workspaces) workspace\(report.workspaces == 1 ? "" : "s"), chain intact, rules replayed")
        Console.print("head \(report.headSeq):\(report.headHash)")
        if let tail = report.tornTail {
            Console.print("note: \(CountText.count(tail.length, "byte")) of a half-written record after seq \(tail.afterSeq); the next write cuts them back")
        }
        if report.olderTextCommits > 0 {
            Console.print("note: \(CountText.count(report.olderTextCommits, "commit")) \(report.olderTextCommits == 1 ? "holds" : "hold") text that today's input rules refuse (from an older version); shown as \u{FFFD}; every other rule replayed")
        }
    }
}

/// Reads `--expect-head SEQ:HASH`.
enum HeadArgument {
    /// `12:<64 lowercase hex>` → (12, hash); nil for anything else.
    static func parse(_ text: String) -> (seq: Int64, hash: String)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let seq = Int64(parts[0]), seq >= 1 else { return nil }
        let hash = parts[1].lowercased()
        guard hash.utf8.count == 64, hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        return (seq, hash)
    }
}
