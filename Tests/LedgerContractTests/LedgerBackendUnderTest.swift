import CreditKit
import Foundation
import LedgerCore
import LedgerStore

/// One ledger backend the contract suite runs against: how to make a fresh ledger of it, and
/// how to put it away. A new backend (PostgreSQL) is one more entry in `all`.
struct LedgerBackendUnderTest: CustomStringConvertible, Sendable {
    let description: String
    /// Makes a new, empty ledger priced by the konfiwear catalog, `alice` its support agent.
    let make: @Sendable (_ catalogBytes: [UInt8], _ time: Timestamp) throws -> (ledger: any Ledger, cleanup: @Sendable () -> Void)

    static let all: [LedgerBackendUnderTest] = [.file, .memory] + (postgresURL == nil ? [] : [.postgres])

    /// LedgerStore's `FileLedger` in a fresh temporary directory.
    static let file = LedgerBackendUnderTest(description: "file") { bytes, time in
        let directory = NSTemporaryDirectory() + "ledger-contract-" + UUID().uuidString
        let ledger = try FileLedger.create(directory: directory, catalogBytes: bytes, catalogSource: "konfiwear.json",
                                           actor: Contract.support, time: time)
        return (ledger, { try? FileManager.default.removeItem(atPath: directory) })
    }

    /// LedgerCore's `MemoryLedger`.
    static let memory = LedgerBackendUnderTest(description: "memory") { bytes, time in
        let catalog = try CatalogLoader.decode(bytes, source: "konfiwear.json", checkingText: true)
        let ledger = try MemoryLedger.create(catalog: catalog, catalogBytes: bytes, actor: Contract.support, time: time)
        return (ledger, {})
    }
}

/// The people, catalog and clock of the contract's scenarios.
enum Contract {
    static let support = "alice"
    static let owner = "bob"
    static let member = "carol"
    /// 2026-11-22T05:30:00Z, the ledger's creation.
    static let epoch = Timestamp(iso8601: "2026-11-22T05:30:00Z")!

    /// The shipped konfiwear catalog's bytes, found from this file: Tests/LedgerContractTests/<file>.
    static func catalogBytes() throws -> [UInt8] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return [UInt8](try Data(contentsOf: root.appendingPathComponent("Data/catalogs/konfiwear.json")))
    }
}

/// A ledger of one backend and a clock that moves one minute per command.
final class ContractScript {
    let ledger: any Ledger
    private let cleanup: @Sendable () -> Void
    private var minute: Int64 = 0

    init(_ backend: LedgerBackendUnderTest) throws {
        (ledger, cleanup) = try backend.make(try Contract.catalogBytes(), Contract.epoch)
    }

    /// A ledger of `backend` on the catalog file `catalogBytes`.
    init(_ backend: LedgerBackendUnderTest, catalogBytes: [UInt8]) throws {
        (ledger, cleanup) = try backend.make(catalogBytes, Contract.epoch)
    }

    deinit { cleanup() }

    /// Lets `minutes` pass before the next command.
    func advance(minutes: Int64) { minute += minutes }

    /// Submits `command` as `actor`, a minute after the last.
    @discardableResult
    func submit(_ command: Command, as actor: String) throws -> SubmitOutcome {
        minute += 1
        let time = Timestamp(secondsSinceEpoch: Contract.epoch.secondsSinceEpoch + minute * 60)
        return try ledger.submit(command, context: CommandContext(actor: actor, time: time))
    }

    /// Submits `command` and requires it recorded; returns its entries.
    @discardableResult
    func record(_ command: Command, as actor: String) throws -> [Entry] {
        let outcome = try submit(command, as: actor)
        guard case .recorded(let entries, _) = outcome else { throw ContractFailure("\(command) was not recorded: \(outcome)") }
        return entries
    }

    /// `acme` on the pro plan, owned by bob, with carol as a member.
    func createAcme(plan: String = "pro", trial: Bool = false) throws {
        try record(.createWorkspace(id: "acme", name: "Acme Tees", owner: Contract.owner, plan: plan, trial: trial), as: Contract.support)
        try record(.addMember(workspace: "acme", member: Contract.member), as: Contract.owner)
    }

    var balance: Credits? { ledger.state.workspaces["acme"]?.balance }

    /// Every record through the export stream, oldest first.
    func everything() throws -> [Entry] {
        var all: [Entry] = []
        try ledger.forEachEntry { all.append($0) }
        return all
    }
}

struct ContractFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
