import ConsoleTerminal
import ConsoleUI
import CreditKit
import LedgerCore
import Foundation
import Testing

/// The console's loop without tmux: `TestBackend` scripts keys at test times and keeps every
/// frame, `TestClock` is the loop's one monotonic clock, and the host decides with the real
/// engine over a ledger held in memory, counting what it is asked to read.
@Suite struct ConsoleLoopTests {
    /// A ledger in memory behind `ConsoleHost`: maria (support), acme owned by sam with 8 credits.
    final class EngineHost: ConsoleHost {
        var state: LedgerState
        var journal: [Entry] = []
        let time = Timestamp(iso8601: "2026-01-10T09:00:00Z")!
        let clock: TestClock
        /// Test times (ms) of each poll, history read and write.
        var polls: [Int64] = []
        var historyReads: [Int64] = []
        var writes: [Int64] = []

        init(clock: TestClock) throws {
            self.clock = clock
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let catalog = try JSONDecoder().decode(Catalog.self, from: Data(contentsOf: root.appendingPathComponent("Data/catalogs/konfiwear.json")))
            state = LedgerState(catalog: catalog)
            var initial = Entry(seq: 1, time: time, kind: .initialize, actor: "maria")
            initial.catalog = catalog.id
            try state.apply(initial)
            journal.append(initial)
            _ = record(.createWorkspace(id: "acme", name: "Acme Tees", owner: "sam", plan: "pro", trial: false), as: "maria")
            _ = record(.adjust(workspace: "acme", amount: 8, reason: "welcome credits"), as: "maria")
        }

        func record(_ command: Command, as actor: String) -> Result<SubmitOutcome, LedgerError> {
            switch Engine.decide(command, in: state, context: CommandContext(actor: actor, time: time)) {
            case .success(.append(let entries)):
                try! state.apply(entries)
                journal += entries
                return .success(.recorded(entries, alerts: []))
            case .success(.alreadyRecorded(let why)): return .success(.alreadyRecorded(why, original: nil))
            case .success(.nothingToRecord(let why)): return .success(.nothingToRecord(why))
            case .failure(let rejection): return .success(.rejected(rejection))
            }
        }

        func perform(_ effect: Effect, in console: ConsoleState) -> [ConsoleAction] {
            switch effect {
            case .submit(let command):
                writes.append(clock.now)
                if lockHeld {
                    // Another desk holds the lock: wait until the person gives up.
                    released.wait()
                    return [.wrote(command, .failure(.lockWaitAbandoned), ledger: state, warnings: [])]
                }
                return [.wrote(command, record(command, as: console.session.actor), ledger: state, warnings: [])]
            case .loadHistory(let request):
                historyReads.append(clock.now)
                let all = Array(journal.filter { $0.workspace == request.workspace && $0.showsInHistory }.reversed())
                let start = min(request.start, all.count)
                return [.historyLoaded(HistoryPage(request: request, total: all.count,
                                                   entries: Array(all[start..<min(all.count, start + request.count)])))]
            case let .loadMemberSpend(workspace, asOf):
                var tally = MemberSpendTally(monthOf: asOf)
                for entry in journal.reversed() where entry.workspace == workspace && entry.showsInHistory {
                    guard tally.take(entry) else { break }
                }
                return [.memberSpendLoaded(workspace: workspace, spend: tally.spend)]
            case .loadWorkspace: return [.ledgerChanged(state)]
            default: return []
            }
        }

        func poll(_ console: ConsoleState) -> [ConsoleAction] {
            polls.append(clock.now)
            return state.lastSeq == console.seenSeq ? [] : [.ledgerChanged(state)]
        }

        func now() -> Timestamp? { nil }

        /// How often the loop asks (a host over a ledger that announces commits asks more often).
        var pollMilliseconds: Int64 = ConsoleLoop.pollMilliseconds

        /// When set, a write waits for another desk's lock until `abandonWrite` (or forever).
        var lockHeld = false
        let released = DispatchSemaphore(value: 0)
        var abandonCalls = 0

        func abandonWrite() {
            abandonCalls += 1
            released.signal()
        }
    }

    /// A loop on a fresh host for `actor`, at 80x24.
    static func loop(as actor: String) throws -> (ConsoleLoop, TestBackend, EngineHost, TestClock) {
        let clock = TestClock()
        let backend = TestBackend(clock: clock)
        let host = try EngineHost(clock: clock)
        let session = Session(actor: actor, ledgerLabel: "konfiwear", demo: false, glyphs: Glyphs(ascii: false))
        let (initial, effects) = ConsoleState.initial(ledger: host.state, session: session, now: host.time, size: backend.size)
        let loop = ConsoleLoop(state: initial, effects: effects, backend: backend, clock: clock, host: host)
        return (loop, backend, host, clock)
    }

    @Test("the live refresh reads the journal every 500 ms of the loop's clock, and not before")
    func liveRefreshFiresEveryPollInterval() throws {
        let (loop, backend, host, _) = try Self.loop(as: "maria")
        backend.schedule(.key(.control("c")), at: 1_250)
        loop.run()
        #expect(host.polls == [500, 1_000])
        #expect(backend.frames.count == 3, "one frame to start, one after each poll")
    }

    @Test("a host that hears commits (PostgreSQL) sets the pace: the loop asks it every 200 ms instead of 500")
    func aListeningHostSetsThePace() throws {
        let (loop, backend, host, _) = try Self.loop(as: "maria")
        host.pollMilliseconds = 200
        backend.schedule(.key(.control("c")), at: 1_050)
        loop.run()
        #expect(host.polls == [200, 400, 600, 800, 1_000])
    }

    @Test("a key produces exactly one frame, drawn at once, not at the next poll")
    func aKeyProducesExactlyOneFrame() throws {
        let (loop, backend, host, _) = try Self.loop(as: "maria")
        backend.schedule(.key(.character("s")), at: 100)
        backend.schedule(.key(.control("c")), at: 300)
        loop.run()
        #expect(host.polls.isEmpty)
        #expect(backend.frames.count == 2)
        #expect(backend.frames[1].contains("sorted by workspace ▼"))
    }

    @Test("another desk's write is on screen within one poll")
    func anotherDesksWriteShowsWithinAPoll() throws {
        let (loop, backend, host, _) = try Self.loop(as: "maria")
        backend.schedule(.key(.control("c")), at: 900)
        _ = host.record(.adjust(workspace: "acme", amount: 12, reason: "other desk"), as: "maria")
        loop.run()
        #expect(host.polls == [500])
        #expect(backend.frames.first?.contains(" 8 ") == true)
        #expect(backend.screen.contains("20"), "\(backend.screen)")
    }

    @Test("R23: y on a purchase writes once, reads the history page once, and draws one frame")
    func R23_purchaseYReadsTheHistoryOnce() throws {
        let (loop, backend, host, _) = try Self.loop(as: "sam")
        backend.schedule(.key(.character("t")), at: 10)
        backend.schedule(.key(.enter), at: 20)
        backend.schedule(.key(.character("y")), at: 30)
        backend.schedule(.key(.control("c")), at: 40)
        loop.run()
        #expect(host.writes == [30])
        #expect(host.historyReads.filter { $0 == 30 }.count == 1, "\(host.historyReads)")
        #expect(backend.frames.count == 4, "the first frame and one per key")
        #expect(backend.screen.contains("Bought topup_50"), "\(backend.screen)")
    }

    @Test("a write that waits for the lock leaves the keys alive: the screen says it waits, Esc gives up and nothing is written")
    func aWaitingWriteShowsItAndEscGivesUp() throws {
        let (loop, backend, host, _) = try Self.loop(as: "sam")
        host.lockHeld = true
        let seqBefore = host.state.lastSeq
        backend.schedule(.key(.character("t")), at: 10)
        backend.schedule(.key(.enter), at: 20)
        backend.schedule(.key(.character("y")), at: 30)
        backend.schedule(.key(.character("j")), at: 200)
        backend.schedule(.key(.escape), at: 400)
        backend.schedule(.key(.control("c")), at: 5_000)
        loop.run()
        #expect(backend.frames.contains { $0.contains("waiting for the ledger's lock") && $0.contains("Esc gives up") })
        #expect(backend.frames.contains { $0.contains("still waiting for the ledger's lock") }, "a key while waiting says so")
        #expect(host.abandonCalls >= 1)
        #expect(host.state.lastSeq == seqBefore, "nothing was written")
        #expect(loop.state.writeUnderWay == nil)
        #expect(loop.state.flash?.text == "gave up waiting for the ledger's lock: nothing was written")
    }
}
