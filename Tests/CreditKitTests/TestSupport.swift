import Foundation
import Testing
@testable import CreditKit

/// The shipped catalogs, decoded from `Data/catalogs/*.json` so the tests check the real data.
enum Catalogs {
    /// The package root: the nearest folder above this file that holds `Package.swift`.
    static let packageRoot: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder }
            folder = folder.deletingLastPathComponent()
        }
        fatalError("no Package.swift above \(#filePath)")
    }()

    static func url(_ name: String) -> URL {
        packageRoot.appendingPathComponent("Data/catalogs/\(name).json")
    }

    static func load(_ name: String) throws -> Catalog {
        try JSONDecoder().decode(Catalog.self, from: Data(contentsOf: url(name)))
    }

    static let konfiwear: Catalog = {
        do { return try load("konfiwear") } catch { fatalError("cannot load konfiwear catalog: \(error)") }
    }()

    static let sofia: Catalog = {
        do { return try load("sofia") } catch { fatalError("cannot load sofia catalog: \(error)") }
    }()
}

/// The people of the standard fixture.
enum People {
    static let support = "maria"
    static let owner = "olga"
    static let member = "mo"
    static let stranger = "zed"
}

/// `2026-03-01T09:00:00Z`, when every fixture ledger begins.
let startTime = Timestamp(iso8601: "2026-03-01T09:00:00Z")!

/// Drives the engine the way the ledger does: decide against the current state, then fold the
/// appended entries in. Keeps the journal it wrote so tests can read and replay it.
struct Harness {
    var state: LedgerState
    var clock: Timestamp
    var journal: [Entry] = []

    /// A ledger initialized by `maria`, who is thereby its first support agent.
    init(catalog: Catalog = Catalogs.konfiwear, start: Timestamp = startTime) {
        state = LedgerState(catalog: catalog)
        clock = start
        var initial = Entry(seq: 1, time: start, kind: .initialize, actor: People.support)
        initial.catalog = catalog.id
        do { try state.apply(initial) } catch { Issue.record("init does not fold: \(error)") }
        journal.append(initial)
    }

    /// The standard fixture: workspace `acme` owned by `olga` with member `mo`.
    static func acme(catalog: Catalog = Catalogs.konfiwear, plan: String = "pro", trial: Bool = false) -> Harness {
        var harness = Harness(catalog: catalog)
        harness.append(.createWorkspace(id: "acme", name: "Acme Apparel", owner: People.owner, plan: plan, trial: trial),
                       as: People.support)
        harness.append(.addMember(workspace: "acme", member: People.member), as: People.owner)
        return harness
    }

    /// Decides `command` for `actor` at the harness clock and folds any appended entries.
    @discardableResult
    mutating func run(_ command: Command, as actor: String, reversal: ReversalFacts? = nil) -> Result<Decision, Rejection> {
        let result = Engine.decide(command, in: state, context: CommandContext(actor: actor, time: clock), reversal: reversal)
        if case .success(.append(let entries)) = result {
            do { try state.apply(entries) } catch { Issue.record("engine entries do not fold: \(error)") }
            journal.append(contentsOf: entries)
        }
        return result
    }

    /// Runs a command that must append entries, and returns them.
    @discardableResult
    mutating func append(_ command: Command, as actor: String,
                         sourceLocation: SourceLocation = #_sourceLocation) -> [Entry] {
        let result = run(command, as: actor)
        guard case .success(.append(let entries)) = result else {
            Issue.record("expected \(command) by \(actor) to append, got \(result)", sourceLocation: sourceLocation)
            return []
        }
        return entries
    }

    /// Runs a command that must be refused, checks nothing was written, and returns the refusal.
    mutating func reject(_ command: Command, as actor: String,
                         sourceLocation: SourceLocation = #_sourceLocation) -> Rejection? {
        let seqBefore = state.lastSeq, countBefore = journal.count
        let workspacesBefore = state.workspaces
        let result = run(command, as: actor)
        #expect(state.lastSeq == seqBefore, "a refusal must not write", sourceLocation: sourceLocation)
        #expect(journal.count == countBefore, "a refusal must not write", sourceLocation: sourceLocation)
        #expect(state.workspaces == workspacesBefore, "a refusal must not change state", sourceLocation: sourceLocation)
        guard case .failure(let rejection) = result else {
            Issue.record("expected \(command) by \(actor) to be refused, got \(result)", sourceLocation: sourceLocation)
            return nil
        }
        return rejection
    }

    /// Adds credits by a support adjustment, for setting up exact balances.
    mutating func fund(_ workspace: String = "acme", _ amount: Credits) {
        append(.adjust(workspace: workspace, amount: amount, reason: "test funding"), as: People.support)
    }

    mutating func advance(days: Int64) { clock = clock.adding(days: days) }
    mutating func advance(seconds: Int64) { clock = Timestamp(secondsSinceEpoch: clock.secondsSinceEpoch + seconds) }

    func ws(_ id: String = "acme") -> WorkspaceState {
        guard let workspace = state.workspaces[id] else { fatalError("no workspace \(id)") }
        return workspace
    }

    func balance(_ id: String = "acme") -> Credits { state.workspaces[id]?.balance ?? -1 }

    /// The credit entries of a workspace, in journal order.
    func creditEntries(_ id: String = "acme") -> [Entry] {
        journal.filter { $0.workspace == id && $0.kind.movesCredits }
    }

    func entries(_ id: String = "acme", kind: EntryKind) -> [Entry] {
        journal.filter { $0.workspace == id && $0.kind == kind }
    }

    /// The journal folded again into a fresh state.
    func replayed() throws -> LedgerState {
        var fresh = LedgerState(catalog: state.catalog)
        try fresh.apply(journal)
        return fresh
    }
}

/// SplitMix64: a small, seeded, reproducible generator for the property tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Catalog {
    func requiredPack(_ id: String) -> Pack {
        guard let found = pack(id) else { fatalError("no pack \(id) in \(self.id)") }
        return found
    }
}
