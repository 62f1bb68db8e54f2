import ConsoleUI
import CreditKit
import Foundation
import LedgerCore

/// The shipped demo ledgers (`Data/demo/`): what `demo.json` says they hold, how to build them
/// from it, and the scratch copy a demo runs on so the shipped files are never written.
struct DemoData {
    /// `Data/demo/demo.json`: the ledgers to build, each a seeded history with named workspaces.
    struct Spec: Decodable {
        var format: Int
        var ledgers: [LedgerSpec]
    }

    /// One demo ledger: its catalog, seed and clock, the generated part, and the named workspaces.
    struct LedgerSpec: Decodable {
        struct Generated: Decodable { var workspaces: Int; var entries: Int64 }
        var name: String
        var catalog: String
        var seed: UInt64
        var end: String
        var days: Int64
        var generated: Generated
        /// Who the visitor is in this demo (an owner of several named workspaces).
        var persona: String
        var workspaces: [WorkspaceSpec]
        /// R41: a rollover this demo's copy of the catalog gives one plan (the shipped catalogs have none).
        var rollover: RolloverOption?
    }

    /// R41: the plan whose unused credits carry over in this demo, up to `cap_credits`, for `valid_days`.
    struct RolloverOption: Decodable {
        var plan: String
        var cap_credits: Credits
        var valid_days: Int64
    }

    /// A named workspace, with dates counted back from the history's end.
    struct WorkspaceSpec: Decodable {
        struct Window: Decodable { var from_days_ago: Int64; var to_days_ago: Int64 }
        struct Promo: Decodable { var credits: Credits; var granted_days_ago: Int64; var expires_in_days: Int64; var reason: String }
        /// R35: a hold in flight at the history's end; its time to live in hours counts from then.
        struct Hold: Decodable { var action: String; var job: String; var ttl_hours: Int64 }
        /// R37: an auto top-up rule set at the history's end, and how many of its requests were paid.
        struct AutoTopUp: Decodable { var below: Credits; var pack: String; var monthly_cap_dollars: Int64; var payments: Int }
        /// R40: a member's monthly limit, set by the owner at the history's end.
        struct Limit: Decodable { var member: String; var credits: Credits }
        var id: String
        var name: String
        var owner: String
        var members: [String]
        var plan: String
        var trial: Bool?
        var habit: String
        var joined_days_ago: Int64
        var activity: Int64?
        var busy: Window?
        var cancelled_days_ago: Int64?
        var promo: Promo?
        var final_balance: Credits?
        var hold: Hold?
        var auto_topup: AutoTopUp?
        var member_limits: [Limit]?
    }

    /// The batch size of the build: the demo ledgers are small.
    static let buildBatch = 20_000
    /// Agent who creates the demo ledgers (the generator brings in the others).
    static let creator = "maria"

    let folder: String
    let spec: Spec

    /// Reads `demo.json` from the shipped data folder.
    static func load() throws(CLIFailure) -> DemoData {
        guard let data = RunEnvironment.dataDirectory() else {
            throw CLIFailure(status: 2, message: "cannot find the shipped demo data: set CREDITDESK_HOME to the folder that holds Data/")
        }
        let folder = data + "/demo"
        guard let bytes = FileManager.default.contents(atPath: folder + "/demo.json") else {
            throw CLIFailure(status: 2, message: "cannot read \(folder)/demo.json")
        }
        do {
            let spec = try JSONDecoder().decode(Spec.self, from: bytes)
            guard spec.format == 1 else { throw CLIFailure(status: 2, message: "\(folder)/demo.json: format \(spec.format) is not known to this version") }
            return DemoData(folder: folder, spec: spec)
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            throw CLIFailure(status: 2, message: "\(folder)/demo.json cannot be read: \(error)")
        }
    }

    /// `Data/demo/tour.json`: the attract tour's steps.
    struct TourFile: Decodable {
        struct Step: Decodable { var caption: String; var keys: [String]; var pause_ms: Int; var expect: String? }
        var format: Int
        var key_delay_ms: Int
        var steps: [Step]
    }

    /// The attract tour, as the console plays it.
    struct Tour {
        var steps: [TourStep]
        var keyDelay: Int
    }

    /// Reads the tour; an unknown key name is named with its step.
    func tour() throws(CLIFailure) -> Tour {
        let path = folder + "/tour.json"
        guard let bytes = FileManager.default.contents(atPath: path) else { throw CLIFailure(status: 2, message: "cannot read \(path)") }
        let file: TourFile
        do { file = try JSONDecoder().decode(TourFile.self, from: bytes) } catch {
            throw CLIFailure(status: 2, message: "\(path) cannot be read: \(error)")
        }
        guard file.format == 1, !file.steps.isEmpty else { throw CLIFailure(status: 2, message: "\(path): format 1 with at least one step is expected") }
        var steps: [TourStep] = []
        for (number, step) in file.steps.enumerated() {
            var keys: [Key] = []
            for name in step.keys {
                guard let key = Key(name: name) else { throw CLIFailure(status: 2, message: "\(path): step \(number + 1): unknown key \"\(name)\"") }
                keys.append(key)
            }
            steps.append(TourStep(caption: step.caption, keys: keys, pauseMilliseconds: step.pause_ms, expect: step.expect))
        }
        return Tour(steps: steps, keyDelay: file.key_delay_ms)
    }

    /// The spec of one demo ledger by name.
    func ledger(named name: String) throws(CLIFailure) -> LedgerSpec {
        guard let found = spec.ledgers.first(where: { $0.name == name }) else {
            throw .usage("no demo ledger \"\(name)\"; shipped: \(spec.ledgers.map(\.name).joined(separator: ", "))")
        }
        return found
    }

    /// Where a shipped demo ledger lives.
    func shippedDirectory(_ name: String) -> String { folder + "/" + name }

    /// Builds one demo ledger into an empty directory from its spec, through the ledger's own
    /// append path: the same spec always gives the same bytes.
    static func build(_ spec: LedgerSpec, into directory: String) throws(CLIFailure) {
        guard let end = Timestamp(iso8601: spec.end) else { throw .usage("demo \(spec.name): end \"\(spec.end)\" is not an ISO 8601 time") }
        let path = try RunEnvironment.catalogPath(spec.catalog)
        guard let shipped = FileManager.default.contents(atPath: path) else { throw CLIFailure(status: 2, message: "cannot read catalog \(path)") }
        let bytes = try spec.rollover.map { (option) throws(CLIFailure) in try catalog(shipped, with: option, in: spec.name) } ?? shipped
        let curated = try spec.workspaces.map { (workspace) throws(CLIFailure) in try curatedWorkspace(workspace, end: end) }
        do {
            let ledger = try LedgerBackend.create(.directory(directory), catalogBytes: Array(bytes), catalogSource: spec.catalog,
                                                  actor: creator, time: end.adding(days: -spec.days), clock: .real)
            var generator = HistoryGenerator(workspaces: spec.generated.workspaces, entries: spec.generated.entries, seed: spec.seed,
                                             end: end, creator: creator, spanDays: spec.days, curated: curated)
            while try !ledger.submitBatch(limit: buildBatch, readingOriginals: false, { state in generator.next(in: state) }).isEmpty {}
        } catch {
            throw CLIFailure.ledger(error)
        }
    }

    /// The catalog's bytes with a rollover option on one plan (R41), keys sorted so the same spec
    /// always gives the same bytes; the ledger validates the result as any catalog.
    static func catalog(_ bytes: Data, with option: RolloverOption, in name: String) throws(CLIFailure) -> Data {
        guard var catalog = (try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any],
              var plans = catalog["plans"] as? [[String: Any]],
              let index = plans.firstIndex(where: { $0["id"] as? String == option.plan }) else {
            throw .usage("demo \(name): rollover names plan \"\(option.plan)\", which its catalog does not have")
        }
        plans[index]["rollover"] = ["cap_credits": option.cap_credits, "valid_days": option.valid_days]
        catalog["plans"] = plans
        guard let out = try? JSONSerialization.data(withJSONObject: catalog, options: [.prettyPrinted, .sortedKeys]) else {
            throw CLIFailure(status: 2, message: "demo \(name): the catalog with its rollover cannot be written")
        }
        return out + Data("\n".utf8)
    }

    /// A named workspace of the spec as the generator takes it.
    static func curatedWorkspace(_ spec: WorkspaceSpec, end: Timestamp) throws(CLIFailure) -> CuratedWorkspace {
        guard let habit = HistoryGenerator.Habit(rawValue: spec.habit) else {
            throw .usage("demo workspace \(spec.id): habit \"\(spec.habit)\" is not tops-up-early, tops-up-late or never-tops-up")
        }
        let promo = spec.promo.map {
            CuratedWorkspace.Promo(credits: $0.credits, granted: end.adding(days: -$0.granted_days_ago),
                                   expires: end.adding(days: $0.expires_in_days), reason: $0.reason)
        }
        var curated = CuratedWorkspace(id: spec.id, name: spec.name, owner: spec.owner, members: spec.members, plan: spec.plan,
                                trial: spec.trial ?? false, habit: habit, joined: end.adding(days: -spec.joined_days_ago),
                                activity: spec.activity ?? 3,
                                busy: spec.busy.map { end.adding(days: -$0.from_days_ago)...end.adding(days: -$0.to_days_ago) },
                                cancelled: spec.cancelled_days_ago.map { end.adding(days: -$0) }, promo: promo,
                                finalBalance: spec.final_balance,
                                hold: spec.hold.map { .init(action: $0.action, job: $0.job, ttlSeconds: $0.ttl_hours * 3_600) })
        curated.autoTopUp = spec.auto_topup.map {
            .init(rule: AutoTopUpRule(threshold: $0.below, pack: $0.pack, targetBalance: nil, capCents: $0.monthly_cap_dollars * 100), payments: $0.payments)
        }
        curated.limits = (spec.member_limits ?? []).map { CuratedWorkspace.Limit(member: $0.member, credits: $0.credits) }
        return curated
    }
}

/// A demo ledger being shown: a scratch copy of the shipped files, which `reset` makes again.
final class DemoCopy {
    let shipped: String
    let scratch: String

    /// The scratch folders' common prefix under the temporary directory.
    static let prefix = "creditdesk-demo-"
    /// The file in a scratch folder naming the process that shows it.
    static let ownerFile = "owner.pid"

    /// Copies the shipped ledger into a new private folder under the temporary directory, after
    /// clearing the folders of demos whose process died without cleaning up (a stand runs for days).
    init(shipped: String) throws(CLIFailure) {
        self.shipped = shipped
        DemoCopy.removeAbandoned()
        var template = Array((NSTemporaryDirectory() + "/" + DemoCopy.prefix + "XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CLIFailure(status: 2, message: "cannot make a scratch folder for the demo") }
        let folder = String(cString: made)
        FileManager.default.createFile(atPath: folder + "/" + DemoCopy.ownerFile, contents: Data("\(getpid())\n".utf8))
        scratch = folder + "/ledger"
        try copy()
    }

    /// Removes scratch folders whose owning process is gone; folders without an owner file are left alone.
    static func removeAbandoned() {
        let temporary = NSTemporaryDirectory()
        let manager = FileManager.default
        for name in (try? manager.contentsOfDirectory(atPath: temporary)) ?? [] where name.hasPrefix(prefix) {
            let folder = (temporary as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: folder + "/" + ownerFile, encoding: .utf8),
                  let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? manager.removeItem(atPath: folder) }
        }
    }

    /// Throws away the scratch ledger and copies the shipped one again.
    func reset() throws(CLIFailure) {
        try? FileManager.default.removeItem(atPath: scratch)
        try copy()
    }

    /// Deletes the scratch folder.
    func remove() {
        try? FileManager.default.removeItem(atPath: (scratch as NSString).deletingLastPathComponent)
    }

    private func copy() throws(CLIFailure) {
        do {
            try LedgerBackend.copyDirectory(shipped, to: scratch)
        } catch {
            throw CLIFailure(status: 2, message: "cannot copy the demo ledger from \(shipped): \(error)")
        }
    }
}
