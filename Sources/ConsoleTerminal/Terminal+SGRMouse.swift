import CNcursesw
import ConsoleUI
#if canImport(Glibc)
import Glibc
#endif

/// SGR mouse reports (xterm mode 1006) on every terminal, not only those whose terminfo asks for
/// them: clicks beyond column 223 and terminals that send nothing else. curses keeps reading X10
/// reports where it expects them; the SGR introducer gets a key code of its own, and the rest
/// of the report is read and decoded by `MouseReport`.
extension Terminal {
    /// The key code curses gives for `ESC [ <` when its terminal description does not claim it.
    static let sgrMouseKey: Int32 = 0o1400
    /// How long the rest of a report may take to arrive after its introducer, in milliseconds.
    static let sgrReportWaitMilliseconds: Int32 = 50
    /// The longest report read: `ESC [ < 64 ; 9999 ; 9999 M` and a little room.
    static let sgrReportLengthMax = 24

    /// Asks the terminal for SGR reports, and teaches curses their introducer unless it already
    /// reads them (terminfo `kmous` of `ESC [ <`, as xterm-256color has).
    func enableSGRMouse(_ output: UnsafeMutablePointer<FILE>) {
        _ = cd_write_sequence(output, "\u{1B}[?1006h")
        if key_defined("\u{1B}[<") != KEY_MOUSE { _ = define_key("\u{1B}[<", Self.sgrMouseKey) }
    }

    /// Puts the terminal back to the reports it had before (before curses turns the mouse off).
    func disableSGRMouse(_ output: UnsafeMutablePointer<FILE>) {
        _ = cd_write_sequence(output, "\u{1B}[?1006l")
    }

    /// Reads the rest of a report whose introducer curses has matched; nil for what the console
    /// ignores (a release, motion) and for bytes that turn out not to be a report (dropped).
    func readSGRReport(_ window: UnsafeMutablePointer<WINDOW>) -> TerminalInput? {
        var bytes = MouseReport.sgrIntroducer
        wtimeout(window, Self.sgrReportWaitMilliseconds)
        while bytes.count < Self.sgrReportLengthMax {
            var code: wint_t = 0
            guard wget_wch(window, &code) == OK, code < 0x80 else { return nil }
            bytes.append(UInt8(code))
            switch MouseReport.decode(bytes) {
            case .incomplete: continue
            case .notMouse: return nil
            case .report(let input, _): return input.map { TerminalInput.mouse($0) }
            }
        }
        return nil
    }
}
