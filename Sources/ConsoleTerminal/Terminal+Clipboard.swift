import CNcursesw
import ConsoleUI
#if canImport(Glibc)
import Glibc
#endif

/// The clipboard over the terminal itself (OSC 52), as k9s does: it reaches the clipboard of the
/// machine the person sits at, over SSH and through tmux (with `set-clipboard on`).
extension Terminal {
    /// Writes `Clipboard.osc52(text)` straight to the terminal, after the frame curses drew;
    /// it moves no cursor and draws nothing. Headless, it goes nowhere.
    public func copyToClipboard(_ text: String) {
        guard let output else { return }
        _ = cd_write_sequence(output, Clipboard.osc52(text))
    }
}
