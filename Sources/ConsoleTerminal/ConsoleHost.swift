import ConsoleUI
import CreditKit

/// The side of the console that holds the ledger and the world: it performs the effects that
/// read or write them and answers each with actions; the loop does the rest. The executable's
/// host is the file ledger; a test's can be anything that keeps the contract.
public protocol ConsoleHost: AnyObject {
    /// Performs one effect that needs the ledger (a read, a write, an export, the demo reset)
    /// against `state` as it is now, and returns the actions that answer it, in order.
    func perform(_ effect: Effect, in state: ConsoleState) -> [ConsoleAction]
    /// Reads what other desks appended; the actions to dispatch (`.refreshed` at the least).
    func poll(_ state: ConsoleState) -> [ConsoleAction]
    /// How often the loop calls `poll`, in milliseconds (`ConsoleLoop.pollMilliseconds` unless
    /// the host says otherwise: a ledger that announces commits is looked at more often, cheaply).
    var pollMilliseconds: Int64 { get }
    /// The ledger's clock now when it moves with real time; nil for a fixed (test) clock.
    func now() -> Timestamp?
    /// Called on the loop's thread while `perform(.submit)` runs on a worker: the write gives
    /// up if it is still waiting for the lock (answering `.abandoned`), else it finishes.
    func abandonWrite()
}

extension ConsoleHost {
    public var pollMilliseconds: Int64 { ConsoleLoop.pollMilliseconds }
}

/// The attract tour's settings: its steps, pace, and how long the console waits idle first.
public struct AttractMode: Sendable {
    /// The tour's steps, played in order.
    public var steps: [TourStep]
    /// Milliseconds between the keys a step types.
    public var keyDelay: Int
    /// How much faster (above 1) or slower the tour plays than written.
    public var pace: Double
    /// How long the console stays idle before the tour starts, in milliseconds.
    public var idleMilliseconds: Int64
    /// The least idle time before the tour takes the keys back from a person.
    public static let resumeFloor: Int64 = 10_000

    public init(steps: [TourStep], keyDelay: Int, pace: Double, idleMilliseconds: Int64) {
        self.steps = steps; self.keyDelay = keyDelay; self.pace = pace; self.idleMilliseconds = idleMilliseconds
    }
}

/// Microseconds each frame took to render to a Grid and to draw, kept when asked (the benchmark).
public struct FrameTimings: Sendable {
    /// Microseconds each frame took to render to a Grid.
    public var renderMicros: [Double] = []
    /// Microseconds each frame took to draw on the terminal.
    public var drawMicros: [Double] = []
    /// Render times of the Workspace screen alone (its history is the long list).
    public var historyRenderMicros: [Double] = []
}
