import ConsoleUI

/// A terminal for tests of the loop, like ratatui's `TestBackend`: inputs are scripted at test
/// times, a read that finds none due lets the `TestClock` run on by its timeout, and every frame
/// drawn is kept as text.
public final class TestBackend: TerminalBackend {
    /// The terminal's size in cells; a test changes it to resize.
    public var size: Size
    /// A signal the loop should stop for (SIGTERM, SIGHUP), 0 for none.
    public var stopSignal: Int32 = 0
    /// Each frame drawn, as text, in order.
    public private(set) var frames: [String] = []
    /// Texts put on the clipboard.
    public private(set) var copied: [String] = []
    /// How many times the loop suspended (Ctrl-Z).
    public private(set) var suspends = 0
    /// Inputs still to come, each at a test time in milliseconds.
    private var script: [(at: Int64, input: TerminalInput)] = []
    private let clock: TestClock

    public init(size: Size = Size(width: 80, height: 24), clock: TestClock) {
        self.size = size
        self.clock = clock
    }

    /// Schedules `input` at test time `at` (milliseconds of `clock`); inputs keep their order.
    public func schedule(_ input: TerminalInput, at time: Int64) {
        script.append((time, input))
        script.sort { $0.at < $1.at }
    }

    /// The last frame drawn, as text (empty before the first).
    public var screen: String { frames.last ?? "" }

    /// The next scripted input due within `milliseconds`, the clock moved to it; else nil with the clock moved by the timeout.
    public func read(timeout milliseconds: Int32) -> TerminalInput? {
        let wait = milliseconds < 0 ? Int64.max / 2 : Int64(milliseconds)
        if let next = script.first, next.at <= clock.now + wait {
            script.removeFirst()
            clock.advance(to: next.at)
            return next.input
        }
        // Nothing due: the wait runs out (a blocking read with nothing scripted would never return).
        precondition(milliseconds >= 0 || !script.isEmpty, "a blocking read with no input scripted")
        clock.advance(by: wait)
        return nil
    }

    /// Keeps the frame as text.
    public func draw(_ grid: Grid) { frames.append(grid.text) }
    /// Counts the suspend.
    public func suspend() { suspends += 1 }
    /// Keeps the text copied.
    public func copyToClipboard(_ text: String) { copied.append(text) }
}
