import ConsoleUI

/// What the console's loop needs of a terminal: its size, a key or nothing within a timeout, a
/// frame to draw. `Terminal` is the curses one; `TestBackend` records frames as text.
public protocol TerminalBackend: AnyObject {
    /// The terminal's size now, in cells.
    var size: Size { get }
    /// A stop signal received (SIGTERM, SIGHUP), else 0: the loop ends.
    var stopSignal: Int32 { get }
    /// The next input, waiting at most `milliseconds` (negative: wait for one); nil when none came.
    func read(timeout milliseconds: Int32) -> TerminalInput?
    /// Draws a whole frame (the curses terminal sends only the cells that changed).
    func draw(_ grid: Grid)
    /// Ctrl-Z: gives the terminal back until `fg`.
    func suspend()
    /// Puts text on the clipboard (OSC 52).
    func copyToClipboard(_ text: String)
}

extension Terminal: TerminalBackend {}
