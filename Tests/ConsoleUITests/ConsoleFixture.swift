import Foundation
import Testing
import CreditKit
import LedgerCore
@testable import ConsoleUI

/// The package root, found from this file, for the shipped catalog, themes and snapshots.
enum PackageFiles {
    static let root: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder }
            folder = folder.deletingLastPathComponent()
        }
        fatalError("no Package.swift above \(#filePath)")
    }()

    static let konfiwear: Catalog = {
        let url = root.appendingPathComponent("Data/catalogs/konfiwear.json")
        do { return try JSONDecoder().decode(Catalog.self, from: Data(contentsOf: url)) } catch { fatalError("\(error)") }
    }()

    static func theme(_ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("Themes/\(name).theme"), encoding: .utf8)
    }
}

/// A small ledger built through the engine (maria support; acme owned by sam with member lee;
/// bright owned by kim, nearly empty; corner in trial), with its journal kept so the driver can
/// answer history reads the way the file ledger does.
struct ConsoleFixture {
    var state: LedgerState
    var journal: [Entry] = []
    var clock = Timestamp(iso8601: "2026-01-10T09:00:00Z")!

    init(extraWorkspaces: Int = 0) {
        state = LedgerState(catalog: PackageFiles.konfiwear)
        var initial = Entry(seq: 1, time: Timestamp(iso8601: "2025-12-01T09:00:00Z")!, kind: .initialize, actor: "maria")
        initial.catalog = "konfiwear"
        try! state.apply(initial)
        journal.append(initial)
        clock = Timestamp(iso8601: "2025-12-01T10:00:00Z")!
        run(.createWorkspace(id: "acme", name: "Acme Tees", owner: "sam", plan: "pro", trial: false), as: "maria")
        run(.addMember(workspace: "acme", member: "lee"), as: "sam")
        run(.invoicePaid(workspace: "acme", invoice: "inv-1"), as: "maria")
        run(.topUp(workspace: "acme", pack: "topup_100"), as: "sam")
        clock = Timestamp(iso8601: "2026-01-02T08:00:00Z")!
        for index in 1...40 {
            tick(hours: 3)
            run(.charge(workspace: "acme", action: index % 3 == 0 ? "print_file" : "ai_graphic", job: "j-\(index)"),
                as: index % 2 == 0 ? "lee" : "sam")
        }
        run(.jobFailed(workspace: "acme", job: "j-40"), as: "lee")
        run(.adjust(workspace: "acme", amount: 25, reason: "print job billed twice"), as: "maria")
        run(.createWorkspace(id: "bright", name: "Bright Tees Club", owner: "kim", plan: "starter", trial: false), as: "maria")
        run(.addMember(workspace: "bright", member: "ivy"), as: "kim")
        run(.adjust(workspace: "bright", amount: 8, reason: "welcome credits"), as: "maria")
        run(.createWorkspace(id: "corner", name: "Corner Print", owner: "sam", plan: "pro", trial: true), as: "maria")
        run(.topUp(workspace: "corner", pack: "topup_50"), as: "sam")
        for index in 0..<extraWorkspaces {
            run(.createWorkspace(id: "ws-\(index)", name: "Workspace \(index)", owner: "o\(index)", plan: "pro", trial: false), as: "maria")
        }
        clock = Timestamp(iso8601: "2026-01-10T09:00:00Z")!
    }

    mutating func tick(hours: Int64) { clock = Timestamp(secondsSinceEpoch: clock.secondsSinceEpoch + hours * 3600) }

    /// Decides and folds a command; returns what the ledger would say.
    @discardableResult
    mutating func run(_ command: Command, as actor: String) -> Result<SubmitOutcome, LedgerError> {
        var facts: ReversalFacts?
        if case let .reverse(_, seq, _) = command {
            facts = ReversalFacts(original: journal.first { $0.seq == seq }, reversedBy: journal.first { $0.reverses == seq }?.seq)
        }
        switch Engine.decide(command, in: state, context: CommandContext(actor: actor, time: clock), reversal: facts) {
        case .success(.append(let entries)):
            var written: [Entry] = []
            for var entry in entries {
                entry.hash = String(repeating: "ab", count: 32)
                written.append(entry)
            }
            try! state.apply(written)
            journal.append(contentsOf: written)
            return .success(.recorded(written, alerts: []))
        case .success(.alreadyRecorded(let why)): return .success(.alreadyRecorded(why, original: nil))
        case .success(.nothingToRecord(let why)): return .success(.nothingToRecord(why))
        case .failure(let rejection): return .success(.rejected(rejection))
        }
    }

    /// An activity read, as the file ledger answers it, with a record's index in the journal
    /// standing for its byte offset.
    func activity(_ request: ActivityRequest) -> ActivityPage {
        var index = Int(request.before ?? Int64(journal.count))
        var entries: [Entry] = []
        var reachedEnd = false
        var oldest: Timestamp?
        while index > 0, entries.count < request.count {
            let entry = journal[index - 1]
            if let newer = request.newerThan, entry.seq <= newer { reachedEnd = true; break }
            if let since = request.filter.since, entry.time < since { reachedEnd = true; break }
            oldest = entry.time
            if request.filter.matches(entry, catalog: state.catalog) { entries.append(entry) }
            index -= 1
        }
        return ActivityPage(request: request, entries: entries, nextOffset: Int64(index), reachedEnd: reachedEnd || index == 0,
                            oldestTimeRead: oldest, headSeq: state.lastSeq)
    }

    /// A workspace's credit entries, newest first.
    func history(_ workspace: String) -> [Entry] {
        journal.filter { $0.workspace == workspace && $0.showsInHistory }.reversed()
    }
}

/// Plays the run loop without a terminal: sends actions to `reduce` and performs its effects
/// against the fixture, so a whole flow can be driven by keys and checked.
struct Driver {
    var fixture: ConsoleFixture
    var state: ConsoleState
    var effects: [Effect] = []
    var quit = false
    /// How many times the console asked for the demo to be put back.
    var demoResets = 0
    /// How many times the console asked to be suspended (Ctrl-Z).
    var suspends = 0
    /// Exports asked for, and the file names the fake disk already holds.
    var exports: [ExportRequest] = []
    var existingFiles: Set<String> = []
    let actor: String

    init(as actor: String = "maria", size: Size = Size(width: 80, height: 24), fixture: ConsoleFixture = ConsoleFixture(),
         ascii: Bool = false, warnings: [String] = [], demo: Bool = false, kiosk: Bool = false) {
        self.fixture = fixture
        self.actor = actor
        let session = Session(actor: actor, ledgerLabel: "konfiwear", demo: demo, glyphs: Glyphs(ascii: ascii), kiosk: kiosk)
        let (initial, effects) = ConsoleState.initial(ledger: fixture.state, session: session, now: fixture.clock,
                                                      size: size, warnings: warnings)
        state = initial
        perform(effects)
    }

    mutating func send(_ action: ConsoleAction) {
        let (next, produced) = reduce(state, action)
        state = next
        effects += produced
        perform(produced)
    }

    /// Sends keys; a string sends each of its characters.
    mutating func keys(_ keys: Key...) { for key in keys { send(.key(key)) } }
    mutating func type(_ text: String) { for character in text { send(.key(.character(character))) } }

    mutating func perform(_ list: [Effect]) {
        for effect in list {
            switch effect {
            case .quit: quit = true
            case .suspend:
                suspends += 1
            case .resetDemo:
                demoResets += 1
                send(.demoReset(fixture.state, summaries: fixture.state.workspaces.values.map(WorkspaceSummary.init), now: fixture.clock))
            case .submit(let command):
                let result = fixture.run(command, as: actor)
                send(.wrote(command, result, ledger: fixture.state, warnings: []))
            case .loadHistory(let request):
                // S3: expiries due by the console's clock and not yet written lead, as the run loop reads them.
                let due = (Engine.bringUp(request.workspace, in: fixture.state, to: state.now)?.expiries ?? []).reversed()
                var all = Array(due) + fixture.history(request.workspace)
                if let kind = request.kind { all = all.filter { $0.kind == kind } }
                if !request.search.isEmpty {
                    all = all.filter { $0.matchesHistorySearch(request.search, catalog: fixture.state.catalog) }
                }
                let start = min(request.start, all.count)
                send(.historyLoaded(HistoryPage(request: request, total: all.count,
                                                entries: Array(all[start..<min(all.count, start + request.count)]))))
            case .loadWorkspace:
                send(.ledgerChanged(fixture.state))
            case .loadActivity(let request):
                send(.activityLoaded(fixture.activity(request)))
            case .copy, .abandonWrite: break
            case .export(let request):
                exports.append(request)
                let exists = existingFiles.contains(request.path) && !request.overwrite
                send(.exported(request, exists ? .exists(path: request.path) : .written(path: request.path, entries: 3)))
            case let .findReversal(workspace, seq):
                send(.reversalFound(seq: seq, facts: ReversalFacts.find(seq, workspace: workspace, in: fixture.journal)))
            case let .loadChartEntries(workspace, since):
                var picked: [Entry] = []
                for entry in fixture.history(workspace) {
                    picked.append(entry)
                    if entry.time < since { break }
                }
                send(.chartEntriesLoaded(workspace: workspace, entries: picked))
            case let .loadMemberSpend(workspace, asOf):
                var tally = MemberSpendTally(monthOf: asOf)
                for entry in fixture.history(workspace) { guard tally.take(entry) else { break } }
                send(.memberSpendLoaded(workspace: workspace, spend: tally.spend))
            }
        }
    }

    /// The screen as text at the state's size.
    var screen: String { render(state, size: state.size).text }
}
