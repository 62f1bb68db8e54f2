/// A read-only desk (`--read-only`, for a screen on a wall or a trainee): every key that would
/// lead to a write is left out of hints, help and the palette, and answers with one line.
extension ConsoleState {
    /// The commands that lead to a write to the ledger.
    static let writeCommands: Set<UICommand> = [.topUp, .runAction, .adjust, .buy, .reverse, .void, .autoTopUp, .memberLimits]

    /// The commands a read-only desk leaves out; none on a desk that may write.
    var readOnlyHidden: Set<UICommand> { session.readOnly ? Self.writeCommands : [] }

    /// On a read-only desk, refuses a command that leads to a write (true: it was refused).
    mutating func refuseOnReadOnlyDesk(_ command: UICommand) -> Bool {
        guard session.readOnly, Self.writeCommands.contains(command) else { return false }
        flash = Flash("read-only desk: nothing can be written here (started with --read-only)", kind: .refusal)
        return true
    }

    /// A submit that reached a read-only desk anyway is dropped, never performed; so is an
    /// export that reached a kiosk (a visitor writes no file on the machine).
    func withoutWrites(_ effects: [Effect]) -> [Effect] {
        guard session.readOnly || session.kiosk else { return effects }
        return effects.filter {
            switch $0 {
            case .submit: return !session.readOnly
            case .export: return !session.kiosk
            default: return true
            }
        }
    }

    /// In a kiosk, refuses `e` (true: it was refused): no file is written from a stand's console.
    mutating func refuseExportInKiosk() -> Bool {
        guard session.kiosk else { return false }
        flash = Flash("kiosk: export is off here (a visitor writes no files on this machine)", kind: .refusal)
        return true
    }
}
