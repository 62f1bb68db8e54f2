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

    /// A submit that reached a read-only desk anyway is dropped, never performed.
    func withoutWrites(_ effects: [Effect]) -> [Effect] {
        guard session.readOnly else { return effects }
        return effects.filter { if case .submit = $0 { return false } else { return true } }
    }
}
