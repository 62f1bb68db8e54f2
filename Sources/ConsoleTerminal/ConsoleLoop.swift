import ConsoleUI
import CreditKit
import Dispatch

/// The console's loop: turns keys, mouse, resize, time and the journal's growth into actions,
/// reduces them, performs the effects that concern the terminal and hands the rest to the host,
/// and draws one frame per pass. Paced by one injected monotonic clock, so a test with
/// `TestBackend` and `TestClock` controls every wait.
public final class ConsoleLoop {
    /// How often the host reads the journal for other desks' writes, unless it says otherwise.
    public static let pollMilliseconds: Int64 = 500

    /// The console's state after the last action.
    public private(set) var state: ConsoleState
    /// Frame timings, when the loop was asked to measure them.
    public private(set) var timings: FrameTimings?
    private let backend: TerminalBackend
    private let clock: MonotonicClock
    private let host: ConsoleHost
    private let attract: AttractMode?
    private var quitting = false
    /// Activity reads asked for, performed one per frame: each walks back a bounded stretch of
    /// the journal, so a narrow filter on a long ledger never holds up a key.
    private var activityReads: [ActivityRequest] = []
    /// The tour while it plays; nil while a person has the keys.
    private var tour: TourPlayer?
    /// When a person last pressed a key or used the mouse (clock milliseconds).
    private var lastInput: Int64
    /// Whether a person has pressed anything yet: after that the tour waits at least
    /// `AttractMode.resumeFloor`, so even `--idle 0` leaves a visitor time to look.
    private var touched = false
    private var lastPoll: Int64
    /// The write under way on a worker thread, once it took longer than `writeQuietMilliseconds`.
    private var write: WriteInFlight?
    /// Effects for the host that wait until the write under way has answered.
    private var deferred: [Effect] = []
    /// How long a write may take before the screen says it is waiting and keys are read again.
    public static let writeQuietMilliseconds = 100
    /// The longest a read waits while a write is under way, so its answer shows at once.
    static let writeCheckMilliseconds: Int32 = 20
    /// The most waiting inputs dropped when a confirmation opens (a paste is bounded, a stuck
    /// key repeating is not).
    static let burstMax = 65_536

    public init(state initial: ConsoleState, effects: [Effect], backend: TerminalBackend, clock: MonotonicClock, host: ConsoleHost,
                attract: AttractMode? = nil, measuringFrames: Bool = false) {
        state = initial
        self.backend = backend
        self.clock = clock
        self.host = host
        self.attract = attract
        timings = measuringFrames ? FrameTimings() : nil
        lastInput = clock.milliseconds()
        lastPoll = lastInput
        perform(effects)
    }

    /// Runs until `q` on the top screen, Ctrl-C, or a stop signal.
    public func run() {
        while !quitting {
            collectWrite()
            drawFrame()
            if backend.stopSignal != 0 { break }
            if write != nil {
                // Only keys while a write waits: Esc gives up; no poll or read touches the ledger.
                if let input = backend.read(timeout: Self.writeCheckMilliseconds) { handle(input) }
                continue
            }
            if !activityReads.isEmpty {
                // One bounded read, then straight back to draw it; a key typed meanwhile still counts.
                perform([.loadActivity(activityReads.removeFirst())], queueActivity: false)
                if let input = backend.read(timeout: 0) { handle(input) }
                continue
            }
            let waited = clock.milliseconds() - lastPoll
            let every = host.pollMilliseconds
            let timeout = min(max(0, every - waited), Int64(tourWait()))
            if let input = backend.read(timeout: Int32(clamping: timeout)) { handle(input) }
            playTour()
            if clock.milliseconds() - lastPoll >= every {
                lastPoll = clock.milliseconds()
                dispatch(host.poll(state))
            }
        }
        finishWrite()
    }

    /// Takes the answer of the write under way if it has come, then what waited for it.
    private func collectWrite() {
        guard let pending = write, pending.answered(within: 0) else { return }
        write = nil
        dispatch(pending.actions)
        let waiting = deferred
        deferred = []
        perform(waiting)
    }

    /// Quitting with a write under way: it gives up if it still waits for the lock; either way
    /// its answer is taken before the loop ends, so a write never runs on unseen.
    private func finishWrite() {
        guard let pending = write else { return }
        host.abandonWrite()
        pending.waitForAnswer()
        write = nil
        dispatch(pending.actions)
    }

    /// Runs a write on a worker thread: its answer within `writeQuietMilliseconds` is taken at
    /// once (one frame, as if it were synchronous); a longer one shows the waiting line.
    private func startWrite(_ effect: Effect, command: Command) {
        let pending = WriteInFlight()
        let host = UncheckedHost(host: self.host)
        let state = self.state
        DispatchQueue.global(qos: .userInitiated).async { pending.finish(host.host.perform(effect, in: state)) }
        if pending.answered(within: Self.writeQuietMilliseconds) {
            dispatch(pending.actions)
        } else {
            write = pending
            dispatch(.writeWaiting(command))
        }
    }

    /// A key, a click or a resize. While the tour plays, a person's key or click only takes the
    /// keys back from it.
    private func handle(_ input: TerminalInput) {
        if case let .resize(width, height) = input {
            dispatch(.resize(Size(width: width, height: height)))
            return
        }
        lastInput = clock.milliseconds()
        touched = true
        if tour != nil {
            tour = nil
            dispatch(.tourHandedBack)
            // Ctrl-C still quits (where the kiosk allows it), and the kiosk's Ctrl-X still arms
            // its chord, so Ctrl-X then q leaves while the tour plays; any other key only takes over.
            guard Self.passesThroughTour(input) else { return }
        }
        tickClock()
        let confirming = state.confirmationOpen
        switch input {
        case .key(let key): dispatch(.key(key))
        case .mouse(let mouse): dispatch(.mouse(mouse))
        case .paste(let text): dispatch(.paste(text))
        case .resize: break
        }
        if !confirming && state.confirmationOpen { dropBurst() }
    }

    /// Whether a key that takes the keys back from the tour also acts: Ctrl-C and the kiosk's
    /// Ctrl-X (the first half of its only way out) do; any other key only takes over.
    static func passesThroughTour(_ input: TerminalInput) -> Bool {
        guard case .key(let key) = input else { return false }
        return key == .control("c") || key == .control("x")
    }

    /// A confirmation has just opened: input already waiting came in the same burst as the key
    /// that opened it (an unbracketed paste: `reason⏎yes`), not from a person who has read it,
    /// so it is read and dropped (a resize still counts) and the status line says so. A person
    /// answers after the dialog shows; a terminal delivers a paste at once.
    private func dropBurst() {
        var dropped = 0
        while dropped < Self.burstMax, let input = backend.read(timeout: 0) {
            if case let .resize(width, height) = input {
                dispatch(.resize(Size(width: width, height: height)))
                continue
            }
            dropped += 1
        }
        if dropped > 0 { dispatch(.burstIgnored(dropped)) }
    }

    /// Brings the state's clock up to now before a key is handled: what a key decides (a cost
    /// confirmation, a refusal) is checked at this moment, never before a record just written.
    /// Within the same second the state already says now: nothing to reduce.
    private func tickClock() {
        if let now = host.now(), now != state.now { dispatch(.clock(now)) }
    }

    /// Milliseconds until the tour wants something: its next event, or the end of the idle time.
    private func tourWait() -> Int {
        guard let attract else { return Int.max }
        let now = clock.milliseconds()
        if let tour { return tour.wait(now: now) }
        return Int(max(0, lastInput + idleBeforeTour(attract) - now))
    }

    /// How long the console must sit without a key before the tour (re)starts.
    private func idleBeforeTour(_ attract: AttractMode) -> Int64 {
        touched ? max(attract.idleMilliseconds, AttractMode.resumeFloor) : attract.idleMilliseconds
    }

    /// Starts the tour after the idle time and performs whatever of it is due.
    private func playTour() {
        guard let attract else { return }
        // Keys pressed while the window is too small do nothing, so the tour would lose its
        // place: it stops, and starts over once the window is large enough again.
        guard state.size.isLargeEnough else {
            if tour != nil {
                tour = nil
                dispatch(.tourCaption(nil))
            }
            return
        }
        let now = clock.milliseconds()
        if tour == nil, now - lastInput >= idleBeforeTour(attract) {
            tour = TourPlayer(steps: attract.steps, keyDelay: attract.keyDelay, pace: attract.pace, startingAt: now)
        }
        while !quitting, let event = tour?.advance(now: clock.milliseconds()) {
            switch event {
            case .restart: perform([.resetDemo])
            case .caption(let caption): dispatch(.tourCaption(caption))
            case .press(let key):
                tickClock()
                dispatch(.key(key))
            }
            if case .press = event { break }
        }
    }

    /// Renders the state and draws it; timed only when asked.
    private func drawFrame() {
        guard timings != nil else {
            backend.draw(render(state, size: state.size))
            return
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let grid = render(state, size: state.size)
        let rendered = DispatchTime.now().uptimeNanoseconds
        backend.draw(grid)
        let drawn = DispatchTime.now().uptimeNanoseconds
        timings?.renderMicros.append(Double(rendered - started) / 1000)
        if state.top == .workspace && state.dialog == nil { timings?.historyRenderMicros.append(Double(rendered - started) / 1000) }
        timings?.drawMicros.append(Double(drawn - rendered) / 1000)
    }

    /// Reduces an action and performs the effects it asks for.
    private func dispatch(_ action: ConsoleAction) {
        let (next, effects) = reduce(state, action)
        state = next
        perform(effects)
    }

    private func dispatch(_ actions: [ConsoleAction]) {
        for action in actions { dispatch(action) }
    }

    /// Performs effects: the terminal's here, the ledger's through the host.
    private func perform(_ effects: [Effect], queueActivity: Bool = true) {
        for effect in effects {
            switch effect {
            case .quit: quitting = true
            case .suspend:
                backend.suspend()
                dispatch(.resize(backend.size))
            case .copy(let text): backend.copyToClipboard(text)
            case .loadActivity(let request) where queueActivity: activityReads.append(request)
            case .abandonWrite: host.abandonWrite()
            case _ where write != nil: deferred.append(effect)
            case .submit(let command): startWrite(effect, command: command)
            case .resetDemo:
                let caption = state.tourCaption
                activityReads = []
                dispatch(host.perform(effect, in: state))
                if caption != nil { dispatch(.tourCaption(caption)) }
            default:
                dispatch(host.perform(effect, in: state))
            }
        }
    }
}

/// A write running on a worker thread, and its answer once it has come.
final class WriteInFlight: @unchecked Sendable {
    // `actions` is written once before the signal and read only after a wait saw it.
    private let finished = DispatchSemaphore(value: 0)
    private(set) var actions: [ConsoleAction] = []
    private var collected = false

    func finish(_ answer: [ConsoleAction]) {
        actions = answer
        finished.signal()
    }

    /// Whether the answer has come, waiting up to `milliseconds` for it.
    func answered(within milliseconds: Int) -> Bool {
        if !collected, finished.wait(timeout: .now() + .milliseconds(milliseconds)) == .success { collected = true }
        return collected
    }

    /// Waits for the answer however long it takes.
    func waitForAnswer() {
        if !collected { finished.wait() }
        collected = true
    }
}

/// The host handed to the worker thread: the loop's thread calls nothing on it but
/// `abandonWrite` until the write has answered.
struct UncheckedHost: @unchecked Sendable {
    let host: ConsoleHost
}
