/// One step of the demo's attract tour: the keys a person would press (one at a time, at a
/// human pace), then a caption for passers-by saying what they did, and a pause to read both. `expect` is text the
/// screen shows once the keys are pressed: the end-to-end test checks it, so the tour cannot
/// silently break.
public struct TourStep: Hashable, Sendable {
    public var caption: String
    public var keys: [Key]
    public var pauseMilliseconds: Int
    public var expect: String?

    public init(caption: String, keys: [Key], pauseMilliseconds: Int, expect: String?) {
        self.caption = caption; self.keys = keys; self.pauseMilliseconds = pauseMilliseconds; self.expect = expect
    }
}

/// What the tour asks of the console at a moment.
public enum TourEvent: Hashable, Sendable {
    /// Start over on the shipped demo data (the tour begins and loops with this).
    case restart
    case caption(String)
    case press(Key)
}

/// Plays a tour in time: given the clock in milliseconds, it says what is due next. Pure: the
/// run loop feeds it the time and performs its events, and a test can play it without waiting.
public struct TourPlayer: Sendable {
    public let steps: [TourStep]
    /// Milliseconds between two key presses of a step.
    public let keyDelay: Int
    /// Scales every wait (below 1 plays faster, for tests).
    public let pace: Double
    private var stepIndex = -1
    private var keyIndex = 0
    private var dueAt: Int64

    public init(steps: [TourStep], keyDelay: Int, pace: Double = 1, startingAt now: Int64) {
        precondition(!steps.isEmpty, "a tour needs steps")
        self.steps = steps; self.keyDelay = keyDelay; self.pace = max(0.01, pace); self.dueAt = now
    }

    /// The step being played (0-based), or -1 before the first.
    public var currentStep: Int { stepIndex }

    /// Milliseconds until the next event (0 when one is due).
    public func wait(now: Int64) -> Int { Int(max(0, dueAt - now)) }

    /// The next event if it is due at `now`, advancing the tour; nil while waiting. A step's
    /// keys come first, a key delay apart; its caption follows them, once the screen shows what
    /// it describes, and stays for the step's pause.
    public mutating func advance(now: Int64) -> TourEvent? {
        guard now >= dueAt else { return nil }
        if stepIndex < 0 || stepIndex >= steps.count {
            stepIndex = 0
            keyIndex = 0
            schedule(after: 0, from: now)
            return .restart
        }
        let step = steps[stepIndex]
        if keyIndex < step.keys.count {
            let key = step.keys[keyIndex]
            keyIndex += 1
            schedule(after: keyDelay, from: now)
            return .press(key)
        }
        if keyIndex == step.keys.count {
            keyIndex += 1
            schedule(after: step.pauseMilliseconds, from: now)
            return .caption(step.caption)
        }
        stepIndex += 1
        keyIndex = 0
        if stepIndex >= steps.count { stepIndex = steps.count }
        return advance(now: now)
    }

    private mutating func schedule(after milliseconds: Int, from now: Int64) {
        dueAt = now + Int64((Double(milliseconds) * pace).rounded())
    }
}

extension Key {
    /// A key from its name in a tour file: a single character (`j`, `/`), or `Enter`, `Esc`,
    /// `Tab`, `BTab`, `Backspace`, `Up`, `Down`, `Left`, `Right`, `PgUp`, `PgDn`, `Home`, `End`, `C-x`.
    public init?(name: String) {
        let named: [String: Key] = ["Enter": .enter, "Esc": .escape, "Tab": .tab, "BTab": .backTab, "Backspace": .backspace,
                                    "Up": .up, "Down": .down, "Left": .left, "Right": .right, "PgUp": .pageUp,
                                    "PgDn": .pageDown, "Home": .home, "End": .end, "Space": .character(" ")]
        if let key = named[name] { self = key; return }
        if name.count == 3, name.hasPrefix("C-"), let letter = name.last, letter.isLetter { self = .control(letter); return }
        guard name.count == 1, let character = name.first else { return nil }
        self = .character(character)
    }
}
