import ConsoleUI

/// How the console may use the terminal, decided by the executable from flags and environment.
public struct TerminalOptions: Hashable, Sendable {
    /// `--color auto|always|never` (the executable turns `NO_COLOR` into `never` under auto).
    public enum ColorMode: String, CaseIterable, Sendable { case auto, always, never }

    public var color: ColorMode
    public var mouse: Bool
    /// The escape delay in milliseconds (25 unless `ESCDELAY` is set).
    public var escapeDelay: Int32

    public init(color: ColorMode = .auto, mouse: Bool = true, escapeDelay: Int32 = 25) {
        self.color = color; self.mouse = mouse; self.escapeDelay = escapeDelay
    }
}

/// Why the console cannot use this terminal: said in one clear line instead of a garbled screen.
public enum TerminalError: Error, Hashable, Sendable, CustomStringConvertible {
    case notATerminal
    case dumbTerminal(String)
    case unknownTerminal(String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "the console needs a terminal (standard input and output are not one); use the subcommands, e.g. `creditdesk workspace list`"
        case .dumbTerminal(let term):
            return "the console cannot draw on TERM=\(term.isEmpty ? "(unset)" : term): it needs a screen-addressable terminal such as xterm-256color; the subcommands work anywhere"
        case .unknownTerminal(let term):
            return "unknown terminal type TERM=\(term): no terminfo entry for it; try TERM=xterm-256color"
        }
    }
}

/// One thing read from the terminal.
public enum TerminalInput: Hashable, Sendable {
    case key(Key)
    case mouse(MouseInput)
    /// Text pasted between `ESC [ 200 ~` and `ESC [ 201 ~` (bracketed paste), as one input.
    case paste(String)
    case resize(width: Int, height: Int)
}
