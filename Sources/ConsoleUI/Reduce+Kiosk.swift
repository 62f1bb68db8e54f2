/// The trade-show kiosk (`demo --kiosk`): a visitor never leaves the console. The only way out
/// is the chord Ctrl-X then `q`; every other quit or suspend, from whatever key, field, dialog
/// or too-small window produced it, is dropped in one place (`keptOnTheStand`).
extension ConsoleState {
    /// What the status line says when a kiosk keeps a visitor in.
    static let kioskStaysOpen = "This console stays open on the stand: ask at the desk to leave it."

    /// The kiosk's own keys, before any other handling: Ctrl-X arms the chord, `q` right after
    /// it quits, Ctrl-C and Ctrl-Z only say the console stays open. Nil lets the key through.
    mutating func kioskKey(_ key: Key) -> [Effect]? {
        if kioskChordArmed {
            kioskChordArmed = false
            if key == .character("q") { return [.quit] }
        }
        switch key {
        case .control("x"):
            kioskChordArmed = true
            flash = Flash("Ctrl-X: press q to leave the kiosk", kind: .info)
            return []
        case .control("c"):
            flash = Flash(Self.kioskStaysOpen, kind: .info)
            return []
        case .control("z"):
            flash = Flash("This console stays open on the stand: Ctrl-Z does not suspend it.", kind: .info)
            return []
        default:
            return nil
        }
    }

    /// Whether `action`, taken in this state, is the `q` that completes the kiosk's Ctrl-X chord.
    func completesKioskChord(_ action: ConsoleAction) -> Bool {
        guard session.kiosk, kioskChordArmed, writeUnderWay == nil, case .key(.character("q")) = action else { return false }
        return true
    }

    /// `effects` as a kiosk lets them out: without `.quit` and `.suspend` unless the chord was
    /// just completed. A quit dropped here says so on the status line.
    mutating func keptOnTheStand(_ effects: [Effect], chordCompleted: Bool) -> [Effect] {
        guard session.kiosk, !chordCompleted else { return effects }
        let kept = effects.filter { $0 != .quit && $0 != .suspend }
        if kept.count != effects.count { flash = Flash(Self.kioskStaysOpen, kind: .info) }
        return kept
    }
}
