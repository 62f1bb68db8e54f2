import Foundation
@testable import LedgerStore
import CreditKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Many files made durable at once: every descriptor is synced, a failure names the first one
/// that failed, and a batch of alerts larger than the open-file chunk all reach `new/`.
@Suite struct ConcurrentSyncTests {
    /// `count` files in `root`, open for writing, each holding a line.
    private func openFiles(_ root: String, count: Int) -> [Int32] {
        (0..<count).map { index in
            let descriptor = open(root + "/f\(index)", O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
            _ = write(descriptor, "line \(index)\n", 7)
            return descriptor
        }
    }

    @Test func everyDescriptorIsSyncedAndNoneFails() throws {
        try withTemporaryDirectory { root in
            let descriptors = openFiles(root, count: 40)
            defer { for descriptor in descriptors { close(descriptor) } }
            #expect(descriptors.allSatisfy { $0 >= 0 })
            #expect(ConcurrentSync.fsyncAll(descriptors) == nil)
            #expect(ConcurrentSync.fsyncAll(Array(descriptors.prefix(1))) == nil)
            #expect(ConcurrentSync.fsyncAll([]) == nil)
        }
    }

    @Test func theFirstFailureIsReportedWithItsIndexAndErrno() throws {
        try withTemporaryDirectory { root in
            var descriptors = openFiles(root, count: 40)
            defer { for descriptor in descriptors where descriptor >= 0 { close(descriptor) } }
            // Two descriptors that are not open, in different lanes: the lower index is named.
            descriptors[29] = -1
            descriptors[13] = -1
            let failure = try #require(ConcurrentSync.fsyncAll(descriptors))
            #expect(failure.index == 13)
            #expect(failure.errno == EBADF)
            #expect(ConcurrentSync.fsyncAll([-1])?.errno == EBADF)
        }
    }

    @Test("R24: a batch that raises more alerts than are staged at once delivers every one to new/ and leaves tmp/ empty")
    func aBatchOfManyAlertsIsDeliveredWhole() throws {
        try withTemporaryDirectory { root in
            let script = try LedgerScript(creating: root + "/ledger")
            let count = OutboxFolders.openFilesMax + 20
            var setup: [(Command, CommandContext)] = []
            for index in 0..<count {
                let id = "ws-\(index)"
                setup.append((.createWorkspace(id: id, name: "W \(index)", owner: Fixture.owner, plan: "pro", trial: false),
                              CommandContext(actor: Fixture.support, time: Fixture.time(minute: 1))))
                setup.append((.adjust(workspace: id, amount: 14, reason: "seed"), CommandContext(actor: Fixture.support, time: Fixture.time(minute: 1))))
            }
            var pending = setup.makeIterator()
            _ = try script.ledger.submitBatch(limit: setup.count) { _ in pending.next() }
            var charges = (0..<count).map { index -> (Command, CommandContext) in
                (.charge(workspace: "ws-\(index)", action: "ai_graphic", job: "job-\(index)"),
                 CommandContext(actor: Fixture.owner, time: Fixture.time(minute: 2)))
            }.makeIterator()
            let outcomes = try script.ledger.submitBatch(limit: count) { _ in charges.next() }
            let alerts = outcomes.reduce(0) { total, outcome in
                if case .recorded(_, let alerts) = outcome { return total + alerts.count } else { return total }
            }
            #expect(alerts == count)
            let outbox = script.ledger.paths.outbox
            #expect(try FileManager.default.contentsOfDirectory(atPath: outbox + "/new").count == count)
            #expect(try FileManager.default.contentsOfDirectory(atPath: outbox + "/tmp").isEmpty)
        }
    }
}
